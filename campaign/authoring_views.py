"""The authoring pages (issue 21): a new campaign, its facts, phases, deadlines and task list, the task list imported
from the notice with a preview to correct, publishing, and the notice itself with an item's paragraph marked.
Thin: each write is a service of campaign.authoring; who may is campaign.permissions.can_author_campaigns."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.views import offered_only_to, run_form_service

from . import authoring
from .forms import (
    CampaignCreateForm,
    CampaignEditForm,
    DeadlineForm,
    PhaseForm,
    RequirementForm,
    TaskListUploadForm,
    evidence_choices,
)
from .models import Campaign, Deadline, Phase, Requirement, RequirementLevel, RequirementPerformer
from .permissions import can_adopt_campaign, can_author_campaigns
from .selectors import campaign_list
from .task_list import TaskListError, from_text, read_upload

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _authored(request, pk):
    """The campaign the user authors: 404 when it is not one the user sees, 403 when the user may not author it."""
    campaign = get_object_or_404(campaign_list(user=request.user).filter(is_template=False), pk=pk)
    if not can_author_campaigns(request.user, campaign):
        raise PermissionDenied
    return campaign


def _part_of(model, request, pk):
    """A phase, deadline or requirement of a campaign the user sees (404 otherwise) and authors (403 otherwise)."""
    visible = Campaign.objects.visible_to(request.user).filter(is_template=False)
    record = get_object_or_404(model.objects.filter(campaign__in=visible).select_related("campaign"), pk=pk)
    if not can_author_campaigns(request.user, record.campaign):
        raise PermissionDenied
    return record


def _detail(campaign):
    return reverse("campaign_detail", kwargs={"pk": campaign.pk})


def _form_page(request, form, *, campaign, title, status=200, help_text=""):
    return render(
        request,
        "campaign/authoring_form.html",
        {"form": form, "title": title, "campaign": campaign, "cancel_url": _detail(campaign), "help_text": help_text},
        status=status,
    )


# ------------------------------------------------------------------ the campaign


@offered_only_to("campaign.author_campaigns", authoring.NOT_ALLOWED)
def campaign_create(request):
    sources = campaign_list(user=request.user).order_by("-is_template", "-starts_on")
    form = CampaignCreateForm(request.POST or None, sources=sources, bureau_id=request.user.organization.bureau_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        campaign, status = run_form_service(form, authoring.campaign_create, actor=request.user, **form.cleaned_data)
        if campaign:
            messages.success(request, "已创建草稿。请导入或编制任务清单，核对阶段和报送时限后发布。")
            return redirect(_detail(campaign))
    return render(request, "campaign/campaign_create.html", {"form": form}, status=status)


def campaign_edit(request, pk):
    campaign = _authored(request, pk)
    initial = {name: getattr(campaign, name) for name in authoring.CAMPAIGN_FIELDS}
    initial["goals"] = "\n".join(g.get("name", "") for g in campaign.goals)
    initial["covers_all_units"] = "all" if campaign.covers_all_units else "chosen"
    initial["participants"] = (
        [] if campaign.covers_all_units else [str(pk) for pk in campaign.participants.values_list("pk", flat=True)]
    )
    form = CampaignEditForm(request.POST or None, initial=initial, bureau_id=campaign.bureau_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        changed = {
            k: v for k, v in form.cleaned_data.items() if k in form.changed_data and k in authoring.CAMPAIGN_FIELDS
        }
        if form.participation_changed and form.cleaned_data["covers_all_units"] is not None:
            changed.update({k: form.cleaned_data[k] for k in authoring.PARTICIPATION_FIELDS})
        saved, status = run_form_service(
            form, authoring.campaign_update, actor=request.user, campaign=campaign, **changed
        )
        if saved:
            messages.success(request, _saved_message(saved))
            return redirect(_detail(campaign))
    help_text = "" if campaign.is_draft else "该专项整治已发布：保存的每次修改形成新的版本，并通知各单位。"
    return render(
        request,
        "campaign/campaign_edit.html",
        {"form": form, "campaign": campaign, "help_text": help_text, "cancel_url": _detail(campaign)},
        status=status,
    )


def _saved_message(campaign):
    if campaign.is_draft:
        return "已保存。"
    return f"已保存为第 {campaign.version} 版，并已通知各单位。"


@require_POST
def campaign_publish(request, pk):
    campaign = _authored(request, pk)
    try:
        published = authoring.campaign_publish(actor=request.user, campaign=campaign)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_detail(campaign)) if exc.status in (400, 409) else _refused(request, exc)
    messages.success(request, f"已发布“{published.name}”（第 1 版），已通知参加的煤矿和主体企业。")
    return redirect(_detail(campaign))


@require_POST
def campaign_adopt(request, pk):
    """落实 the city's campaign: the county's draft copy, opened for editing."""
    campaign = get_object_or_404(campaign_list(user=request.user).filter(is_template=False), pk=pk)
    if not can_adopt_campaign(request.user, campaign):
        raise PermissionDenied
    try:
        copy = authoring.campaign_adopt(actor=request.user, campaign=campaign)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_detail(campaign)) if exc.status in (400, 409) else _refused(request, exc)
    messages.success(request, f"已生成本县落实方案草稿“{copy.name}”：请加上本县的报送时限和任务事项，填写文号后发布。")
    return redirect(_detail(copy))


def _refused(request, exc):
    return render(request, "403.html", {"reason": exc.message}, status=exc.status)


# ------------------------------------------------------------------ phases, deadlines, items


def phase_create(request, pk):
    campaign = _authored(request, pk)
    return _phase_page(request, campaign, None)


def phase_edit(request, pk):
    phase = _part_of(Phase, request, pk)
    return _phase_page(request, phase.campaign, phase)


def _phase_page(request, campaign, phase):
    initial = {} if phase is None else {n: getattr(phase, n) for n in ("name", "starts_on", "ends_on", "summary")}
    form = PhaseForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = run_form_service(
            form, authoring.phase_save, actor=request.user, campaign=campaign, phase=phase, **form.cleaned_data
        )
        if saved:
            messages.success(request, "已保存阶段。")
            return redirect(_detail(campaign))
    title = "新增阶段" if phase is None else f"修改阶段：{phase.name}"
    return _form_page(request, form, campaign=campaign, title=title, status=status)


def deadline_create(request, pk):
    campaign = _authored(request, pk)
    return _deadline_page(request, campaign, None)


def deadline_edit(request, pk):
    deadline = _part_of(Deadline, request, pk)
    return _deadline_page(request, deadline.campaign, deadline)


def _deadline_page(request, campaign, deadline):
    names = ("kind", "name", "due_on", "note", *authoring.DEADLINE_OWNERS)
    initial = (
        {"owed_by_mines": True, "owed_by_enterprises": True}
        if deadline is None
        else {n: getattr(deadline, n) for n in names}
    )
    form = DeadlineForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = run_form_service(
            form, authoring.deadline_save, actor=request.user, campaign=campaign, deadline=deadline, **form.cleaned_data
        )
        if saved:
            messages.success(request, "已保存报送时限。")
            return redirect(_detail(campaign))
    title = "新增报送时限" if deadline is None else f"修改报送时限：{deadline.name}"
    return _form_page(request, form, campaign=campaign, title=title, status=status)


def requirement_create(request, pk):
    campaign = _authored(request, pk)
    parent = None
    if request.GET.get("parent"):
        parent = get_object_or_404(
            campaign.requirements.exclude(level=RequirementLevel.ITEM), pk=_int(request.GET["parent"])
        )
    return _requirement_page(request, campaign, None, parent)


def requirement_edit(request, pk):
    requirement = _part_of(Requirement, request, pk)
    return _requirement_page(request, requirement.campaign, requirement, requirement.parent)


def _int(value):
    return int(value) if re.fullmatch(r"\d{1,12}", value or "") else 0


def _requirement_page(request, campaign, requirement, parent):
    level = (
        requirement.level
        if requirement
        else RequirementLevel.SECTION
        if parent is None
        else RequirementLevel.MEASURE
        if parent.level == RequirementLevel.SECTION
        else RequirementLevel.ITEM
    )
    names = ("name", "text", "paragraph", "performed_by", "target_min", "target_max", "target_unit", "evidence")
    initial = {"performed_by": getattr(parent, "performed_by", RequirementPerformer.ORGANIZATIONS)}
    if requirement is not None:
        initial = {n: getattr(requirement, n) for n in names}
    form = RequirementForm(request.POST or None, initial=initial, item=level == RequirementLevel.ITEM)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = run_form_service(
            form,
            authoring.requirement_save,
            actor=request.user,
            campaign=campaign,
            requirement=requirement,
            parent=parent,
            **form.cleaned_data,
        )
        if saved:
            messages.success(request, f"已保存 {saved.code}。")
            return redirect(_detail(campaign) + f"#r{saved.pk}")
    what = RequirementLevel(level).label
    title = (
        f"新增{what}" + (f"（{parent.code} 之下）" if parent else "")
        if requirement is None
        else f"修改{what} {requirement.code}"
    )
    return _form_page(request, form, campaign=campaign, title=title, status=status)


def _delete(request, record, service, *, done, **kwargs):
    campaign = record.campaign
    try:
        service(actor=request.user, **kwargs)
    except DomainError as exc:
        if exc.status == 403:
            return _refused(request, exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(_detail(campaign))


@require_POST
def phase_delete(request, pk):
    phase = _part_of(Phase, request, pk)
    return _delete(request, phase, authoring.phase_delete, done=f"已删除阶段“{phase.name}”。", phase=phase)


@require_POST
def deadline_delete(request, pk):
    deadline = _part_of(Deadline, request, pk)
    done = f"已删除报送时限“{deadline.name}”。"
    return _delete(request, deadline, authoring.deadline_delete, done=done, deadline=deadline)


@require_POST
def requirement_delete(request, pk):
    requirement = _part_of(Requirement, request, pk)
    done = f"已删除 {requirement.code} 及其下各项。"
    return _delete(request, requirement, authoring.requirement_delete, done=done, requirement=requirement)


# ------------------------------------------------------------------ the task list imported, with a preview


def task_list_import(request, pk):
    """Upload or paste → the preview tree to correct (rename, pick another part, split a measure into lettered
    items, set each item's owner, target and evidence rule) → save (task_list_save). A published campaign: 409."""
    campaign = _authored(request, pk)
    if not campaign.is_draft:
        return render(
            request,
            "campaign/task_list_refused.html",
            {"campaign": campaign, "message": authoring.PUBLISHED_IMPORT},
            status=409,
        )
    form = TaskListUploadForm(request.POST or None, request.FILES or None)
    errors, status = [], 200
    if request.method == "POST" and form.is_valid():
        upload, part = form.cleaned_data.get("file"), form.cleaned_data.get("part")
        try:
            if upload is not None:
                if upload.size > MAX_UPLOAD_BYTES:
                    raise TaskListError([{"paragraph": 0, "message": "文件过大（超过 10 MB）。"}])
                preview = read_upload(upload.name, upload.read(), part=part)
            else:
                preview = from_text(form.cleaned_data["text"], part=part)
        except TaskListError as exc:
            errors, status = exc.errors, 400
        else:
            return _preview_page(request, campaign, preview=preview)
    return render(
        request, "campaign/task_list_import.html", {"campaign": campaign, "form": form, "errors": errors}, status=status
    )


def _preview_page(request, campaign, *, preview=None, sections=None, source="", key="paragraph", errors=(), status=200):
    if preview is not None:
        sections, source, key, errors = preview.sections, preview.source, preview.key, preview.errors
        for section in sections:
            for measure in section["children"]:
                # A measure the notice did not split is one item, its whole text: the bureau splits it here.
                measure["items"] = measure["items"] or [{"text": measure["text"], "where": measure["where"]}]
    for section in sections:
        for measure in section["children"]:
            measure["sentences"] = sentences(measure.get("text") or "")
            for index, item in enumerate(measure["items"]):
                item["letter"] = chr(ord("a") + index) if index < 26 else "?"
    return render(
        request,
        "campaign/task_list_preview.html",
        {
            "campaign": campaign,
            "sections": sections,
            "parts": getattr(preview, "parts", []),
            "part": getattr(preview, "part", ""),
            "source": source,
            "key": key,
            "errors": errors,
            "owners": RequirementPerformer.choices,
            "evidence_choices": evidence_choices(),
        },
        status=status,
    )


def sentences(text):
    """A measure's sentences (ending in 。；！？ or a line's end): what the bureau picks to split it into items."""
    return [s.strip() for s in re.findall(r"[^。；！？\n]+[。；！？]?", text) if s.strip(" 。；")]


ITEM_FIELDS = ("text", "owner", "target_min", "target_max", "target_unit", "evidence", "where")


def posted_tree(post):
    """The corrected tree as the preview form posts it: s-<i>-name, m-<i>-<j>-name, i-<i>-<j>-<k>-text …, in the
    order of their numbers (rows removed in the page leave gaps, rows added take the next number)."""
    sections = {}
    for name, value in post.items():
        match = re.fullmatch(r"([smi])-(\d{1,3})(?:-(\d{1,3}))?(?:-(\d{1,3}))?-(\w+)", name)
        if not match:
            continue
        kind, s, m, i, field = match.groups()
        section = sections.setdefault(int(s), {"children": {}})
        if kind == "s" and m is None:
            section[field] = value
        elif kind == "m" and m is not None and i is None:
            section["children"].setdefault(int(m), {"items": {}})[field] = value
        elif kind == "i" and m is not None and i is not None and field in ITEM_FIELDS:
            measure = section["children"].setdefault(int(m), {"items": {}})
            measure["items"].setdefault(int(i), {})[field] = value
    tree = []
    for s in sorted(sections):
        section = sections[s]
        measures = []
        for m in sorted(section["children"]):
            raw = section["children"][m]
            measure = {k: v for k, v in raw.items() if k != "items"}
            measure["items"] = [item for _, item in sorted(raw["items"].items()) if (item.get("text") or "").strip()]
            measures.append(measure)
        tree.append({**{k: v for k, v in section.items() if k != "children"}, "children": measures})
    return tree


@require_POST
def task_list_save(request, pk):
    campaign = _authored(request, pk)
    sections = posted_tree(request.POST)
    key = "row" if request.POST.get("key") == "row" else "paragraph"
    source = request.POST.get("source", "") if key == "paragraph" else ""
    keep_notice = key == "paragraph" and request.POST.get("keep_notice") == "on" and source.strip()
    try:
        created = authoring.task_list_save(
            actor=request.user,
            campaign=campaign,
            sections=sections,
            notice_text=source if keep_notice else None,
            key=key,
        )
    except authoring.TaskTreeInvalid as exc:
        return _preview_page(
            request, campaign, sections=sections, source=source, key=key, errors=exc.errors, status=400
        )
    except DomainError as exc:
        if exc.status == 409:
            return render(
                request, "campaign/task_list_refused.html", {"campaign": campaign, "message": exc.message}, status=409
            )
        return _refused(request, exc)
    messages.success(
        request,
        f"已保存任务清单：{created['sections']} 个部分、{created['measures']} 项措施、{created['items']} 个事项。",
    )
    return redirect(_detail(campaign))


# ------------------------------------------------------------------ the notice


def campaign_notice(request, pk):
    """The notice's text, paragraph by paragraph; `?p=N` marks the paragraph an item comes from (and its items)."""
    campaign = get_object_or_404(campaign_list(user=request.user), pk=pk)
    marked = authoring.paragraph_number(request.GET.get("p"))
    items = {}
    for r in campaign.requirements.exclude(paragraph=None).order_by("order"):
        items.setdefault(r.paragraph, []).append(r)
    paragraphs = [{"number": n, "text": text, "items": items.get(n, [])} for n, text in campaign.notice_paragraphs()]
    return render(
        request,
        "campaign/notice.html",
        {"campaign": campaign, "paragraphs": paragraphs, "marked": marked},
    )
