from django.urls import path

from .views import dashboard

urlpatterns = [
    path("", dashboard.dashboard_view, name="dashboard"),
    path("charts/", dashboard.charts_view, name="dashboard_charts"),
    path("screen/", dashboard.screen_view, name="dashboard_screen"),
    path("data/", dashboard.dashboard_data, name="dashboard_data"),
    path("export/", dashboard.dashboard_export, name="dashboard_export"),
    path("gaps/<id:mine_pk>/", dashboard.self_check_gap_view, name="self_check_gaps"),
]
