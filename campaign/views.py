from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.models import Organization
from core.history import history_rows
from core.views import call_service, paginate

from .forms import ProgressForm
from .models import ProgressStatus, RequirementProgress
from .permissions import can_report_progress
from .progress import (
    applies_to,
    completion,
    items_of,
    progress_overview,
    progress_tree,
    progress_update,
    requirement_progress_rows,
)
from .selectors import campaign_list, progress_evidence


def campaign_list_view(request):
    return render(request, "campaign/campaign_list.html", {"page": paginate(request, campaign_list(user=request.user))})


def campaign_detail(request, pk):
    campaign = get_object_or_404(campaign_list(user=request.user), pk=pk)
    today = timezone.localdate()
    requirements = list(campaign.requirements.order_by("order"))
    return render(
        request,
        "campaign/campaign_detail.html",
        {"campaign": campaign, "today": today, "phase": campaign.phase_on(today), "requirements": requirements},
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
