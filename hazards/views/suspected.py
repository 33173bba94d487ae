"""疑似重大隐患: the bureau's list, and an inspector's confirm (re-grade to 重大) or dismiss (with a reason)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.errors import DomainError, InvalidState, NotPermitted
from core.permissions import may
from core.views import filter_summary, filtered, form_errors_text, paginate, query_string_without_page, refused

from ..filters import SuspectedMajorFilter
from ..permissions import can_decide_suspected, can_view_suspected
from ..selectors import select_suspected, suspected_major_hazards
from ..services.suspected import suspected_major_confirm, suspected_major_dismiss

ONLY_BUREAU = "疑似重大隐患清单供县局核实，煤矿和主体企业请在隐患台账中查看本单位的隐患。"


class ConfirmForm(forms.Form):
    """What 五落实 may still lack when a general hazard becomes major (the service says what is missing)."""

    funds = forms.DecimalField(label="整改资金（元）", required=False, min_value=0, max_digits=14, decimal_places=2)
    contingency_plan = forms.CharField(label="应急预案", required=False, max_length=5000, widget=forms.Textarea)


class DismissForm(forms.Form):
    reason = forms.CharField(
        label="排除理由", max_length=2000, widget=forms.Textarea, error_messages={"required": "请填写排除理由。"}
    )


def suspected_major_list(request):
    if not can_view_suspected(request.user):
        return refused(request, ONLY_BUREAU)
    record_filter, rows = filtered(request, SuspectedMajorFilter, suspected_major_hazards(user=request.user))
    return render(
        request,
        "hazards/suspected_list.html",
        {
            "filter": record_filter,
            "filter_text": filter_summary(record_filter),
            "page": paginate(request, rows),
            "query_string": query_string_without_page(request),
            "may_decide": can_decide_suspected(request.user),
            "confirm_form": ConfirmForm(),
            "dismiss_form": DismissForm(),
        },
    )


def _decide(request, pk, form_class, service, done):
    finding = select_suspected(user=request.user, pk=pk)  # another county's: 404
    if not may(request.user, "accounts.write") or not can_decide_suspected(request.user, finding):
        return refused(request, "只有县局执法人员可以核实疑似重大隐患。")
    then = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(then, allowed_hosts={request.get_host()}, require_https=False):
        then = reverse("suspected_major_list")  # back to the list, never to another site
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(then)
    try:
        service(actor=request.user, finding=finding, **form.cleaned_data)
    except NotPermitted as exc:
        return refused(request, exc.message)
    except InvalidState as exc:
        return render(request, "hazards/suspected_refused.html", {"message": exc.message, "back_url": then}, status=409)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(then)
    messages.success(request, done)
    return redirect(then)


@require_POST
def suspected_major_confirm_view(request, pk):
    return _decide(
        request, pk, ConfirmForm, suspected_major_confirm, "已确认为重大事故隐患，按重大隐患管理（煤矿停产整顿）。"
    )


@require_POST
def suspected_major_dismiss_view(request, pk):
    return _decide(request, pk, DismissForm, suspected_major_dismiss, "已排除，理由已记录。")
