from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.concurrency import RowVersionFormMixin
from core.views import paginate, post_action, run_form_service

from . import services
from .forms import BureauContactsForm, LoginForm, MineSupervisorEditForm, MineSupervisorForm
from .models import MineStatus
from .permissions import can_assign_supervisors, can_edit_bureau_contacts
from .selectors import bureau_of, mine_list, supervisor_list


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
            bureau=bureau_of(self.request.user),
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


# ------------------------------------------------------------------ 监管专员包保 and the bureau's contacts


class RowVersionForm(RowVersionFormMixin, forms.Form):
    """A removal's form: only the version the page showed."""


def mine_supervisor_list_view(request):
    qs = supervisor_list(user=request.user)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(mine__name__icontains=q)
    return render(
        request,
        "accounts/supervisor_list.html",
        {
            "page": paginate(request, qs, per_page=50),
            "q": q,
            "query_string": urlencode({"q": q}) if q else "",
            "can_assign": can_assign_supervisors(request.user),
            "bureau": bureau_of(request.user),
        },
    )


def _form_page(request, form, *, title, status=200, help_text=""):
    return render(
        request,
        "form.html",
        {"form": form, "title": title, "cancel_url": reverse("mine_supervisor_list"), "help_text": help_text},
        status=status,
    )


def mine_supervisor_create(request):
    if not can_assign_supervisors(request.user):
        raise PermissionDenied
    initial = {"mine": request.GET.get("mine")} if (request.GET.get("mine") or "").isdigit() else {}
    form = MineSupervisorForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        assignment, status = run_form_service(
            form, services.mine_supervisor_assign, actor=request.user, **form.cleaned_data
        )
        if assignment:
            messages.success(request, f"已安排 {assignment.supervisor.display_name} 包保 {assignment.mine.name}。")
            return redirect("mine_supervisor_list")
    return _form_page(
        request,
        form,
        title="安排监管专员包保煤矿",
        status=status,
        help_text="一个煤矿可有多名监管专员，一名监管专员可包保多个煤矿。",
    )


def mine_supervisor_edit(request, pk):
    assignment = get_object_or_404(supervisor_list(user=request.user), pk=pk)
    if not can_assign_supervisors(request.user, assignment.mine):
        raise PermissionDenied
    initial = {
        "supervisor": assignment.supervisor_id,
        "duty": assignment.duty,
        "since": assignment.since,
        "note": assignment.note,
    }
    form = MineSupervisorEditForm(
        request.POST or None, user=request.user, initial=initial, row_version=assignment.row_version
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = run_form_service(
            form, services.mine_supervisor_update, actor=request.user, assignment=assignment, **form.cleaned_data
        )
        if saved:
            messages.success(request, "已保存。")
            return redirect("mine_supervisor_list")
    return _form_page(request, form, title=f"修改包保：{assignment.mine.name}", status=status)


@require_POST
def mine_supervisor_delete(request, pk):
    assignment = get_object_or_404(supervisor_list(user=request.user), pk=pk)
    if not can_assign_supervisors(request.user, assignment.mine):
        raise PermissionDenied
    return post_action(
        request,
        RowVersionForm(request.POST, row_version=assignment.row_version),
        services.mine_supervisor_remove,
        done=f"已取消 {assignment.supervisor.display_name} 对 {assignment.mine.name} 的包保。",
        then=reverse("mine_supervisor_list"),
        actor=request.user,
        assignment=assignment,
    )


def bureau_contacts_edit(request):
    """The phone and e-mail the bureau gives its mines (shown on every mine's home page)."""
    bureau = bureau_of(request.user)
    if bureau is None:
        raise Http404
    if not can_edit_bureau_contacts(request.user, bureau):
        raise PermissionDenied
    initial = {"contact_phone": bureau.contact_phone, "contact_email": bureau.contact_email}
    form = BureauContactsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = run_form_service(
            form, services.bureau_contacts_update, actor=request.user, bureau=bureau, **form.cleaned_data
        )
        if saved:
            messages.success(request, "本局联系方式已保存，各煤矿首页将显示新的联系方式。")
            return redirect("mine_supervisor_list")
    return _form_page(
        request,
        form,
        title=f"{bureau.name}联系方式",
        status=status,
        help_text="煤矿和主体企业在首页、本矿信息页看到这里的联系电话和电子邮箱。",
    )


class LogoutView(auth_views.LogoutView):
    """Signing out also tells the browser to forget what this user left in it: the offline queue (IndexedDB), the
    service worker's copies of the ledger pages and the HTTP cache. static/js/offline.js clears the same before the
    form is sent (and asks first when records still wait to be uploaded), for browsers that ignore the header."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
