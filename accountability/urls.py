"""The accountability pages, mounted under /accountability/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.accountability_list_view, name="accountability_list"),
    path("candidates/", views.accountability_candidates, name="accountability_candidates"),
    path("new/", views.accountability_create, name="accountability_create"),
    path("<id:pk>/", views.accountability_detail_view, name="accountability_detail"),
    path("<id:pk>/edit/", views.accountability_edit, name="accountability_edit"),
    path("<id:pk>/delete/", views.accountability_delete, name="accountability_delete"),
    path("<id:pk>/issue/", views.accountability_issue, name="accountability_issue"),
    path("<id:pk>/follow-up/", views.accountability_follow_up, name="accountability_follow_up"),
    path("<id:pk>/minutes/", views.accountability_minutes, name="accountability_minutes"),
    path("<id:pk>/minutes/file/", views.accountability_minutes_file, name="accountability_minutes_file"),
    path("<id:pk>/docx/", views.accountability_docx, name="accountability_docx"),
]
