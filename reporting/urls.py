from django.urls import path

from .views import exports, submissions

urlpatterns = [
    path("", submissions.submission_list_view, name="submission_list"),
    path("review/", submissions.review_queue_view, name="review_queue"),
    path("matrix/", submissions.submission_matrix_view, name="submission_matrix"),
    path("open/<int:deadline_pk>/", submissions.submission_open, name="submission_open"),
    path("deadline/<int:deadline_pk>/workbook/", exports.county_workbook_view, name="county_workbook"),
    path("quarterly/", exports.quarterly_view, name="quarterly_statistics"),
    path("files/<int:file_pk>/", submissions.submission_file_download, name="submission_file"),
    path("<int:pk>/", submissions.submission_detail_view, name="submission_detail"),
    path("<int:pk>/edit/", submissions.submission_edit, name="submission_edit"),
    path("<int:pk>/attach/", submissions.submission_attach, name="submission_attach"),
    path("<int:pk>/v/<int:number>/", submissions.submission_version_view, name="submission_version"),
    path("<int:pk>/v/<int:number>/docx/", exports.submission_version_docx, name="submission_version_docx"),
    path("<int:pk>/<slug:action>/", submissions.submission_review, name="submission_review"),
]
