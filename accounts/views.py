from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from core.views import paginate

from .forms import LoginForm
from .models import MineStatus
from .selectors import mine_list


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class ProfileView(TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        from core.history import history_rows

        return super().get_context_data(history=history_rows(self.request.user), **kwargs)


class MineListView(TemplateView):
    template_name = "accounts/mine_list.html"

    def get_context_data(self, **kwargs):
        qs = mine_list(user=self.request.user)
        q = self.request.GET.get("q", "").strip()
        status = self.request.GET.get("status", "")
        if q:
            qs = qs.filter(name__icontains=q)
        if status in MineStatus.values:
            qs = qs.filter(status=status)
        query_string = urlencode({k: v for k, v in (("q", q), ("status", status)) if v})
        return super().get_context_data(
            page=paginate(self.request, qs),
            q=q,
            status=status,
            status_choices=MineStatus.choices,
            query_string=query_string,
            **kwargs,
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.must_change_password:
            self.request.user.must_change_password = False
            self.request.user.save(update_fields=["must_change_password"])
        return response
