from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.selectors import supervisors_at_work
from core.concurrency import RowVersionFormMixin
from core.errors import DomainError, InvalidState, StaleEdit
from core.history import history_rows
from core.views import (
    form_errors_text,
    paginate,
    post_action,
    query_string_without_page,
    run_form_service,
)

from . import organisation, thresholds, verification
from .forms import (
    BatchVerifyForm,
    GroupMemberForm,
    ProgressForm,
    ProgressReturnForm,
    ProgressVerifyForm,
    ThresholdsForm,
    VerificationFilterForm,
    WorkingGroupForm,
)
from .membership import takes_part
from .models import GroupMember, ProgressStatus, RequirementProgress, VerificationState, WorkingGroup
from .permissions import (
    can_adopt_campaign,
    can_author_campaigns,
    can_keep_organisation,
    can_report_progress,
    can_see_progress_overview,
    can_see_thresholds,
    can_set_thresholds,
    can_verify_progress,
)
from .progress import (
    applies_to,
    completion,
    items_of,
    progress_overview,
    progress_tree,
    progress_update,
    requirement_progress_rows,
)
from .selectors import (
    adoption_by,
    adoptions_of,
    campaign_list,
    campaign_revisions,
    progress_evidence,
    progress_records,
    units_in_sight,
    units_taking_part,
    verification_queue,
)


def campaign_list_view(request):
    campaigns = campaign_list(user=request.user).prefetch_related("participants")
    return render(request, "campaign/campaign_list.html", {"page": paginate(request, campaigns)})


def campaign_detail(request, pk):
    campaign = get_object_or_404(campaign_list(user=request.user), pk=pk)
    today = timezone.localdate()
    requirements = list(campaign.requirements.order_by("order"))
    return render(
        request,
        "campaign/campaign_detail.html",
        {
            "campaign": campaign,
            "today": today,
            "phase": campaign.phase_on(today),
            "requirements": requirements,
            "revisions": list(campaign_revisions(campaign=campaign)[:20]),
            "may_author": can_author_campaigns(request.user, campaign),
            "participation": units_taking_part(campaign=campaign),
            **_levels_of(request.user, campaign),
        },
    )


def _levels_of(user, campaign):
    """A campaign between levels: the city's one it adopts (a county's answer), or, for a city's campaign, how each
    county below answered (its issuer sees every county; a county, its own answer and the button to adopt)."""
    context = {"adopts": campaign.adopts if campaign.adopts_id else None}
    if campaign.is_template or campaign.bureau is None or campaign.bureau.kind == "bureau":
        return context
    context["issued_above"] = True
    if user.organization_id == campaign.bureau_id:
        context["adoptions"] = adoptions_of(campaign=campaign)
    elif can_adopt_campaign(user, campaign):
        context["our_adoption"] = adoption_by(campaign=campaign, county_id=user.organization_id)
        context["may_adopt"] = context["our_adoption"] is None
    return context


def _campaign(request, pk):
    return get_object_or_404(campaign_list(user=request.user).filter(is_template=False), pk=pk)


def progress_view(request, pk):
    """One organisation's task tree: the user's own, or (for those who oversee) one they may see."""
    campaign = _campaign(request, pk)
    org = request.user.organization
    if request.GET.get("org"):
        raw = request.GET["org"]
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
            raise Http404
        org = get_object_or_404(Organization.objects.visible_to(request.user), pk=int(raw))
    if org is None or (org.kind in ("mine", "enterprise") and not takes_part(campaign, org)):
        raise Http404  # a unit not taking part in this campaign has no task tree in it
    tree = progress_tree(campaign=campaign, organization=org)
    return render(
        request,
        "campaign/progress.html",
        {
            "campaign": campaign,
            "organization": org,
            "tree": tree,
            "can_edit": can_report_progress(request.user, org),
        },
    )


