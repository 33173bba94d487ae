"""Campaigns authored in the browser (issue 21 items 1–3): a bureau creates a campaign blank, from a template or from a
past campaign, edits its facts, phases, deadlines and task list, imports the task list from the notice, and publishes.

A campaign is a draft until published. Publishing locks its structure: a change after it (facts, dates, phases,
deadlines, items) is a new version, recorded as a CampaignRevision (who, when, what) and announced once per version
to the organisations concerned (`campaign.signals.campaign_revised`; notifications sends the notices). A task list is
imported into a draft only: a published campaign refuses it (409) — its items are changed one at a time, each change a
version.

Services: keyword-only, one transaction each, the permission asked of campaign.permissions, the campaign row locked, a
Chinese DomainError when refused (400 bad value, 403 not permitted, 404 not visible, 409 the state forbids it)."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError, Q
from django.utils import timezone

from core.errors import DomainError, InvalidState, NotFound, NotPermitted

from .membership import units_q, upward_q
from .models import (
    Campaign,
    CampaignRevision,
    CampaignStatus,
    Deadline,
    DeadlineKind,
    Phase,
    RecordEvidence,
    Requirement,
    RequirementLevel,
    RequirementPerformer,
    RevisionKind,
)
from .permissions import can_author_campaigns
from .services import campaign_clone
from .signals import campaign_revised

NOT_ALLOWED = "只有县局执法人员可以编制、修改和发布专项整治。"
PUBLISHED_IMPORT = "该专项整治已发布，不能再导入任务清单；请逐项修改（每次修改形成新的版本并通知各单位）。"
MAX_ITEMS_PER_MEASURE = 26  # lettered a–z
CAMPAIGN_FIELDS = ("name", "document_no", "issuer", "issued_on", "starts_on", "ends_on", "goals", "notice_text")
PARTICIPATION_FIELDS = ("covers_all_units", "participants")
ALL_UNITS = "全县煤矿和主体企业"
MAX_PARTICIPANTS = 1000
NAMES_IN_A_LINE = 20
LABELS = {
    "name": "名称",
    "document_no": "文号",
    "issuer": "印发单位",
    "issued_on": "印发日期",
    "starts_on": "开始日期",
    "ends_on": "结束日期",
    "goals": "目标",
    "notice_text": "通知全文",
}


# ------------------------------------------------------------------ helpers


def organisations_concerned(campaign):
    """The organisations a campaign's versions are announced to: the mines and enterprises taking part in it (all of
    its bureau's, or those it names with the enterprises and mines they bring in: campaign.membership); a city's
    campaign, the counties below it that take part (they adopt it and report to it)."""
    from accounts.models import Organization

    return Organization.objects.filter(
        (units_q(campaign) & Q(kind__in=["mine", "enterprise"])) | (upward_q(campaign) & ~Q(pk=campaign.bureau_id))
    )


def _locked(campaign):
    return Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)


def _may_author(actor, campaign=None):
    if not can_author_campaigns(actor, campaign):
        raise NotPermitted(NOT_ALLOWED)


def _clean(instance, names):
    """The model's own validators for the fields `names` (the form, the API and the importer share them)."""
    exclude = [f.name for f in instance._meta.concrete_fields if f.name not in names]
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = LABELS.get(field) or str(instance._meta.get_field(field).verbose_name)
        raise DomainError(f"{label}：{messages[0]}", field=field) from exc


def _text(value, label, field, *, limit, required=False):
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not value:
        raise DomainError(f"请填写{label}。", field=field)
    if len(value) > limit:
        raise DomainError(f"{label}不能超过 {limit} 个字。", field=field)
    return value


