from django.urls import path

from . import views

urlpatterns = [
    path("", views.campaign_list_view, name="campaign_list"),
    path("<id:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<id:pk>/progress/", views.progress_view, name="progress"),
    path("<id:pk>/progress/overview/", views.progress_overview_view, name="progress_overview"),
    path("<id:pk>/progress/<id:requirement_pk>/", views.progress_edit, name="progress_edit"),
    path("<id:pk>/progress/<id:requirement_pk>/all/", views.progress_item_view, name="progress_item"),
    path("progress-files/<id:file_pk>/", views.progress_file_download, name="progress_file"),
]
