from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.selectors import supervisors_at_work
from core.concurrency import RowVersionFormMixin
from core.history import history_rows
from core.views import call_service, paginate, post_action, run_form_service

from . import organisation
from .forms import GroupMemberForm, ProgressForm, WorkingGroupForm
from .models import GroupMember, ProgressStatus, RequirementProgress, WorkingGroup
from .permissions import can_author_campaigns, can_keep_organisation, can_report_progress
from .progress import (
    applies_to,
    completion,
    items_of,
    progress_overview,
    progress_tree,
    progress_update,
    requirement_progress_rows,
)
from .selectors import campaign_list, campaign_revisions, progress_evidence


def campaign_list_view(request):
    return render(request, "campaign/campaign_list.html", {"page": paginate(request, campaign_list(user=request.user))})


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
        },
    )


def _campaign(request, pk):
    return get_object_or_404(campaign_list(user=request.user).filter(is_template=False), pk=pk)


def progress_view(request, pk):
    """One organisation's task tree: the user's own, or (for those who oversee) one they may see."""
    campaign = _campaign(request, pk)
    org = request.user.organization
    if request.GET.get("org"):
        org = get_object_or_404(Organization.objects.visible_to(request.user), pk=request.GET["org"])
    if org is None:
        raise Http404
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
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, progress_update, actor=request.user, organization=org, requirement=requirement, **form.cleaned_data
        )
        if saved:
            messages.success(request, f"已保存 {requirement.code} 的落实情况。")
            return redirect("progress", pk=campaign.pk)
    return render(
        request,
        "campaign/progress_edit.html",
        {
            "campaign": campaign,
            "requirement": requirement,
            "form": form,
            "progress": current,
            "history": history_rows(current) if current else [],
        },
    )


def progress_overview_view(request, pk):
    """The same tree across every organisation the user oversees: how many have done each item."""
    campaign = _campaign(request, pk)
    orgs = list(
        Organization.objects.visible_to(request.user).filter(kind__in=["mine", "enterprise"]).order_by("kind", "name")
    )
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
    orgs = list(
        Organization.objects.visible_to(request.user).filter(kind__in=["mine", "enterprise"]).order_by("kind", "name")
    )
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
