from django.urls import path

from . import views

urlpatterns = [
    path("", views.campaign_list_view, name="campaign_list"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
]
