from django.urls import path

from . import channel_views, views

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("<id:pk>/", views.notification_open, name="notification_open"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("preferences/", views.notification_preferences, name="notification_preferences"),
    path("deliveries/", channel_views.delivery_list, name="delivery_list"),
    path("channels/", channel_views.channel_preferences, name="channel_preferences"),
    path("robots/", channel_views.robot_list, name="robot_list"),
    path("robots/new/", channel_views.robot_create, name="robot_create"),
    path("robots/<id:pk>/edit/", channel_views.robot_edit, name="robot_edit"),
    path("robots/<id:pk>/test/", channel_views.robot_test, name="robot_test"),
]
