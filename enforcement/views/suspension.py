"""The suspension pages: the list of 停产整顿 (current and ended), a suspension with its hazards, order, applications,
decisions and events, the forms of its three steps (下达指令书, 申请复产验收, 复产验收), a mine's history, and the
.docx of its two documents.

Who: a suspension that is not the user's is 404; a step the user may see but not take is 403; a step the state
forbids (an order twice, an application while a major hazard is open, a decision on a decided application) is 409
with the reason."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, InvalidState, NotPermitted
from core.permissions import may
from core.views import docx_response, list_page, paginate

from .. import services
from ..docx import document_docx
from ..selectors import (
    mine_suspension_history,
    resumption_detail,
    resumption_files_for,
    suspension_detail,
    suspension_list,
)
from ..suspension_filters import SuspensionFilter
from ..suspension_forms import DEFAULT_BASIS, DEFAULT_REQUIREMENTS, ApplyForm, DecideForm, OrderForm

ORDER = "enforcement.order_suspension"
APPLY = "enforcement.apply_resumption"
DECIDE = "enforcement.decide_resumption"


def _refused(request, suspension, message, status=409):
    back = reverse("suspension_detail", kwargs={"pk": suspension.pk})
    return render(
        request,
        "enforcement/suspension/refused.html",
        {"message": message, "back_url": back},
        status=status,
    )


def _run(request, suspension, form, service, kwargs):
    """The step's service: the result, or None with the refusal as the answer (403 page, 409 page) or as the form's
    error (a bad value: nothing saved)."""
    try:
        return service(**kwargs), None
    except NotPermitted as exc:
        return None, render(request, "403.html", {"reason": exc.message}, status=403)
    except InvalidState as exc:
        return None, _refused(request, suspension, exc.message)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None, None


# ---------------------------------------------------------------- list, detail, history


def suspension_list_view(request):
    return list_page(
        request,
        filter_class=SuspensionFilter,
        queryset=suspension_list(user=request.user),
        template="enforcement/suspension/list.html",
    )


def suspension_detail_view(request, pk):
    suspension = suspension_detail(user=request.user, pk=pk)
    user = request.user
    applications = list(suspension.applications.all())
    pending = next((a for a in applications if a.is_pending), None)
    open_major = list(services.open_major_hazards(suspension.mine_id)) if suspension.is_active else []
    return render(
        request,
        "enforcement/suspension/detail.html",
        {
            "suspension": suspension,
            "applications": applications,
            "pending": pending,
            "open_major": open_major,
            "may_order": suspension.is_active and suspension.order_id is None and may(user, ORDER, suspension.mine),
            "may_apply": suspension.is_active
            and suspension.order_id is not None
            and pending is None
            and not open_major
            and may(user, APPLY, suspension.mine),
            "may_decide": pending is not None and may(user, DECIDE, suspension.mine),
            "reads_events": user.is_bureau_user,
        },
    )


def mine_suspension_history_view(request, pk):
    """A mine's history: every 停产整顿 and 复产验收 with its documents."""
    from core.mines import visible_mines

    mine = get_object_or_404(visible_mines(request.user), pk=pk)
    history = mine_suspension_history(user=request.user, mine=mine)
    return render(
        request,
        "enforcement/suspension/mine_history.html",
        {"mine": mine, "page": paginate(request, history, per_page=20)},
    )


# ---------------------------------------------------------------- the three steps


