from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from campaign.switcher import campaign_for_request
from core.replica import reads_from_replica

from .charts import charts
from .levels import board_above_county, charts_above_county
from .views.dashboard import _dashboard, figures_json


@extend_schema(tags=["dashboard"], responses=OpenApiTypes.OBJECT)
class DashboardView(APIView):
    """The bureau dashboard's figures, scoped to the caller (an enterprise sees its own mines only): `level` "county"
    and the county's figures. Above the county (a city's or a province's regulator, without `?bureau=`): `level`
    "city" or "province", the counties ranked with the same figures, a province's cities, and the totals
    (`?city=` narrows a province's to one city; `?bureau=` reads one county's payload)."""

    @reads_from_replica
    def get(self, request):
        _county, board = board_above_county(request)
        if board is None:
            return Response({"level": "county", **figures_json(_dashboard(request))})
        payload = {"level": board["level"], "counties": board["counties"], "totals": board["totals"]}
        if board["city"] is not None:
            payload["city"] = {"id": board["city"].pk, "name": board["city"].name}
        if board["level"] == "province":
            payload["cities"] = board["cities"]
        return Response(payload)


@extend_schema(tags=["dashboard"], responses=OpenApiTypes.OBJECT)
class DashboardChartsView(APIView):
    """The data of the leadership charts, scoped to the caller. Above the county (a city's or a province's regulator,
    without `?bureau=`): `level` "city" or "province", `counties` with the county dashboard's figures and
    `on_time_rate`, `series` (each figure's counties, ranked) and `totals` (`?city=` narrows a province's)."""

    @reads_from_replica
    def get(self, request):
        today = timezone.localdate()
        _county, level, _campaign = charts_above_county(request, today)
        if level is not None:
            return Response(level)
        return Response(charts(user=request.user, campaign=campaign_for_request(request, today=today), today=today))
