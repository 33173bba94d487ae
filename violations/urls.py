from django.urls import path

from .views import bulletins, ledger, redlines, repeat, reports

urlpatterns = [
    path("", ledger.violation_list_view, name="violation_list"),
    path("export/", ledger.violation_export, name="violation_export"),
    path("import/", ledger.violation_import, name="violation_import"),
    path("new/", ledger.violation_create, name="violation_create"),
    path("repeat-offenders/", repeat.repeat_offender_list_view, name="repeat_offender_list"),
    path("repeat-offenders/<id:pk>/", repeat.repeat_offender_detail_view, name="repeat_offender_detail"),
    path("repeat-offenders/<id:pk>/mentoring/", repeat.mentoring_step_create, name="mentoring_step_create"),
    path("<id:pk>/", ledger.violation_detail_view, name="violation_detail"),
    path("<id:pk>/edit/", ledger.violation_edit, name="violation_edit"),
    path("<id:pk>/backtracks/", ledger.backtrack_create, name="backtrack_create"),
    path("<id:pk>/accountability/", ledger.accountability_save, name="violation_accountability"),
    path("<id:pk>/typical/", ledger.typical_toggle, name="violation_typical"),
]

bulletin_urlpatterns = [
    path("", bulletins.bulletin_list_view, name="bulletin_list"),
    path("new/", bulletins.bulletin_create, name="bulletin_create"),
    path("<id:pk>/", bulletins.bulletin_detail_view, name="bulletin_detail"),
    path("<id:pk>/edit/", bulletins.bulletin_edit, name="bulletin_edit"),
    path("<id:pk>/publish/", bulletins.bulletin_publish, name="bulletin_publish"),
    path("<id:pk>/docx/", bulletins.bulletin_download, name="bulletin_download"),
]

red_line_urlpatterns = [
    path("", redlines.red_line_list_view, name="red_line_list"),
    path("new/", redlines.red_line_upload, name="red_line_upload"),
    path("<id:pk>/", redlines.red_line_detail_view, name="red_line_detail"),
]

report_urlpatterns = [
    path("", reports.report_form, name="report_form"),
    path("track/", reports.report_track, name="report_track"),
]

report_admin_urlpatterns = [
    path("", reports.report_list_view, name="report_list"),
    path("<id:pk>/", reports.report_detail_view, name="report_detail"),
    path("<id:pk>/to-violation/", reports.report_to_violation, name="report_to_violation"),
    path("<id:pk>/to-hazard/", reports.report_to_hazard, name="report_to_hazard"),
]