def _goals(value):
    """Goals as [{code, name}]: from a list of names, of {code, name}, or lines of text (the page's textarea)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list):
        raise DomainError("目标应为一行一个。", field="goals")
    goals = []
    for i, goal in enumerate(value, start=1):
        name = goal.get("name", "") if isinstance(goal, dict) else goal
        name = _text(name, "目标", "goals", limit=60)
        if name:
            code = goal.get("code") if isinstance(goal, dict) and goal.get("code") else f"goal_{i}"
            goals.append({"code": str(code)[:40], "name": name})
    if len(goals) > 20:
        raise DomainError("目标不能超过 20 个。", field="goals")
    return goals


def _new_code(bureau, starts_on):
    return _free_code(f"c{bureau.pk}-{starts_on:%Y%m%d}")


def _free_code(base):
    """`base`, or `base-2`, `base-3` … whichever no campaign has yet."""
    code, n = base, 1
    while Campaign.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _record(campaign, actor, changes, kind=RevisionKind.STRUCTURE):
    """After publishing, every change is the next version: recorded and announced once. A draft records nothing."""
    if campaign.is_draft or not changes:
        return None
    campaign.version += 1
    campaign.save(update_fields=["version"])
    return _revision(campaign, actor, changes, kind)


def _revision(campaign, actor, changes, kind=RevisionKind.STRUCTURE):
    summary = changes[0] if len(changes) == 1 else f"{changes[0].rstrip('。')}等 {len(changes)} 处修改"
    revision = CampaignRevision.objects.create(
        campaign=campaign,
        version=campaign.version,
        changed_by=actor,
        summary=summary[:200],
        changes=changes,
        kind=kind,
    )
    # Sent inside the transaction: the notices are written with the version or not at all.
    campaign_revised.send(sender=CampaignRevision, revision=revision)
    return revision


def _fmt(value):
    if value is None or value == "":
        return "（空）"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, list):
        return "、".join(g["name"] for g in value) or "（空）"
    text = str(value)
    return text if len(text) <= 30 else f"{text[:30]}…"


# ------------------------------------------------------------------ who takes part


def check_participants(*, bureau_id, covers_all_units, participants):
    """Who takes part, checked the same for the pages and the API: every mine and enterprise of the bureau
    (`covers_all_units`), or the ones named — each one of the bureau's own mines or enterprises. `participants`:
    Organizations or their ids. Returns the units named (none when all take part)."""
    from accounts.models import Organization

    ids = []
    for value in participants or []:
        pk = value.pk if isinstance(value, Organization) else value
        try:
            pk = int(pk)
        except (TypeError, ValueError) as exc:
            raise DomainError("参加单位应为单位编号。", field="participants") from exc
        if pk not in ids:
            ids.append(pk)
    if covers_all_units:
        if ids:
            raise DomainError(f"选择“{ALL_UNITS}”参加时，不需再选定参加单位。", field="participants")
        return []
    if not ids:
        raise DomainError(f"请至少选择一个参加单位，或选择“{ALL_UNITS}”参加。", field="participants")
    if len(ids) > MAX_PARTICIPANTS:
        raise DomainError(f"参加单位不能超过 {MAX_PARTICIPANTS} 个。", field="participants")
    found = {o.pk: o for o in Organization.objects.filter(pk__in=[pk for pk in ids if 0 < pk < 2**63])}
    issuer_kind = Organization.objects.filter(pk=bureau_id).values_list("kind", flat=True).first()
    if issuer_kind in ("city", "province"):
        # A city's campaign names the counties below it (a province's, its cities): they adopt it and report to it.
        for pk in ids:
            unit = found.get(pk)
            if unit is None or unit.parent_id != bureau_id or unit.kind not in ("bureau", "city"):
                raise DomainError(
                    f"所选单位（编号 {pk}）不是本单位的下一级监管部门，不能选为参加单位。", field="participants"
                )
        return [found[pk] for pk in ids]
    for pk in ids:
        unit = found.get(pk)
        if unit is None or unit.bureau_id != bureau_id:
            # another county's unit (or none at all): its name is not this bureau's to read
            raise DomainError(f"所选单位（编号 {pk}）不属于本局，不能选为参加单位。", field="participants")
        if unit.kind not in ("mine", "enterprise"):
            raise DomainError(
                f"“{unit.name}”不是煤矿或主体企业：参加单位只能是本局所辖的煤矿和主体企业。", field="participants"
            )
    return [found[pk] for pk in ids]


def _participation(campaign, covers_all_units, participants):
    """(covers_all_units, units named) as asked, or None when nothing is asked. Naming units without saying more
    means only they take part; choosing all takes part clears the list; choosing "only those named" without naming
    keeps the units named so far."""
    if covers_all_units is None and participants is None:
        return None
    if covers_all_units is None:
        covers_all_units = not participants
    if not covers_all_units and participants is None:
        participants = list(campaign.participants.all()) if campaign.pk else []
    named = check_participants(
        bureau_id=campaign.bureau_id, covers_all_units=covers_all_units, participants=participants
    )
    return bool(covers_all_units), named


def _taking_part(campaign):
    """{pk: name} of the mines and enterprises taking part, enterprises first (one query)."""
    rows = organisations_concerned(campaign).order_by("kind", "name", "pk").values_list("pk", "short_name", "name")
    return {pk: short or name for pk, short, name in rows}


def _names(names):
    shown = "、".join(names[:NAMES_IN_A_LINE])
    return shown if len(names) <= NAMES_IN_A_LINE else f"{shown}等 {len(names)} 个单位"


def _participation_changes(*, was_all, before, campaign, after):
    """The version's lines for a change of who takes part: the scope, then the units that came in and went out (as
    they take part, with the enterprises and mines a named unit brings in)."""
    lines = []
    if was_all != campaign.covers_all_units:
        now = ALL_UNITS if campaign.covers_all_units else "选定的煤矿和主体企业"
        lines.append(f"参加范围：{ALL_UNITS if was_all else '选定的煤矿和主体企业'} → {now}。")
    added = [name for pk, name in after.items() if pk not in before]
    removed = [name for pk, name in before.items() if pk not in after]
    if added:
        lines.append(f"新增参加单位：{_names(added)}。")
    if removed:
        lines.append(f"移出参加单位：{_names(removed)}。")
    return lines


def _set_participation(campaign, asked):
    covers_all_units, named = asked
    campaign.covers_all_units = covers_all_units
    campaign.participants.set(named)
    campaign.__dict__.pop("_participants_read", None)  # campaign.membership's per-instance cache


# ------------------------------------------------------------------ the campaign


@transaction.atomic
def campaign_create(
    *,
    actor,
    name,
    starts_on,
    ends_on=None,
    source=None,
    document_no="",
    issuer="",
    issued_on=None,
    goals=None,
    notice_text="",
    code=None,
    covers_all_units=None,
    participants=None,
):
    """A draft campaign of the actor's bureau: blank, or copied from `source` (a template or a past campaign the actor
    sees) with every date shifted to `starts_on` — without the source's 文号 (the new notice has its own). Who takes
    part: every mine and enterprise of the bureau (`covers_all_units`), or the `participants` named; neither given, a
    copy keeps its source's and a blank campaign covers all."""
    _may_author(actor)
    bureau = actor.organization  # a county bureau, or a city (province) issuing a campaign its counties adopt
    if bureau is None or not bureau.is_regulator:
        raise NotPermitted(NOT_ALLOWED)
    if source is not None and not Campaign.objects.visible_to(actor).filter(pk=source.pk).exists():
        raise NotFound("未找到要复制的专项整治。")
    if starts_on is None:
        raise DomainError("请填写开始日期。", field="starts_on")
    code = (code or "").strip() or _new_code(bureau, starts_on)
    if source is not None:
        try:
            campaign = campaign_clone(
                source=source,
                code=code,
                starts_on=starts_on,
                bureau=bureau,
                name=(name or "").strip() or source.name,
                actor=actor,
                document_no=document_no or "",
                status=CampaignStatus.DRAFT,
            )
        except IntegrityError as exc:  # the same code taken at the same moment by another request
            raise DomainError(f"编号“{code}”已被使用，请换一个编号。", field="code") from exc
        campaign.version = 0
        if ends_on is not None:
            campaign.ends_on = ends_on
        campaign.issuer = issuer or campaign.issuer
        campaign.issued_on = issued_on
        if goals is not None:
            campaign.goals = _goals(goals)
        if notice_text:
            campaign.notice_text = notice_text
    else:
        if Campaign.objects.filter(code=code).exists():
            raise DomainError(f"编号“{code}”已被使用，请换一个编号。", field="code")
        campaign = Campaign(
            code=code,
            bureau=bureau,
            created_by=actor,
            status=CampaignStatus.DRAFT,
            version=0,
            starts_on=starts_on,
            ends_on=ends_on or starts_on,
            issuer=issuer or bureau.name,
            goals=_goals(goals),
            notice_text=notice_text or "",
        )
        campaign.issued_on = issued_on
    campaign.name = _text(name or campaign.name, "名称", "name", limit=200, required=True)
    campaign.document_no = _text(document_no, "文号", "document_no", limit=60)
    campaign.issuer = _text(campaign.issuer, "印发单位", "issuer", limit=100)
    _check_dates(campaign)
    _clean(campaign, CAMPAIGN_FIELDS)
    asked = _participation(campaign, covers_all_units, participants)
    if asked is not None:
        campaign.covers_all_units = asked[0]
    _save(campaign, f"编号“{code}”已被使用，请换一个编号。", field="code")
    if asked is not None:
        _set_participation(campaign, asked)
    return campaign


