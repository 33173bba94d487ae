"""The overviews that read every ledger: the home page of each role, the dashboard, the charts, the big screen."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "驾驶舱与图表"

    def ready(self):
        from core import counts
        from hazards.models import Hazard

        from .counts import hazards_counted

        counts.register(Hazard, hazards_counted)
