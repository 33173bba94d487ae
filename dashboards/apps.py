"""The overviews that read every ledger: the home page of each role, the dashboard, the charts, the big screen."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "驾驶舱与图表"