def _check_dates(campaign):
    if campaign.ends_on < campaign.starts_on:
        raise DomainError("结束日期不能早于开始日期。", field="ends_on")
    if (campaign.ends_on - campaign.starts_on).days > 3 * 366:
        raise DomainError("一期专项整治不能超过 3 年。", field="ends_on")


@transaction.atomic
def campaign_update(*, actor, campaign, **fields):
    """Change the campaign's facts and who takes part (`covers_all_units`, `participants`, as campaign_create takes
    them). A new start date shifts the whole campaign — its end, every phase and every deadline — by the same number
    of days, so each keeps its offset; an end date given as well is taken as is. After publishing, the units that come
    in or go out are lines of the new version, announced to the units taking part after it."""
    unknown = set(fields) - set(CAMPAIGN_FIELDS) - set(PARTICIPATION_FIELDS)
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(sorted(unknown))}。")
    campaign = _locked(campaign)
    _may_author(actor, campaign)
    before = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    asked = _participation(campaign, fields.pop("covers_all_units", None), fields.pop("participants", None))
    changes = []
    if "goals" in fields:
        fields["goals"] = _goals(fields["goals"])
    for name, limit, required in (("name", 200, True), ("document_no", 60, False), ("issuer", 100, False)):
        if name in fields:
            fields[name] = _text(fields[name], LABELS[name], name, limit=limit, required=required)
    if "notice_text" in fields:
        fields["notice_text"] = (fields["notice_text"] or "").replace("\r\n", "\n")
    new_start = fields.pop("starts_on", None)
    new_end = fields.pop("ends_on", None)
    for name, value in fields.items():
        setattr(campaign, name, value)
    if new_start is not None and new_start != campaign.starts_on:
        delta = new_start - campaign.starts_on
        changes.append(f"日期整体平移 {delta.days:+d} 天（开始日期 {_fmt(campaign.starts_on)} → {_fmt(new_start)}）。")
        _shift(campaign, delta)
    if new_end is not None and new_end != campaign.ends_on:
        changes.append(f"结束日期：{_fmt(campaign.ends_on)} → {_fmt(new_end)}。")
        campaign.ends_on = new_end
    _check_dates(campaign)
    _clean(campaign, CAMPAIGN_FIELDS)
    for name in ("name", "document_no", "issuer", "issued_on", "goals", "notice_text"):
        if getattr(campaign, name) != before[name]:
            if name == "notice_text":
                changes.append("修改了通知全文。")
            else:
                changes.append(f"{LABELS[name]}：{_fmt(before[name])} → {_fmt(getattr(campaign, name))}。")
    if asked is not None:
        was_all, taking_part = campaign.covers_all_units, _taking_part(campaign)
        _set_participation(campaign, asked)
    campaign.save()
    if asked is not None:
        changes += _participation_changes(
            was_all=was_all, before=taking_part, campaign=campaign, after=_taking_part(campaign)
        )
    _record(campaign, actor, changes)
    return campaign


