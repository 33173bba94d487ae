from django.urls import path

from .views import coverage, imports, inspections, ledger, public, selected, suspected

urlpatterns = [
    path("", ledger.hazard_list_view, name="hazard_list"),
    path("export/", ledger.hazard_export, name="hazard_export"),
    path("print/", ledger.hazard_print, name="hazard_print"),
    path("import/", imports.hazard_import, name="hazard_import"),
    path("import/batches/", imports.hazard_import_batches, name="hazard_import_batches"),
    path("import/batches/<id:pk>/undo/", imports.hazard_import_undo, name="hazard_import_undo"),
    path("new/", ledger.hazard_create, name="hazard_create"),
    path("listed/", ledger.listed_hazard_list, name="listed_hazard_list"),
    path("selected/export/", selected.hazard_selected_export, name="hazard_selected_export"),
    path("selected/print/", selected.hazard_selected_print, name="hazard_selected_print"),
    path("selected/listing/", selected.hazard_selected_listing, name="hazard_selected_listing"),
    path("suspected/", suspected.suspected_major_list, name="suspected_major_list"),
    path("suspected/<id:pk>/confirm/", suspected.suspected_major_confirm_view, name="suspected_major_confirm"),
    path("suspected/<id:pk>/dismiss/", suspected.suspected_major_dismiss_view, name="suspected_major_dismiss"),
    path("listed/print/", ledger.listed_hazard_print, name="listed_hazard_print"),
    path("<id:pk>/", ledger.hazard_detail, name="hazard_detail"),
    path("<id:pk>/edit/", ledger.hazard_edit, name="hazard_edit"),
    path("<id:pk>/files/", ledger.hazard_file_upload, name="hazard_file_upload"),
    path("<id:pk>/listing/", ledger.hazard_listing_create, name="hazard_listing_create"),
    path("<id:pk>/delisting/", ledger.hazard_delist, name="hazard_delist"),
    path("<id:pk>/publication/", ledger.hazard_listing_publish, name="hazard_listing_publish"),
    path("<id:pk>/publication/withdraw/", ledger.hazard_listing_withdraw, name="hazard_listing_withdraw"),
    path("<id:pk>/accountability/", ledger.hazard_accountability_create, name="hazard_accountability_create"),
    path("<id:pk>/leader-review/", ledger.leader_review_submit, name="leader_review_submit"),
    path("<id:pk>/leader-review/receive/", ledger.leader_review_receive, name="leader_review_receive"),
    path("<id:pk>/leader-review/file/", ledger.leader_review_file, name="leader_review_file"),
    path("<id:pk>/<slug:action>/", ledger.hazard_transition, name="hazard_transition"),
    path("files/<id:file_pk>/", ledger.hazard_file_download, name="hazard_file_download"),
]

inspection_urlpatterns = [
    path("", inspections.inspection_list_view, name="inspection_list"),
    path("new/", inspections.inspection_create, name="inspection_create"),
    path("coverage/", coverage.inspection_coverage_view, name="inspection_coverage"),
    path("<id:pk>/", inspections.inspection_detail_view, name="inspection_detail"),
    path("<id:pk>/update/", inspections.inspection_update, name="inspection_update"),
    path("<id:pk>/exams/", inspections.exam_create, name="exam_create"),
    path("<id:pk>/papers/", inspections.exam_paper_create, name="exam_paper_create"),
    path("papers/<id:pk>/", inspections.exam_paper_detail_view, name="exam_paper_detail"),
    path("papers/<id:pk>/grade/", inspections.exam_paper_grade, name="exam_paper_grade"),
    path("exams/<id:pk>/retraining/", inspections.exam_retraining, name="exam_retraining"),
    path("exams/<id:pk>/evidence/", inspections.exam_evidence_download, name="exam_evidence_download"),
]

# Public, no login (mounted under /public/): what the bureau publishes of 挂牌督办.
public_urlpatterns = [
    path("listed-hazards/", public.public_listed_hazards, name="public_listed_hazards"),
]
