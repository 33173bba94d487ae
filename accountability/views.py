"""The accountability pages: the list, the candidates the records propose, the draft form (from a candidate it is
pre-filled), an action's page with its targets, reads and 办理记录, issue, the 约谈's follow-up and minutes, the .docx.

Who: an action that is not the user's (or, for a unit, a draft) is 404; drafting, issuing and the follow-up are the
bureau's inspectors' (403 for the rest); a step the action's state forbids is 409 with the reason."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaign.switcher import campaign_for_request
from core.errors import DomainError
from core.files import stored_file_response
from core.permissions import may
from core.views import docx_response, form_errors_text, list_page, offered_only_to, run_form_service

from . import services
from .candidates import candidates_for, find_candidate
from .docx import action_docx, action_filename
from .filters import ActionFilter
from .forms import ActionForm, FollowUpForm, IssueForm, MinutesForm
from .models import ActionKind
from .selectors import action_detail, action_list, action_reads

ISSUE = "accountability.issue"
#: what a 通报批评 usually asks of the units it names (the inspector edits it)
DEFAULT_REQUIREMENTS = "一、深刻汲取教训，举一反三，立即整改；\n二、5个工作日内向县局书面报送整改情况。"
NOT_ISSUER = "通报批评、约谈和问责由县局执法人员起草和签发，您的账号只能查看。"


def _refused(request, action, message, status=409):
    back = reverse("accountability_detail", args=[action.pk]) if action else reverse("accountability_list")
    return render(
        request, "accountability/refused.html", {"message": message, "back_url": back, "status": status}, status=status
    )


def accountability_list_view(request):
    return list_page(
        request,
        filter_class=ActionFilter,
        queryset=action_list(user=request.user),
        template="accountability/list.html",
        can_create=may(request.user, ISSUE),
        can_see_candidates=may(request.user, "accountability.see_candidates"),
    )


def accountability_candidates(request):
    if not may(request.user, "accountability.see_candidates"):
        return render(request, "403.html", {"reason": "问责线索由县局查看和研判。"}, status=403)
    today = timezone.localdate()
    campaign = campaign_for_request(request, today=today)
    found = candidates_for(user=request.user, campaign=campaign, today=today)
    return render(
        request,
        "accountability/candidates.html",
        {"candidates": found, "campaign": campaign, "can_create": may(request.user, ISSUE)},
    )


def _initial_from_candidate(request):
    """?source=&target= pre-fill the form from the proposal as the records give it now (nothing is taken from the
    address but the two keys: the reason and the link are recomputed, so they cannot be forged)."""
    source, target = request.GET.get("source", ""), request.GET.get("target", "")
    initial = {}
    if target.isdigit() and len(target) <= 18:
        initial["targets"] = [int(target)]
    if source and target.isdigit() and len(target) <= 18:
        today = timezone.localdate()
        campaign = campaign_for_request(request, today=today)
        found = find_candidate(user=request.user, campaign=campaign, today=today, source=source, target_id=int(target))
        if found is not None:
            kind_label = ActionKind(request.GET.get("kind") or found.kind).label
            initial.update(
                title=f"关于对{found.target.name}予以{kind_label}的决定"
                if kind_label != "约谈"
                else f"关于约谈{found.target.name}有关负责人的记录",
                reason=found.reason,
                problems=found.reason,
                source=found.source,
                evidence_url=found.evidence_url,
            )
    return initial


@offered_only_to(ISSUE, NOT_ISSUER)
def accountability_create(request):
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    if kind not in ActionKind.values:
        return render(request, "accountability/choose_kind.html", {"kinds": ActionKind.choices, "query": request.GET})
    initial = _initial_from_candidate(request) if request.method == "GET" else {}
    if request.method == "GET" and kind == ActionKind.NOTICE_CRITICISM:
        initial.setdefault("requirements", DEFAULT_REQUIREMENTS)
    form = ActionForm(request.POST or None, request.FILES or None, user=request.user, kind=kind, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        action, status = run_form_service(
            form, services.action_draft, actor=request.user, kind=kind, **form.service_fields()
        )
        if action is not None:
            messages.success(request, "草稿已保存，核对后签发。")
            return redirect("accountability_detail", pk=action.pk)
    return render(
        request,
        "accountability/form.html",
        {"form": form, "kind": ActionKind(kind), "from_candidate": bool(initial.get("source"))},
        status=status,
    )


def accountability_detail_view(request, pk):
    action = action_detail(user=request.user, pk=pk)
    services.action_mark_read(user=request.user, action=action)
    may_issue = may(request.user, ISSUE, action)
    return render(
        request,
        "accountability/detail.html",
        {
            "action": action,
            "targets": [t.organization for t in action.targets.all()],
            "may_issue": may_issue,
            "reads": list(action_reads(action=action)) if may(request.user, "accountability.see_reads") else None,
            "issue_form": IssueForm(initial={"issued_on": timezone.localdate()}, row_version=action.row_version)
            if may_issue and action.is_draft
            else None,
            "follow_up_form": FollowUpForm(initial={"done_on": timezone.localdate()}, row_version=action.row_version)
            if may_issue and action.follow_up_open
            else None,
            "minutes_form": MinutesForm() if may_issue and action.is_summons else None,
            "events": action.events.all(),
        },
    )


def accountability_edit(request, pk):
    action = action_detail(user=request.user, pk=pk)
    if not may(request.user, ISSUE, action):
        return _refused(request, action, NOT_ISSUER, status=403)
    if not action.is_draft:
        return _refused(request, action, f"已签发（{action.number}），不能再修改。")
    initial = {
        name: getattr(action, name)
        for name in (
            "title",
            "persons",
            "reason",
            "requirements",
            "measure",
            "summoned_by",
            "summoned_at",
            "place",
            "problems",
            "commitments",
            "follow_up_on",
            "source",
            "evidence_url",
        )
    }
    initial["targets"] = [t.organization_id for t in action.targets.all()]
    form = ActionForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        kind=action.kind,
        initial=initial,
        row_version=action.row_version,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        fields.pop("source", None), fields.pop("evidence_url", None)
        done, status = run_form_service(
            form,
            services.action_update,
            actor=request.user,
            action=action,
            **fields,
        )
        if done is not None:
            messages.success(request, "已保存。")
            return redirect("accountability_detail", pk=pk)
    return render(
        request,
        "accountability/form.html",
        {"form": form, "kind": ActionKind(action.kind), "action": action},
        status=status,
    )


def _step(request, action, service, form, *, done, **kwargs):
    """A small form posted from the action's page: the outcome as a message; a refusal by state (409) or by role
    (403) answers with its status and the reason, nothing changed."""
    if not may(request.user, ISSUE, action):
        return _refused(request, action, NOT_ISSUER, status=403)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("accountability_detail", pk=action.pk)
    data = dict(form.cleaned_data)
    row_version = data.pop("row_version", None)
    try:
        service(actor=request.user, action=action, row_version=row_version, **data, **kwargs)
    except DomainError as exc:
        if exc.status in (403, 409):
            return _refused(request, action, exc.message, status=exc.status)
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("accountability_detail", pk=action.pk)


@require_POST
def accountability_issue(request, pk):
    action = action_detail(user=request.user, pk=pk)
    return _step(
        request, action, services.action_issue, IssueForm(request.POST, row_version=action.row_version), done="已签发。"
    )


@require_POST
def accountability_follow_up(request, pk):
    action = action_detail(user=request.user, pk=pk)
    form = FollowUpForm(request.POST, row_version=action.row_version)
    return _step(request, action, services.summons_follow_up, form, done="已登记跟踪复查结果。")


@require_POST
def accountability_delete(request, pk):
    action = action_detail(user=request.user, pk=pk)
    try:
        services.action_delete_draft(actor=request.user, action=action)
    except DomainError as exc:
        return _refused(request, action, exc.message, status=exc.status if exc.status in (403, 409) else 409)
    messages.success(request, "草稿已删除。")
    return redirect("accountability_list")


@require_POST
def accountability_minutes(request, pk):
    action = action_detail(user=request.user, pk=pk)
    if not may(request.user, ISSUE, action):
        return _refused(request, action, NOT_ISSUER, status=403)
    form = MinutesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("accountability_detail", pk=pk)
    try:
        services.summons_attach_minutes(actor=request.user, action=action, upload=form.cleaned_data["minutes"])
    except DomainError as exc:
        if exc.status in (403, 409):
            return _refused(request, action, exc.message, status=exc.status)
        messages.error(request, exc.message)
    else:
        messages.success(request, "约谈记录已上传。")
    return redirect("accountability_detail", pk=pk)


def accountability_minutes_file(request, pk):
    action = action_detail(user=request.user, pk=pk)
    if not action.minutes:
        raise Http404
    return stored_file_response(action.minutes, content_type=action.minutes_type, original_name=action.minutes_name)


def accountability_docx(request, pk):
    action = action_detail(user=request.user, pk=pk)
    return docx_response(action_docx(action), action_filename(action))