def _shift(campaign, delta):
    """Every date of the campaign moved by `delta`: its own, its phases', its deadlines' (a monthly deadline's period
    follows its new due date)."""
    campaign.starts_on += delta
    campaign.ends_on += delta
    # The 印发日期 stays: the notice was issued when it was, shifting the campaign does not re-date the document.
    phases = list(campaign.phases.all())
    for p in phases:
        p.starts_on += delta
        p.ends_on += delta
    Phase.objects.bulk_update(phases, ["starts_on", "ends_on"])
    deadlines = list(campaign.deadlines.all())
    for d in deadlines:
        d.due_on += delta
        if d.kind == DeadlineKind.MONTHLY and d.period:
            d.period = f"{d.due_on:%Y-%m}"
    Deadline.objects.bulk_update(deadlines, ["due_on", "period"])


@transaction.atomic
def campaign_adopt(*, actor, campaign):
    """A county's answer to the campaign of the city above it (落实市局部署): a draft campaign of the county copied from
    the city's — its phases, the deadlines its mines and enterprises owe, its task list, every date as the city set
    them — linked to it (`adopts`), which the county then completes with its own deadlines and items and publishes
    under its own 文号, as the Yangcheng notice did on the city's. The deadlines the counties owe the city stay on the
    city's campaign: the county reports to them there. Once per county and city campaign (409 the second time)."""
    _may_author(actor)
    county = actor.organization
    if county is None or county.kind != "bureau":
        raise NotPermitted("只有县局可以落实上级部署的专项整治。")
    if not Campaign.objects.visible_to(actor).filter(pk=campaign.pk, bureau_id=county.parent_id).exists():
        raise NotFound("未找到该专项整治。")  # not the city's above this county, or not one it takes part in
    already = Campaign.objects.filter(bureau=county, adopts=campaign).first()
    if already is not None:
        raise InvalidState(f"本局已落实该专项整治（{already.name}），请在其中修改。")
    code = _free_code(f"{campaign.code}-{county.division_code or county.pk}"[:36])
    try:
        with transaction.atomic():
            # The county's own name for it: 全市… becomes 全县…, else the county's name follows (two counties' answers
            # and the city's own do not read alike in a city's lists).
            name = (
                "全县" + campaign.name[2:]
                if campaign.name.startswith("全市")
                else f"{campaign.name}（{county.short_name or county.name}）"
            )
            copy = campaign_clone(
                source=campaign,
                code=code,
                name=name[:200],
                starts_on=campaign.starts_on,
                bureau=county,
                actor=actor,
                document_no="",
                status=CampaignStatus.DRAFT,
            )
            copy.adopts = campaign
            copy.version = 0
            copy.issuer = county.name
            copy.issued_on = None
            copy.save(update_fields=["adopts", "version", "issuer", "issued_on"])
    except IntegrityError as exc:  # a colleague adopted it at the same moment
        raise InvalidState("本局已落实该专项整治，请刷新后在其中修改。") from exc
    # What the counties owe the city is owed on the city's campaign; the copy keeps what its own units owe.
    copy.deadlines.filter(owed_by_bureau=True, owed_by_mines=False, owed_by_enterprises=False).delete()
    copy.deadlines.filter(owed_by_bureau=True).update(owed_by_bureau=False)
    return copy