def suspension_order_view(request, pk):
    suspension = suspension_detail(user=request.user, pk=pk)
    if not may(request.user, ORDER, suspension.mine):
        return render(request, "403.html", {"reason": services.suspension.NOT_ORDERER}, status=403)
    if not suspension.is_active or suspension.order_id is not None:
        state = "已下达责令停产整顿指令书" if suspension.order_id else f"已{suspension.get_status_display()}"
        return _refused(request, suspension, f"该停产整顿{state}，不能再下达指令书。")
    hazards = list(suspension.hazards.all())
    facts = "经查，你矿存在下列重大事故隐患：" + "；".join(
        f"{i}. {h.location}{h.description}" for i, h in enumerate(hazards, start=1)
    )
    initial = {
        "facts": facts + "。",
        "basis": DEFAULT_BASIS,
        "requirements": DEFAULT_REQUIREMENTS,
        "served_on": timezone.localdate(),
    }
    form = OrderForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        bureau_id=suspension.mine.bureau_id,
        row_version=suspension.row_version,
    )
    if request.method == "POST" and form.is_valid():
        kwargs = {"actor": request.user, "suspension": suspension, **form.service_kwargs()}
        done, refused = _run(request, suspension, form, services.suspension_issue_order, kwargs)
        if refused is not None:
            return refused
        if done is not None:
            messages.success(request, f"责令停产整顿指令书已签发并送达：{done.order.number}。")
            return redirect("suspension_detail", pk=suspension.pk)
    return render(
        request,
        "enforcement/suspension/form.html",
        {"form": form, "suspension": suspension, "title": "下达责令停产整顿指令书", "button": "签发并送达"},
    )


def resumption_apply_view(request, pk):
    suspension = suspension_detail(user=request.user, pk=pk)
    if not may(request.user, APPLY, suspension.mine):
        return render(request, "403.html", {"reason": services.suspension.NOT_APPLICANT}, status=403)
    form = ApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kwargs = {
            "actor": request.user,
            "suspension": suspension,
            "self_check": form.cleaned_data["self_check"],
            "files": form.cleaned_data.get("files") or [],
        }
        done, refused = _run(request, suspension, form, services.resumption_apply, kwargs)
        if refused is not None:
            return refused
        if done is not None:
            messages.success(request, "复产验收申请已提交，请等待县局组织验收。")
            return redirect("suspension_detail", pk=suspension.pk)
    elif request.method != "POST":
        try:  # the service's own refusal, before the mine types its self-check in vain
            services.suspension.check_may_apply(suspension)
        except InvalidState as exc:
            return _refused(request, suspension, exc.message)
    return render(
        request,
        "enforcement/suspension/form.html",
        {"form": form, "suspension": suspension, "title": "申请复产验收", "button": "提交申请", "multipart": True},
    )


def resumption_decide_view(request, pk):
    application = resumption_detail(user=request.user, pk=pk)
    suspension = application.suspension
    if not may(request.user, DECIDE, suspension.mine):
        return render(request, "403.html", {"reason": services.suspension.NOT_DECIDER}, status=403)
    if not application.is_pending:
        return _refused(request, suspension, f"该申请已{application.get_status_display()}，不能重复验收。")
    form = DecideForm(
        request.POST or None,
        request.FILES or None,
        initial={"served_on": timezone.localdate()},
        bureau_id=suspension.mine.bureau_id,
        row_version=application.row_version,
    )
    if request.method == "POST" and form.is_valid():
        kwargs = {"actor": request.user, "application": application, **form.service_kwargs()}
        done, refused = _run(request, suspension, form, services.resumption_decide, kwargs)
        if refused is not None:
            return refused
        if done is not None:
            messages.success(
                request, f"复产验收意见书已签发并送达：{done.opinion_document.number}（{done.get_status_display()}）。"
            )
            return redirect("suspension_detail", pk=suspension.pk)
    return render(
        request,
        "enforcement/suspension/form.html",
        {
            "form": form,
            "suspension": suspension,
            "application": application,
            "title": "复产验收",
            "button": "签发复产验收意见书",
        },
    )


# ---------------------------------------------------------------- files and documents


def resumption_file_download(request, pk):
    """The application's scans, only to those who see the suspension (no public media URL)."""
    item = get_object_or_404(resumption_files_for(user=request.user), pk=pk)
    return item.response()


def suspension_order_docx(request, pk):
    suspension = suspension_detail(user=request.user, pk=pk)
    if suspension.order is None:
        return _refused(request, suspension, "尚未下达责令停产整顿指令书。", status=404)
    return docx_response(document_docx(suspension.order), f"{suspension.order.number}责令停产整顿指令书")


def resumption_opinion_docx(request, pk):
    application = resumption_detail(user=request.user, pk=pk)
    document = application.opinion_document
    if document is None:
        return _refused(request, application.suspension, "该申请尚未验收，没有复产验收意见书。", status=404)
    return docx_response(document_docx(document), f"{document.number}复产验收意见书")
