from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from campaign.switcher import campaign_for_request

from .charts import charts
from .views.dashboard import _dashboard, figures_json


@extend_schema(tags=["dashboard"], responses=OpenApiTypes.OBJECT)
class DashboardView(APIView):
    """The bureau dashboard's figures, scoped to the caller (an enterprise sees its own mines only)."""

    def get(self, request):
        return Response(figures_json(_dashboard(request)))


@extend_schema(tags=["dashboard"], responses=OpenApiTypes.OBJECT)
class DashboardChartsView(APIView):
    """The data of the leadership charts, scoped to the caller."""

    def get(self, request):
        today = timezone.localdate()
        return Response(charts(user=request.user, campaign=campaign_for_request(request, today=today), today=today))