@transaction.atomic
def campaign_publish(*, actor, campaign):
    """Publish a draft: mines and enterprises see it, its records and deadlines count from now, and its structure is
    locked (version 1; later changes are versions 2, 3 …)."""
    campaign = _locked(campaign)
    _may_author(actor, campaign)
    if not campaign.is_draft:
        raise InvalidState(
            f"该专项整治已于 {timezone.localtime(campaign.published_at):%Y-%m-%d} 发布，不能重复发布。"
            if campaign.published_at
            else "该专项整治已发布，不能重复发布。"
        )
    if not campaign.document_no:
        raise DomainError("请先填写文号再发布。", field="document_no")
    if not campaign.requirements.filter(level=RequirementLevel.ITEM).exists():
        raise DomainError("任务清单还没有事项：请先导入或添加任务清单再发布。")
    campaign.status = CampaignStatus.PUBLISHED
    campaign.version = 1
    campaign.published_at = timezone.now()
    campaign.published_by = actor
    campaign.save(update_fields=["status", "version", "published_at", "published_by"])
    _revision(campaign, actor, ["发布。"])
    return campaign


# ------------------------------------------------------------------ phases and deadlines


def _next(queryset, field="order"):
    return (queryset.aggregate(top=Max(field))["top"] or 0) + 1


def _save(record, message, field="name"):
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise DomainError(message, field=field) from exc


@transaction.atomic
def phase_save(*, actor, campaign, phase=None, name, starts_on, ends_on, summary="", order=None):
    campaign = _locked(campaign)
    _may_author(actor, campaign)
    new = phase is None
    if new:
        phase = Phase(campaign=campaign, order=order or _next(campaign.phases))
        phase.code = f"phase_{phase.order}"
    elif phase.campaign_id != campaign.pk:
        raise NotFound("未找到该阶段。")
    before = (phase.name, phase.starts_on, phase.ends_on, phase.summary)
    phase.name = _text(name, "阶段名称", "name", limit=60, required=True)
    phase.summary = _text(summary, "工作内容", "summary", limit=5000)
    phase.starts_on, phase.ends_on = starts_on, ends_on
    if order:
        phase.order = order
    if starts_on is None or ends_on is None:
        raise DomainError("请填写阶段的开始和结束日期。", field="starts_on" if starts_on is None else "ends_on")
    if ends_on < starts_on:
        raise DomainError("阶段的结束日期不能早于开始日期。", field="ends_on")
    if starts_on < campaign.starts_on or ends_on > campaign.ends_on:
        raise DomainError("阶段应在专项整治的起止日期之内。", field="starts_on")
    _clean(phase, ("name", "starts_on", "ends_on", "summary", "order"))
    _save(phase, "该顺序已有阶段，请换一个顺序。", field="order")
    after = (phase.name, phase.starts_on, phase.ends_on, phase.summary)
    if new:
        _record(campaign, actor, [f"新增阶段“{phase.name}”（{_fmt(starts_on)} 至 {_fmt(ends_on)}）。"])
    elif after != before:
        _record(campaign, actor, [f"修改阶段“{phase.name}”（{_fmt(starts_on)} 至 {_fmt(ends_on)}）。"])
    return phase


@transaction.atomic
def phase_delete(*, actor, phase):
    campaign = _locked(phase.campaign)
    _may_author(actor, campaign)
    phase.delete()
    _record(campaign, actor, [f"删除阶段“{phase.name}”。"])


DEADLINE_OWNERS = ("owed_by_mines", "owed_by_enterprises", "owed_by_bureau")


@transaction.atomic
def deadline_save(
    *,
    actor,
    campaign,
    deadline=None,
    kind,
    name,
    due_on,
    owed_by_mines=False,
    owed_by_enterprises=False,
    owed_by_bureau=False,
    note="",
):
    """A deadline and who owes it: the mines, the enterprises, or the bureau itself to the level above."""
    campaign = _locked(campaign)
    _may_author(actor, campaign)
    if kind not in DeadlineKind.values:
        raise DomainError("请选择报送类型。", field="kind")
    if due_on is None:
        raise DomainError("请填写截止日期。", field="due_on")
    if not (owed_by_mines or owed_by_enterprises or owed_by_bureau):
        raise DomainError("请至少选择一个报送单位（煤矿、主体企业或县局）。", field="owed_by_mines")
    new = deadline is None
    if new:
        deadline = Deadline(campaign=campaign)
    elif deadline.campaign_id != campaign.pk:
        raise NotFound("未找到该报送时限。")
    before = (deadline.kind, deadline.name, deadline.due_on, *(getattr(deadline, f) for f in DEADLINE_OWNERS))
    deadline.kind, deadline.due_on = kind, due_on
    deadline.name = _text(name, "名称", "name", limit=100, required=True)
    deadline.note = _text(note, "说明", "note", limit=200)
    deadline.owed_by_mines, deadline.owed_by_enterprises = bool(owed_by_mines), bool(owed_by_enterprises)
    deadline.owed_by_bureau = bool(owed_by_bureau)
    deadline.period = f"{due_on:%Y-%m}" if kind == DeadlineKind.MONTHLY else ""
    if new:
        stem = f"{kind}_{due_on:%Y_%m}" if kind == DeadlineKind.MONTHLY else kind
        code, n = stem, 1
        while campaign.deadlines.filter(code=code).exists():
            n += 1
            code = f"{stem}_{n}"
        deadline.code = code
    _clean(deadline, ("name", "due_on", "note"))
    _save(deadline, "该报送时限的编号重复。", field="name")
    after = (deadline.kind, deadline.name, deadline.due_on, *(getattr(deadline, f) for f in DEADLINE_OWNERS))
    what = f"“{deadline.name}”（{_fmt(due_on)}前，{deadline.owed_by_display}报送）"
    if new:
        _record(campaign, actor, [f"新增报送时限{what}。"])
    elif after != before:
        _record(campaign, actor, [f"修改报送时限{what}。"])
    return deadline


