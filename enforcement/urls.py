"""The enforcement pages, mounted under /enforcement/. Each part of the enforcement phase keeps its own block."""

from django.urls import path

from .views import bureau_items, documents, penalty, suspension

urlpatterns = []

# ---------------------------------------------------------------- penalty cases (行政处罚) and their 案卷
urlpatterns += [
    path("penalties/", penalty.penalty_case_list_view, name="penalty_case_list"),
    path("penalties/new/", penalty.penalty_case_create, name="penalty_case_create"),
    path("penalties/<id:pk>/", penalty.penalty_case_detail_view, name="penalty_case_detail"),
    path("penalties/<id:pk>/edit/", penalty.penalty_case_edit, name="penalty_case_edit"),
    path("penalties/<id:pk>/steps/<slug:step>/", penalty.penalty_case_step, name="penalty_case_step"),
    path("penalties/<id:pk>/payments/", penalty.penalty_case_payment, name="penalty_case_payment"),
    path("penalties/<id:pk>/evidence/", penalty.penalty_evidence_upload, name="penalty_evidence_upload"),
    path("penalties/evidence/<id:pk>/", penalty.penalty_evidence_download, name="penalty_evidence_download"),
    path("penalties/<id:pk>/file/", penalty.penalty_case_file, name="penalty_case_file"),
    path("penalties/<id:pk>/file/index/", penalty.penalty_case_index_docx, name="penalty_case_index_docx"),
    path("penalties/<id:pk>/papers/<slug:part>/", penalty.penalty_case_part_docx, name="penalty_case_part_docx"),
    path("provisions/", penalty.legal_provision_list, name="legal_provision_list"),
    path("provisions/new/", penalty.legal_provision_create, name="legal_provision_create"),
    path("provisions/load/", penalty.legal_provision_load, name="legal_provision_load"),
    path("provisions/rules/", penalty.penalty_rules_edit, name="penalty_rules_edit"),
    path("provisions/<id:pk>/edit/", penalty.legal_provision_edit, name="legal_provision_edit"),
]

# ---------------------------------------------------------------- documents (执法文书): pages, print, .docx, zip
urlpatterns += [
    path("documents/", documents.document_list_view, name="document_list"),
    path("documents/new/", documents.document_create, name="document_create"),
    path("documents/archive/", documents.document_archive, name="document_archive"),
    path("documents/settings/", documents.document_settings, name="document_settings"),
    path("documents/officers/", documents.officer_list, name="officer_list"),
    path("documents/officers/<id:pk>/certificate/", documents.officer_certificate, name="officer_certificate"),
    path("documents/<id:pk>/", documents.document_detail_view, name="document_detail"),
    path("documents/<id:pk>/edit/", documents.document_edit, name="document_edit"),
    path("documents/<id:pk>/delete/", documents.document_delete_view, name="document_delete"),
    path("documents/<id:pk>/issue/", documents.document_issue_view, name="document_issue"),
    path("documents/<id:pk>/receipt/", documents.document_receipt_view, name="document_receipt"),
    path("documents/<id:pk>/receipt/scan/", documents.document_receipt_scan, name="document_receipt_scan"),
    path("documents/<id:pk>/docx/", documents.document_docx_view, name="document_docx"),
    path("documents/<id:pk>/print/", documents.document_print, name="document_print"),
]

# ---------------------------------------------------------------- 停产整顿 to 复产验收 (suspension)
urlpatterns += [
    path("suspensions/", suspension.suspension_list_view, name="suspension_list"),
    path("suspensions/<id:pk>/", suspension.suspension_detail_view, name="suspension_detail"),
    path("suspensions/<id:pk>/order/", suspension.suspension_order_view, name="suspension_order"),
    path("suspensions/<id:pk>/order.docx", suspension.suspension_order_docx, name="suspension_order_docx"),
    path("suspensions/<id:pk>/apply/", suspension.resumption_apply_view, name="resumption_apply"),
    path("resumptions/<id:pk>/decide/", suspension.resumption_decide_view, name="resumption_decide"),
    path("resumptions/<id:pk>/opinion.docx", suspension.resumption_opinion_docx, name="resumption_opinion_docx"),
    path("resumptions/files/<id:pk>/", suspension.resumption_file_download, name="resumption_file_download"),
    path("mines/<id:pk>/suspensions/", suspension.mine_suspension_history_view, name="mine_suspension_history"),
]

# ---------------------------------------------------------------- the bureau's own campaign items (县局落实事项)
urlpatterns += [
    path("campaigns/<id:pk>/bureau-items/", bureau_items.bureau_items_view, name="bureau_items"),
]
