from django.urls import path

from .views import bulletins, ledger, redlines, repeat, selected, tipoffs

urlpatterns = [
    path("", ledger.violation_list_view, name="violation_list"),
    path("export/", ledger.violation_export, name="violation_export"),
    path("print/", ledger.violation_print, name="violation_print"),
    path("import/", ledger.violation_import, name="violation_import"),
    path("import/batches/", ledger.violation_import_batches, name="violation_import_batches"),
    path("import/batches/<id:pk>/undo/", ledger.violation_import_undo, name="violation_import_undo"),
    path("new/", ledger.violation_create, name="violation_create"),
    path("selected/export/", selected.violation_selected_export, name="violation_selected_export"),
    path("selected/print/", selected.violation_selected_print, name="violation_selected_print"),
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

# 匿名举报 (tip-offs): the public paths /report/ and /reports/ are kept as printed on posters and bookmarked.
tipoff_urlpatterns = [
    path("", tipoffs.tipoff_form, name="tipoff_form"),
    path("track/", tipoffs.tipoff_track, name="tipoff_track"),
    path("poster/", tipoffs.tipoff_poster, name="tipoff_poster"),
]

tipoff_admin_urlpatterns = [
    path("", tipoffs.tipoff_list_view, name="tipoff_list"),
    path("<id:pk>/", tipoffs.tipoff_detail_view, name="tipoff_detail"),
    path("<id:pk>/to-violation/", tipoffs.tipoff_to_violation, name="tipoff_to_violation"),
    path("<id:pk>/to-hazard/", tipoffs.tipoff_to_hazard, name="tipoff_to_hazard"),
    path("<id:pk>/escalate/", tipoffs.tipoff_escalate, name="tipoff_escalate"),
]