@transaction.atomic
def deadline_delete(*, actor, deadline):
    campaign = _locked(deadline.campaign)
    _may_author(actor, campaign)
    name = deadline.name
    try:
        with transaction.atomic():
            deadline.delete()
    except ProtectedError as exc:
        raise InvalidState(f"已有单位针对“{name}”报送或被催报，不能删除；可修改其截止日期。") from exc
    _record(campaign, actor, [f"删除报送时限“{name}”。"])


# ------------------------------------------------------------------ the task list, item by item


def _decimal(value, label, field):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(f"{label}应为数字。", field=field) from exc
    if not number.is_finite() or number < 0 or number >= Decimal("100000000"):
        raise DomainError(f"{label}应在 0 至 99999999 之间。", field=field)
    return number.quantize(Decimal("0.01"))


def check_item(fields, *, where=""):
    """One item's owner, target and evidence rule, checked the same for the page, the preview and the API.
    Returns the cleaned values."""
    at = f"{where}：" if where else ""
    owner = fields.get("performed_by") or fields.get("owner") or RequirementPerformer.ORGANIZATIONS
    if owner not in RequirementPerformer.values:
        raise DomainError(f"{at}落实主体应为“主体和煤矿”或“县局”。", field="performed_by")
    evidence = fields.get("evidence") or ""
    if evidence and evidence not in RecordEvidence.values:
        raise DomainError(f"{at}无法识别的证明方式“{evidence}”。", field="evidence")
    target_min = _decimal(fields.get("target_min"), f"{at}目标下限", "target_min")
    target_max = _decimal(fields.get("target_max"), f"{at}目标上限", "target_max")
    if target_min is not None and target_max is not None and target_min > target_max:
        raise DomainError(f"{at}目标下限不能大于上限。", field="target_min")
    unit = _text(fields.get("target_unit"), f"{at}单位", "target_unit", limit=20)
    return {
        "performed_by": owner,
        "evidence": evidence,
        "target_min": target_min,
        "target_max": target_max,
        "target_unit": unit,
    }


def _name_of(text):
    """A requirement's name (300 characters) from its text: the text itself, or its first sentence, or its start."""
    text = " ".join(text.split())
    if len(text) <= 300:
        return text
    first = text.split("。", 1)[0]
    return first if len(first) <= 300 else text[:299] + "…"


@transaction.atomic
def requirement_save(*, actor, campaign, requirement=None, parent=None, name, text="", paragraph=None, **item):
    """Add or change one section, measure or item (an item: under a measure; a measure: under a section; a section:
    at the top). After publishing each change is a new version; a new item's progress starts empty."""
    campaign = _locked(campaign)
    _may_author(actor, campaign)
    new = requirement is None
    if new:
        if parent is not None and (parent.campaign_id != campaign.pk or parent.level == RequirementLevel.ITEM):
            raise DomainError("请选择所属的部分或措施。", field="parent")
        level = (
            RequirementLevel.SECTION
            if parent is None
            else RequirementLevel.MEASURE
            if parent.level == RequirementLevel.SECTION
            else RequirementLevel.ITEM
        )
        siblings = campaign.requirements.filter(parent=parent)
        n = siblings.count() + 1
        if level == RequirementLevel.ITEM and n > MAX_ITEMS_PER_MEASURE:
            raise DomainError(f"一项措施最多 {MAX_ITEMS_PER_MEASURE} 个事项。")
        code = (
            str(n)
            if level == RequirementLevel.SECTION
            else f"{parent.code}.{n}"
            if level == RequirementLevel.MEASURE
            else f"{parent.code}.{chr(ord('a') + n - 1)}"
        )
        while campaign.requirements.filter(code=code).exists():  # a code freed by a deletion is not reused
            n += 1
            code = code.rsplit(".", 1)[0] + "." + (chr(ord("a") + n - 1) if level == RequirementLevel.ITEM else str(n))
            if level == RequirementLevel.SECTION:
                code = str(n)
        requirement = Requirement(campaign=campaign, parent=parent, level=level, code=code)
    elif requirement.campaign_id != campaign.pk:
        raise NotFound("未找到该任务事项。")
    before = _item_state(requirement)
    text = (text or "").strip()
    requirement.name = _text(name, "内容", "name", limit=300, required=False) or _name_of(text)
    if not requirement.name:
        raise DomainError("请填写内容。", field="name")
    requirement.text = text
    requirement.paragraph = paragraph or (requirement.paragraph if not new else getattr(parent, "paragraph", None))
    if requirement.level == RequirementLevel.ITEM:
        for key, value in check_item(item).items():
            setattr(requirement, key, value)
    _clean(requirement, ("name", "text", "target_min", "target_max", "target_unit"))
    if new:
        requirement.order = _order_after(campaign, parent)
    _save(requirement, "编号重复。", field="name")
    if new:
        _record(
            campaign, actor, [f"新增{requirement.get_level_display()} {requirement.code}“{_fmt(requirement.name)}”。"]
        )
    elif _item_state(requirement) != before:
        _record(
            campaign, actor, [f"修改{requirement.get_level_display()} {requirement.code}“{_fmt(requirement.name)}”。"]
        )
    return requirement