def progress_edit(request, pk, requirement_pk):
    campaign = _campaign(request, pk)
    requirement = get_object_or_404(items_of(campaign), pk=requirement_pk)
    org = request.user.organization
    if org is None or not applies_to(requirement, org) or not can_report_progress(request.user, org):
        raise Http404
    current = RequirementProgress.objects.filter(organization=org, requirement=requirement).first()
    initial = (
        {"status": current.status, "figure": current.figure, "reason": current.reason, "note": current.note}
        if current
        else {"status": ProgressStatus.IN_PROGRESS}
    )
    form = ProgressForm(
        request.POST or None,
        request.FILES or None,
        requirement=requirement,
        initial=initial,
        row_version=current.row_version if current else 0,  # 0: nobody had filled it in
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = progress_update(actor=request.user, organization=org, requirement=requirement, **form.cleaned_data)
        except DomainError as exc:
            saved = None
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            # an item waiting for the bureau or verified refuses the change by its state: 409 (a page read before
            # someone else's save is told so, as every form of the page is, and shown again: 200)
            if isinstance(exc, InvalidState) and not isinstance(exc, StaleEdit):
                status = 409
        if saved:
            messages.success(request, f"已保存 {requirement.code} 的落实情况。")
            return redirect("progress", pk=campaign.pk)
    locked = _locked(current, requirement, org)
    return render(
        request,
        "campaign/progress_edit.html",
        {
            "campaign": campaign,
            "requirement": requirement,
            "form": form,
            "progress": current,
            "locked": locked,  # waiting for the bureau, or verified: shown, not edited
            "verified_by_hand": verification.needs_verification(requirement, org),
            "versions": list(current.versions.select_related("reviewed_by").order_by("-number")) if current else [],
            "history": history_rows(current) if current else [],
        },
        status=status,
    )


def _locked(progress, requirement, organization):
    """A self-declared item waiting for the bureau's 核验, or verified: the unit's page shows it, without the form."""
    return (
        progress is not None
        and verification.needs_verification(requirement, organization)
        and progress.state in (VerificationState.DECLARED, VerificationState.VERIFIED)
    )


def progress_overview_view(request, pk):
    """The same tree across every organisation the user oversees: how many have done each item."""
    campaign = _campaign(request, pk)
    orgs = list(units_in_sight(user=request.user, campaign=campaign).order_by("kind", "name"))
    counts = progress_overview(campaign=campaign, organizations=orgs)
    rows = []
    for r in campaign.requirements.order_by("order"):
        row = {"requirement": r}
        if r.level == "item":
            owing = sum(1 for o in orgs if applies_to(r, o))
            c = counts.get(r.pk, {})
            done, not_applicable = c.get(ProgressStatus.DONE, 0), c.get(ProgressStatus.NOT_APPLICABLE, 0)
            row.update(
                owing=owing,
                done=done,
                verified=c.get("verified", 0),
                declared=c.get(VerificationState.DECLARED, 0),
                returned=c.get(VerificationState.RETURNED, 0),
                in_progress=c.get(ProgressStatus.IN_PROGRESS, 0),
                not_applicable=not_applicable,
                percent=completion(owed=owing, done=done, not_applicable=not_applicable)["percent"] if owing else None,
            )
        rows.append(row)
    return render(
        request, "campaign/progress_overview.html", {"campaign": campaign, "rows": rows, "org_count": len(orgs)}
    )


def progress_item_view(request, pk, requirement_pk):
    campaign = _campaign(request, pk)
    requirement = get_object_or_404(items_of(campaign), pk=requirement_pk)
    orgs = list(units_in_sight(user=request.user, campaign=campaign).order_by("kind", "name"))
    return render(
        request,
        "campaign/progress_item.html",
        {
            "campaign": campaign,
            "requirement": requirement,
            "rows": requirement_progress_rows(requirement=requirement, organizations=orgs),
        },
    )


def progress_file_download(request, file_pk):
    item = get_object_or_404(progress_evidence(user=request.user), pk=file_pk)
    return item.response()


# ------------------------------------------------------------------ the campaign's organisation (section 二)


class RowVersionForm(RowVersionFormMixin, forms.Form):
    """A removal's form: only the version the page showed."""


def campaign_organisation(request, pk):
    """领导组、办公室、检查工作组 of the campaign, the 监管专员 and the bureau's contacts: for all who see the
    campaign."""
    campaign = get_object_or_404(campaign_list(user=request.user), pk=pk)
    return render(
        request,
        "campaign/organisation.html",
        {
            "campaign": campaign,
            "groups": organisation.organisation_of(campaign=campaign),
            "can_keep": can_keep_organisation(request.user, campaign),
            "bureau": campaign.bureau,
            "supervisors": list(supervisors_at_work(user=request.user)) if not campaign.is_template else [],
        },
    )


def _organisation_url(campaign_pk):
    return reverse("campaign_organisation", kwargs={"pk": campaign_pk})


def _organisation_form(request, form, *, campaign, title, status=200):
    return render(
        request,
        "campaign/organisation_form.html",
        {"form": form, "title": title, "campaign": campaign, "cancel_url": _organisation_url(campaign.pk)},
        status=status,
    )


def _group(request, pk):
    group = get_object_or_404(WorkingGroup.objects.visible_to(request.user).select_related("campaign"), pk=pk)
    if not can_keep_organisation(request.user, group.campaign):
        raise PermissionDenied
    return group


def _member(request, pk):
    qs = GroupMember.objects.visible_to(request.user).select_related("group__campaign", "user")
    member = get_object_or_404(qs, pk=pk)
    if not can_keep_organisation(request.user, member.group.campaign):
        raise PermissionDenied
    return member


def working_group_create(request, pk):
    campaign = _campaign(request, pk)
    if not can_keep_organisation(request.user, campaign):
        raise PermissionDenied
    form = WorkingGroupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        group, status = run_form_service(
            form, organisation.working_group_create, actor=request.user, campaign=campaign, **form.cleaned_data
        )
        if group:
            messages.success(request, f"已新增“{group.name}”，可继续添加成员。")
            return redirect(_organisation_url(campaign.pk))
    return _organisation_form(request, form, campaign=campaign, title="新增工作组", status=status)


def working_group_edit(request, pk):
    group = _group(request, pk)
    initial = {name: getattr(group, name) for name in organisation.GROUP_FIELDS}
    form = WorkingGroupForm(request.POST or None, initial=initial, row_version=group.row_version)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = run_form_service(
            form, organisation.working_group_update, actor=request.user, group=group, **form.cleaned_data
        )
        if saved:
            messages.success(request, "已保存。")
            return redirect(_organisation_url(group.campaign_id))
    return _organisation_form(request, form, campaign=group.campaign, title=f"修改：{group.name}", status=status)


@require_POST
def working_group_delete(request, pk):
    group = _group(request, pk)
    return post_action(
        request,
        RowVersionForm(request.POST, row_version=group.row_version),
        organisation.working_group_delete,
        done=f"已删除“{group.name}”。",
        then=_organisation_url(group.campaign_id),
        actor=request.user,
        group=group,
    )


def group_member_create(request, pk):
    group = _group(request, pk)
    form = GroupMemberForm(request.POST or None, campaign=group.campaign)
    status = 200
    if request.method == "POST" and form.is_valid():
        member, status = run_form_service(
            form, organisation.group_member_add, actor=request.user, group=group, **form.cleaned_data
        )
        if member:
            messages.success(request, f"已添加 {member.get_post_display()} {member.display_name}。")
            return redirect(_organisation_url(group.campaign_id))
    return _organisation_form(request, form, campaign=group.campaign, title=f"{group.name}：添加成员", status=status)


def group_member_edit(request, pk):
    member = _member(request, pk)
    campaign = member.group.campaign
    initial = {name: getattr(member, name) for name in organisation.MEMBER_FIELDS}
    form = GroupMemberForm(request.POST or None, campaign=campaign, initial=initial, row_version=member.row_version)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = run_form_service(
            form, organisation.group_member_update, actor=request.user, member=member, **form.cleaned_data
        )
        if saved:
            messages.success(request, "已保存。")
            return redirect(_organisation_url(campaign.pk))
    title = f"{member.group.name}：修改 {member.display_name}"
    return _organisation_form(request, form, campaign=campaign, title=title, status=status)


@require_POST
def group_member_delete(request, pk):
    member = _member(request, pk)
    return post_action(
        request,
        RowVersionForm(request.POST, row_version=member.row_version),
        organisation.group_member_remove,
        done=f"已从“{member.group.name}”移除 {member.display_name}。",
        then=_organisation_url(member.group.campaign_id),
        actor=request.user,
        member=member,
    )


# ------------------------------------------------------------------ 核验 (campaign.verification)


def _verification_url(campaign_pk, query=""):
    url = reverse("progress_verification", kwargs={"pk": campaign_pk})
    return f"{url}?{query}" if query else url


#: what the waiting list's address may carry back after a batch (its filters and page)
QUEUE_PARAMS = ("state", "organization", "section", "flagged", "page")


def progress_verification(request, pk):
    """The bureau's list of declared items: waiting first, filterable by unit, section and 多次退回; batch verify."""
    campaign = _campaign(request, pk)
    if not can_see_progress_overview(request.user):
        raise PermissionDenied("只有县局和主体企业可以查看各单位的申报。")
    organizations = units_in_sight(user=request.user, campaign=campaign)
    sections = campaign.requirements.filter(level="section").order_by("order")
    form = VerificationFilterForm(
        request.GET or None, organizations=organizations.order_by("kind", "name"), sections=sections
    )
    filters = form.cleaned_data if form.is_valid() else {}
    state = filters.get("state") or "declared"
    queue = verification_queue(
        user=request.user,
        campaign=campaign,
        state=state,
        organization=filters.get("organization"),
        section=filters.get("section"),
        flagged=filters.get("flagged") or False,
    )
    may_verify = can_verify_progress(request.user)
    return render(
        request,
        "campaign/verification.html",
        {
            "campaign": campaign,
            "form": form,
            "state": state,
            "page": paginate(request, queue),
            "query_string": query_string_without_page(request),
            "batch_form": BatchVerifyForm() if may_verify and state == "declared" else None,
        },
    )


@require_POST
def progress_verify_batch(request, pk):
    campaign = _campaign(request, pk)
    if not can_verify_progress(request.user):
        raise PermissionDenied("只有县局执法人员可以核验任务落实情况。")
    back = QueryDict(request.POST.get("query", "")[:500])
    then = _verification_url(campaign.pk, urlencode({k: back[k][:20] for k in QUEUE_PARAMS if back.get(k)}))
    form = BatchVerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(then)
    try:
        outcome = verification.progress_verify_many(
            actor=request.user, items=form.cleaned_data["items"], note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(then)
    if outcome.verified:
        messages.success(request, f"已批量核验通过 {len(outcome.verified)} 项，申报单位已收到通知。")
    for refusal in outcome.refused:
        messages.error(request, f"未通过：{refusal.label}——{refusal.message}")
    return redirect(then)


def progress_review(request, pk):
    """One unit's declared item: what it declared each time (versions, files, the bureau's answers), and for the
    bureau's inspectors the 核验通过／退回 forms."""
    progress = get_object_or_404(progress_records(user=request.user).prefetch_related("files"), pk=pk)
    versions = list(progress.versions.select_related("declared_by", "reviewed_by").order_by("-number"))
    may_verify = can_verify_progress(request.user, progress) and progress.state == VerificationState.DECLARED
    initial = {"version": progress.declarations, "row_version": progress.row_version}
    return render(
        request,
        "campaign/progress_review.html",
        {
            "progress": progress,
            "requirement": progress.requirement,
            "campaign": progress.requirement.campaign,
            "versions": versions,
            "verify_form": ProgressVerifyForm(initial=initial) if may_verify else None,
            # two forms on one page: the second's ids apart (their hidden fields share names)
            "return_form": ProgressReturnForm(initial=initial, auto_id="return_%s") if may_verify else None,
        },
    )


def _reviewed(request, pk, form_class, service, done):
    progress = get_object_or_404(progress_records(user=request.user), pk=pk)
    if not can_verify_progress(request.user, progress):
        raise PermissionDenied("只有县局执法人员可以核验任务落实情况。")
    return post_action(
        request,
        form_class(request.POST),
        service,
        done=done,
        then=reverse("progress_review", kwargs={"pk": pk}),
        actor=request.user,
        progress=progress,
    )


@require_POST
def progress_verify_view(request, pk):
    return _reviewed(request, pk, ProgressVerifyForm, verification.progress_verify, "已核验通过，申报单位已收到通知。")


@require_POST
def progress_return_view(request, pk):
    return _reviewed(request, pk, ProgressReturnForm, verification.progress_return, "已退回，申报单位补充后重新申报。")


# ------------------------------------------------------------------ the campaign's thresholds (campaign.thresholds)

THRESHOLD_HISTORY_SHOWN = 20


def campaign_thresholds(request, pk):
    """The notice's figures for this campaign: read by the bureau, edited by its inspectors."""
    campaign = _campaign(request, pk)
    if not can_see_thresholds(request.user):
        raise PermissionDenied("只有县局人员可以查看专项整治的阈值设置。")
    current = thresholds.thresholds_of(campaign)
    may_edit = can_set_thresholds(request.user, campaign)
    initial = {**current.values, "reminder_days": ",".join(map(str, current.values["reminder_days"]))}
    form = ThresholdsForm(request.POST or None, initial=initial, figures=current)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有本局执法人员可以修改专项整治的阈值。")
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if not form.fields[k].disabled}
            saved, status = run_form_service(
                form, thresholds.campaign_thresholds_update, actor=request.user, campaign=campaign, **values
            )
            if saved:
                versioned = f"，形成第 {saved.version} 版并已通知各单位" if saved.version != campaign.version else ""
                messages.success(request, f"已保存阈值设置{versioned}，自保存之时起登记的记录按新值判定。")
                return redirect("campaign_thresholds", pk=campaign.pk)
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    history = thresholds.threshold_history(campaign=campaign)
    return render(
        request,
        "campaign/thresholds.html",
        {
            "campaign": campaign,
            "form": form,
            "may_edit": may_edit,
            "held": current.held,
            # the latest changes; every version of the campaign is on its page
            "history": list(history[:THRESHOLD_HISTORY_SHOWN]),
            "history_more": history[THRESHOLD_HISTORY_SHOWN:].exists(),
        },
        status=status,
    )
