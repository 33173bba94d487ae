"""The register's pages, mounted under /accidents/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.accident_list_view, name="accident_list"),
    path("new/", views.accident_create, name="accident_create"),
    path("export/", views.accident_export, name="accident_export"),
    path("import/", views.accident_import, name="accident_import"),
    path("<id:pk>/", views.accident_detail_view, name="accident_detail"),
    path("<id:pk>/edit/", views.accident_edit, name="accident_edit"),
    path("<id:pk>/delete/", views.accident_delete, name="accident_delete"),
    path("investigations/<id:pk>/edit/", views.investigation_edit, name="investigation_edit"),
    path("investigations/<id:pk>/close/", views.investigation_close, name="investigation_close"),
    path("reports/<id:pk>/", views.investigation_report_download, name="investigation_report_download"),
]
