from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from campaign.selectors import campaign_active_for
from core.replica import reads_from_replica

from .charts import charts
from .dashboard import dashboard
from .views.dashboard import figures_json


@extend_schema(tags=["dashboard"], responses=OpenApiTypes.OBJECT)
class DashboardView(APIView):
    """The bureau dashboard's figures, scoped to the caller (an enterprise sees its own mines only)."""

    @reads_from_replica
    def get(self, request):
        return Response(figures_json(dashboard(user=request.user)))


@extend_schema(tags=["dashboard"], responses=OpenApiTypes.OBJECT)
class DashboardChartsView(APIView):
    """The data of the leadership charts, scoped to the caller."""

    @reads_from_replica
    def get(self, request):
        today = timezone.localdate()
        return Response(
            charts(user=request.user, campaign=campaign_active_for(user=request.user, today=today), today=today)
        )
