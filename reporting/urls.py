from django.urls import path

from .views import exports, submissions

urlpatterns = [
    path("", submissions.submission_list_view, name="submission_list"),
    path("review/", submissions.review_queue_view, name="review_queue"),
    path("review/approve/", submissions.submission_batch_approve, name="submission_batch_approve"),
    path("matrix/", submissions.submission_matrix_view, name="submission_matrix"),
    path("open/<id:deadline_pk>/", submissions.submission_open, name="submission_open"),
    path("deadline/<id:deadline_pk>/workbook/", exports.county_workbook_view, name="county_workbook"),
    path("deadline/<id:deadline_pk>/urge/", submissions.submission_urge, name="submission_urge_column"),
    path("deadline/<id:deadline_pk>/urge/<id:org_pk>/", submissions.submission_urge, name="submission_urge_cell"),
    path("quarterly/", exports.quarterly_view, name="quarterly_statistics"),
    path("files/<id:file_pk>/", submissions.submission_file_download, name="submission_file"),
    path("<id:pk>/", submissions.submission_detail_view, name="submission_detail"),
    path("<id:pk>/edit/", submissions.submission_edit, name="submission_edit"),
    path("<id:pk>/attach/", submissions.submission_attach, name="submission_attach"),
    path("<id:pk>/v/<id:number>/", submissions.submission_version_view, name="submission_version"),
    path("<id:pk>/v/<id:number>/docx/", exports.submission_version_docx, name="submission_version_docx"),
    path("<id:pk>/<slug:action>/", submissions.submission_review, name="submission_review"),
]
