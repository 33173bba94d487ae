from django.urls import path

from . import views

urlpatterns = [
    path("", views.campaign_list_view, name="campaign_list"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/progress/", views.progress_view, name="progress"),
    path("<int:pk>/progress/overview/", views.progress_overview_view, name="progress_overview"),
    path("<int:pk>/progress/<int:requirement_pk>/", views.progress_edit, name="progress_edit"),
    path("<int:pk>/progress/<int:requirement_pk>/all/", views.progress_item_view, name="progress_item"),
    path("progress-files/<int:file_pk>/", views.progress_file_download, name="progress_file"),
]
