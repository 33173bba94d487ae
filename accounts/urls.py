from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("bureau-contacts/", views.bureau_contacts_edit, name="bureau_contacts_edit"),
]

mine_urlpatterns = [
    path("", views.MineListView.as_view(), name="mine_list"),
    path("supervisors/", views.mine_supervisor_list_view, name="mine_supervisor_list"),
    path("supervisors/new/", views.mine_supervisor_create, name="mine_supervisor_create"),
    path("supervisors/<id:pk>/edit/", views.mine_supervisor_edit, name="mine_supervisor_edit"),
    path("supervisors/<id:pk>/delete/", views.mine_supervisor_delete, name="mine_supervisor_delete"),
]