def _item_state(r):
    return (r.name, r.text, r.performed_by, r.evidence, r.target_min, r.target_max, r.target_unit, r.paragraph)


def _order_after(campaign, parent):
    """A new requirement goes after the last one under its parent (however deep): everything after shifts by one."""
    if parent is None:
        return _next(campaign.requirements)
    last = parent.order
    frontier = [parent.pk]
    while frontier:
        children = list(campaign.requirements.filter(parent_id__in=frontier).values_list("pk", "order"))
        if not children:
            break
        last = max(last, *(o for _, o in children))
        frontier = [pk for pk, _ in children]
    rows = list(campaign.requirements.filter(order__gt=last).order_by("-order"))
    for r in rows:
        r.order += 1
    Requirement.objects.bulk_update(rows, ["order"])
    return last + 1


@transaction.atomic
def requirement_delete(*, actor, requirement):
    campaign = _locked(requirement.campaign)
    _may_author(actor, campaign)
    from .models import RequirementProgress

    subtree = [requirement.pk]
    frontier = [requirement.pk]
    while frontier:
        frontier = list(Requirement.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        subtree += frontier
    if RequirementProgress.objects.filter(requirement_id__in=subtree).exists():
        raise InvalidState("已有单位填报了该项的落实情况，不能删除；可修改其内容。")
    label = f"{requirement.get_level_display()} {requirement.code}“{_fmt(requirement.name)}”"
    requirement.delete()
    _record(campaign, actor, [f"删除{label}。"])


# ------------------------------------------------------------------ the task list, imported whole


def check_task_tree(sections, *, key="paragraph"):
    """The preview tree as corrected by the bureau (campaign.task_list.tree's shape, each item with its owner, target
    and evidence rule), checked before anything is written. Returns a list of errors [{paragraph|row, message}]."""
    errors = []

    def err(where, message):
        errors.append({key: where or 0, "message": message})

    if not isinstance(sections, list) or not sections:
        return [{key: 0, "message": "任务清单为空：至少需要一个部分和一项措施。"}]
    for s_index, section in enumerate(sections, start=1):
        if not isinstance(section, dict):
            err(0, f"第 {s_index} 部分的格式不对。")
            continue
        where = _where(section.get("where"))
        if not str(section.get("name") or "").strip():
            err(where, f"第 {s_index} 部分没有名称。")
        elif len(str(section["name"]).strip()) > 300:
            err(where, f"第 {s_index} 部分的名称超过 300 字。")
        measures = section.get("children") or []
        if not isinstance(measures, list) or not measures:
            err(where, f"第 {s_index} 部分“{section.get('name', '')}”没有措施。")
            continue
        for m_index, measure in enumerate(measures, start=1):
            code = f"{s_index}.{m_index}"
            if not isinstance(measure, dict):
                err(where, f"措施 {code} 的格式不对。")
                continue
            m_where = _where(measure.get("where")) or where
            if not str(measure.get("name") or measure.get("text") or "").strip():
                err(m_where, f"措施 {code} 没有内容。")
            if len(str(measure.get("text") or "")) > 5000:
                err(m_where, f"措施 {code} 的原文超过 5000 字。")
            items = measure.get("items") or []
            if not isinstance(items, list):
                err(m_where, f"措施 {code} 的事项格式不对。")
                continue
            if len(items) > MAX_ITEMS_PER_MEASURE:
                err(m_where, f"措施 {code} 最多拆分为 {MAX_ITEMS_PER_MEASURE} 个事项（a–z）。")
            for i_index, item in enumerate(items[:MAX_ITEMS_PER_MEASURE]):
                i_code = f"{code}.{chr(ord('a') + i_index)}"
                if not isinstance(item, dict) or not str(item.get("text") or "").strip():
                    err(m_where, f"事项 {i_code} 没有内容。")
                    continue
                if len(str(item["text"])) > 5000:
                    err(m_where, f"事项 {i_code} 超过 5000 字。")
                try:
                    check_item(item, where=f"事项 {i_code}")
                except DomainError as exc:
                    err(_where(item.get("where")) or m_where, exc.message)
            if not items:
                try:
                    check_item(measure, where=f"措施 {code}")
                except DomainError as exc:
                    err(m_where, exc.message)
    return errors


def _where(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 10_000_000 else None


class TaskTreeInvalid(DomainError):
    """The corrected tree has problems: `errors` say where ([{paragraph|row, message}])."""

    def __init__(self, errors):
        super().__init__("；".join(e["message"] for e in errors[:5]))
        self.errors = errors


@transaction.atomic
def task_list_save(*, actor, campaign, sections, notice_text=None, key="paragraph"):
    """Write the draft campaign's task list from the corrected preview tree, replacing what it had: sections
    (一) → measures (1.) with their number and whole text → lettered items (a, b, c …), each with its owner, target
    and evidence rule and the paragraph it comes from. A measure not split is one item (its whole text). With
    `notice_text` (the text the tree was read from), the campaign keeps it as its notice. A published campaign
    refuses (409): its items are changed one by one, each change a version."""
    campaign = _locked(campaign)
    _may_author(actor, campaign)
    if not campaign.is_draft:
        raise InvalidState(PUBLISHED_IMPORT)
    errors = check_task_tree(sections, key=key)
    if errors:
        raise TaskTreeInvalid(errors)
    from .models import RequirementProgress

    if RequirementProgress.objects.filter(requirement__campaign=campaign).exists():
        # The bureau filled in its own items of the draft: replacing the list would delete what it recorded.
        raise InvalidState("本局已填报了草稿中事项的落实情况，不能整体替换任务清单；请逐项修改。")
    linked = key == "paragraph"  # a sheet's rows are not paragraphs of any notice
    campaign.requirements.all().delete()
    order = 0
    created = {"sections": 0, "measures": 0, "items": 0}
    for s_index, section in enumerate(sections, start=1):
        order += 1
        s_where = _where(section.get("where")) if linked else None
        section_row = Requirement.objects.create(
            campaign=campaign,
            level=RequirementLevel.SECTION,
            code=str(s_index),
            number=str(section.get("number") or "")[:20],
            name=_name_of(str(section["name"])),
            text=str(section.get("text") or ""),
            paragraph=s_where,
            order=order,
        )
        created["sections"] += 1
        measure_rows, item_rows = [], []
        for m_index, measure in enumerate(section["children"], start=1):
            order += 1
            code = f"{s_index}.{m_index}"
            m_where = (_where(measure.get("where")) or s_where) if linked else None
            whole = str(measure.get("text") or measure.get("name") or "").strip()
            measure_row = Requirement(
                campaign=campaign,
                parent=section_row,
                level=RequirementLevel.MEASURE,
                code=code,
                number=str(measure.get("number") or "")[:20],
                name=_name_of(str(measure.get("name") or whole)),
                text=whole,
                paragraph=m_where,
                order=order,
            )
            measure_rows.append(measure_row)
            items = measure.get("items") or [{**measure, "text": whole, "where": measure.get("where")}]
            for i_index, item in enumerate(items):
                order += 1
                item_text = str(item["text"]).strip()
                item_rows.append(
                    (
                        measure_row,
                        Requirement(
                            campaign=campaign,
                            level=RequirementLevel.ITEM,
                            code=f"{code}.{chr(ord('a') + i_index)}",
                            number=str(item.get("number") or "")[:20],
                            name=_name_of(item_text),
                            text=item_text,
                            paragraph=(_where(item.get("where")) or m_where) if linked else None,
                            order=order,
                            **check_item(item),
                        ),
                    )
                )
        Requirement.objects.bulk_create(measure_rows)
        for measure_row, item_row in item_rows:
            item_row.parent = measure_row
        Requirement.objects.bulk_create([row for _, row in item_rows])
        created["measures"] += len(measure_rows)
        created["items"] += len(item_rows)
    if notice_text is not None:
        campaign.notice_text = notice_text.replace("\r\n", "\n")
        _clean(campaign, ("notice_text",))
        campaign.save(update_fields=["notice_text"])
    return created


def task_list_import(*, actor, campaign, name="", data=None, text=None, part=None):
    """Read a task list (an uploaded .docx/.xlsx/.txt, or pasted text) and save it at once, as the API does: a text
    whose numbering has problems is refused with them, nothing written. The page shows the preview first instead."""
    from .task_list import TaskListError, from_text, read_upload

    _may_author(actor, campaign)
    if not campaign.is_draft:
        raise InvalidState(PUBLISHED_IMPORT)
    try:
        preview = read_upload(name, data, part=part) if data is not None else from_text(text or "", part=part)
    except TaskListError as exc:
        raise TaskTreeInvalid(exc.errors) from exc
    if preview.errors:
        raise TaskTreeInvalid(preview.errors)
    notice = preview.source if preview.key == "paragraph" else None
    return preview, task_list_save(
        actor=actor, campaign=campaign, sections=preview.sections, notice_text=notice, key=preview.key
    )


def paragraph_number(value):
    """A paragraph number from a query string (`?p=12`), or None."""
    return _where(value) if value and re.fullmatch(r"\d{1,7}", str(value)) else None
