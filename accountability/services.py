"""Drafting, issuing and following up the bureau's accountability actions (通报批评, 约谈, 问责).

One function per step, keyword arguments, one transaction, the permission asked of `permissions.py`, Chinese domain
errors (400 a bad value, 403 not the bureau's officer, 409 the action's state forbids it). An action's fields are
checked by one function, `validate_action`, used by the draft, the edit and (for completeness) the issue: the page's
form and the API both go through these services, so both refuse the same input with the same message."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, OrganizationKind
from campaign.membership import bureau_campaign_on
from core import bounds
from core.concurrency import check_row_version
from core.documents import agency_code, document_number
from core.errors import DomainError, InvalidState, NotPermitted
from core.uploads import sniff_evidence
from notifications.recipients import users_by_organization
from notifications.services import Notice, notify_many

from .models import (
    KIND_CODES,
    AccountabilityAction,
    AccountabilityMeasure,
    ActionEvent,
    ActionKind,
    ActionNumberSeries,
    ActionRead,
    ActionStatus,
    ActionTarget,
)
from .permissions import can_issue, is_addressee

NOT_ALLOWED = "通报批评、约谈和问责由县局执法人员起草和签发，您的账号只能查看。"
MAX_TARGETS = 50  # a county's units; more is a mistake
TEXT_FIELDS = ("title", "persons", "reason", "requirements", "summoned_by", "place", "problems", "commitments")
SUMMONS_FIELDS = ("summoned_by", "summoned_at", "place", "problems", "commitments", "follow_up_on")


def _event(action, *, actor, name, note=""):
    ActionEvent.objects.create(record=action, actor=actor, action=name, note=note)


def _locked(action):
    return AccountabilityAction.objects.select_for_update().get(pk=action.pk)


def _check_targets(actor_bureau_id, targets):
    """The units named: mines or enterprises of the actor's bureau, each once, at least one."""
    targets = list(dict.fromkeys(targets))
    if not targets:
        raise DomainError("请至少选择一个被通报、约谈或问责的单位。", field="targets")
    if len(targets) > MAX_TARGETS:
        raise DomainError(f"一次最多列 {MAX_TARGETS} 个单位。", field="targets")
    for org in targets:
        if not isinstance(org, Organization) or org.kind not in (OrganizationKind.MINE, OrganizationKind.ENTERPRISE):
            raise DomainError("对象单位只能是煤矿或主体企业。", field="targets")
        if org.bureau_id != actor_bureau_id:
            raise DomainError(f"{org.name}不在本局监管范围内。", field="targets")
    return targets


def validate_action(*, kind, fields, complete=False):
    """The one check of an action's fields (`fields`: the values as given; missing keys mean empty). Returns the
    cleaned values. `complete`: also what an action needs before it is issued (a draft may be unfinished)."""
    try:
        kind = ActionKind(kind)
    except ValueError as exc:
        raise DomainError("类别只能是通报批评、约谈或问责。", field="kind") from exc
    values = {}
    for name in TEXT_FIELDS:
        values[name] = (fields.get(name) or "").strip()
    limits = {"title": 200, "summoned_by": 200, "place": 100, "persons": bounds.NOTE_CHARS}
    for name, value in values.items():
        limit = limits.get(name, bounds.LONG_TEXT_CHARS)
        if len(value) > limit:
            label = AccountabilityAction._meta.get_field(name).verbose_name
            raise DomainError(f"{label}不能超过 {limit:,} 字。", field=name)
    if not values["title"]:
        raise DomainError("请填写标题。", field="title")
    if not values["reason"]:
        raise DomainError("请写明事由（存在的问题和依据）。", field="reason")
    measure = fields.get("measure") or ""
    if measure and measure not in AccountabilityMeasure.values:
        raise DomainError("问责方式不在可选范围内。", field="measure")
    values["measure"] = measure if kind == ActionKind.ACCOUNTABILITY else ""
    summoned_at, follow_up_on = fields.get("summoned_at"), fields.get("follow_up_on")
    if kind == ActionKind.SUMMONS:
        if summoned_at is not None and not isinstance(summoned_at, dt.datetime):
            raise DomainError("约谈时间格式不正确。", field="summoned_at")
        if follow_up_on is not None and not isinstance(follow_up_on, dt.date):
            raise DomainError("跟踪复查日期格式不正确。", field="follow_up_on")
        if summoned_at is not None and timezone.localtime(summoned_at).date() > timezone.localdate():
            raise DomainError("约谈时间不能晚于今天：约谈后再登记。", field="summoned_at")
        if follow_up_on is not None:
            try:
                bounds.planned_date(follow_up_on)
            except Exception as exc:  # ValidationError: its message is Chinese
                raise DomainError(" ".join(getattr(exc, "messages", [str(exc)])), field="follow_up_on") from exc
            if summoned_at is not None and follow_up_on <= timezone.localtime(summoned_at).date():
                raise DomainError("跟踪复查日期应晚于约谈日期。", field="follow_up_on")
        values["summoned_at"], values["follow_up_on"] = summoned_at, follow_up_on
    else:
        for name in ("summoned_by", "place", "problems", "commitments"):
            values[name] = ""
        values["summoned_at"] = values["follow_up_on"] = None
    if complete:
        if kind == ActionKind.SUMMONS:
            if not values["summoned_by"]:
                raise DomainError("请填写约谈人。", field="summoned_by")
            if values["summoned_at"] is None:
                raise DomainError("请填写约谈时间。", field="summoned_at")
            if not values["problems"]:
                raise DomainError("请写明约谈指出的问题。", field="problems")
            if not values["commitments"]:
                raise DomainError("请记录被约谈方作出的整改承诺。", field="commitments")
            if values["follow_up_on"] is None:
                raise DomainError(
                    "请确定跟踪复查日期：到期前系统将提醒被约谈单位，逾期提醒县局。", field="follow_up_on"
                )
        if kind == ActionKind.ACCOUNTABILITY and not values["measure"]:
            raise DomainError("请选择问责方式。", field="measure")
    return kind, values


def _own_link(url):
    """A link to this site's own records (a path), never another site's (`//host`, `https:`, `javascript:`)."""
    url = (url or "").strip()
    return url[:300] if url.startswith("/") and not url.startswith(("//", "/\\")) else ""


def _attach_minutes(action, upload, actor):
    content_type = sniff_evidence(upload)
    action.minutes_type, action.minutes_name = content_type, upload.name[:200]
    action.minutes.save(upload.name, upload, save=False)


@transaction.atomic
def action_draft(*, actor, kind, targets, source="", evidence_url="", minutes=None, **fields):
    """A new draft. `targets`: the units named (mines, enterprises); `fields`: see `validate_action`."""
    if not can_issue(actor):
        raise NotPermitted(NOT_ALLOWED)
    kind, values = validate_action(kind=kind, fields=fields)
    targets = _check_targets(actor.bureau_id, targets)
    action = AccountabilityAction(
        bureau_id=actor.bureau_id,
        campaign=bureau_campaign_on(bureau_id=actor.bureau_id, day=timezone.localdate()),
        kind=kind,
        source=(source or "")[:40],
        evidence_url=_own_link(evidence_url),
        created_by=actor,
        **values,
    )
    if minutes is not None:
        if kind != ActionKind.SUMMONS:
            raise DomainError("只有约谈可以上传约谈记录。", field="minutes")
        _attach_minutes(action, minutes, actor)
    action.save()
    ActionTarget.objects.bulk_create(
        ActionTarget(action=action, organization=org, order=i) for i, org in enumerate(targets)
    )
    _event(action, actor=actor, name="起草")
    return action


@transaction.atomic
def action_update(*, actor, action, targets, row_version=None, minutes=None, **fields):
    """Edit a draft (its kind stays); an issued action is a record: only its 约谈 follow-up and minutes change."""
    action = _locked(action)
    if not can_issue(actor, action):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(action, row_version)
    if not action.is_draft:
        raise InvalidState(f"已签发（{action.number}），不能再修改。")
    _, values = validate_action(kind=action.kind, fields=fields)
    targets = _check_targets(action.bureau_id, targets)
    for name, value in values.items():
        setattr(action, name, value)
    if minutes is not None:
        if not action.is_summons:
            raise DomainError("只有约谈可以上传约谈记录。", field="minutes")
        _attach_minutes(action, minutes, actor)
    action.save()
    action.targets.all().delete()
    ActionTarget.objects.bulk_create(
        ActionTarget(action=action, organization=org, order=i) for i, org in enumerate(targets)
    )
    _event(action, actor=actor, name="修改草稿")
    return action


@transaction.atomic
def action_delete_draft(*, actor, action):
    action = _locked(action)
    if not can_issue(actor, action):
        raise NotPermitted(NOT_ALLOWED)
    if not action.is_draft:
        raise InvalidState("已签发的通报批评、约谈、问责是正式记录，不能删除。")
    action.delete()


def next_number(*, bureau_id, kind, year):
    """The next serial of the (bureau, kind, year) series, taken under the series row's lock."""
    series, _ = ActionNumberSeries.objects.select_for_update().get_or_create(bureau_id=bureau_id, kind=kind, year=year)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series.last_number


def number_of(bureau, kind, year, serial):
    """阳应急通〔2026〕3号: the bureau's 代字 (as its bulletins), the kind's code, the year and the serial."""
    return document_number(f"{agency_code(bureau.name)}{KIND_CODES[kind]}", year, serial)


#: how far back an action issued on paper may be recorded
BACKDATE_DAYS = 90


@transaction.atomic
def action_issue(*, actor, action, issued_on=None, row_version=None):
    """Number, date and issue a draft: the units it names see it from now on (a 通报批评 on their home page, a
    约谈's follow-up date chased by the sweep)."""
    action = _locked(action)
    if not can_issue(actor, action):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(action, row_version)
    if not action.is_draft:
        raise InvalidState(f"已签发（{action.number}），不能重复签发。")
    fields = {name: getattr(action, name) for name in (*TEXT_FIELDS, "measure", "summoned_at", "follow_up_on")}
    validate_action(kind=action.kind, fields=fields, complete=True)
    today = timezone.localdate()
    issued_on = issued_on or today
    if not isinstance(issued_on, dt.date):
        raise DomainError("签发日期格式不正确。", field="issued_on")
    if issued_on > today:
        raise DomainError("签发日期不能晚于今天。", field="issued_on")
    if issued_on < bounds.DATE_FLOOR:
        raise DomainError("签发日期过早。", field="issued_on")
    # A paper action may be recorded after the fact, but not so far back that it starts an old year's series, nor
    # before the last one of its kind: numbers and dates run in the same order.
    if issued_on < today - dt.timedelta(days=BACKDATE_DAYS):
        raise DomainError(f"签发日期不能早于{BACKDATE_DAYS}天前。", field="issued_on")
    last = (
        AccountabilityAction.objects.filter(bureau_id=action.bureau_id, kind=action.kind, status=ActionStatus.ISSUED)
        .exclude(pk=action.pk)
        .order_by("-issued_on", "-serial")
        .values_list("issued_on", "number")
        .first()
    )
    if last is not None and issued_on < last[0]:
        raise DomainError(
            f"签发日期不能早于本局上一份{action.get_kind_display()}（{last[1]}，{last[0]:%Y年%-m月%-d日}）。",
            field="issued_on",
        )
    if action.summoned_at is not None and issued_on < timezone.localtime(action.summoned_at).date():
        raise DomainError("签发日期不能早于约谈日期。", field="issued_on")
    if action.follow_up_on is not None and action.follow_up_on <= issued_on:
        raise DomainError("跟踪复查日期应晚于签发日期，请先修改草稿。", field="follow_up_on")
    if not action.targets.exists():
        raise DomainError("请至少选择一个对象单位。", field="targets")
    serial = next_number(bureau_id=action.bureau_id, kind=action.kind, year=issued_on.year)
    action.year, action.serial, action.issued_on = issued_on.year, serial, issued_on
    action.number = number_of(action.bureau, action.kind, issued_on.year, serial)
    action.status, action.issued_by = ActionStatus.ISSUED, actor
    action.save()
    _event(action, actor=actor, name="签发", note=action.number)
    _tell_targets(action)
    return action


def _tell_targets(action):
    """The named units' officers get a notice (bell and e-mail), once per action (its key)."""
    org_ids = list(action.targets.values_list("organization_id", flat=True))
    people = users_by_organization(org_ids)
    url = reverse("accountability_detail", args=[action.pk])
    title = f"县局{action.get_kind_display()}：{action.title}"
    then = "按期落实整改承诺" if action.is_summons else "按要求整改"
    body = f"{action.number}。请登录系统阅读全文，并{then}。"
    level = "danger" if action.kind != ActionKind.SUMMONS else "warning"
    notify_many(
        [
            Notice(uid, "accountability_issued", f"accountability:issued:{action.pk}", title, body, url, level)
            for org in org_ids
            for uid in people.get(org, [])
        ]
    )


@transaction.atomic
def summons_follow_up(*, actor, action, done_on, result, row_version=None):
    """The bureau checked what the summoned unit promised (跟踪复查): when, and what it found. Ends the reminders."""
    action = _locked(action)
    if not can_issue(actor, action):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(action, row_version)
    if not action.is_summons:
        raise InvalidState("只有约谈需要登记跟踪复查。")
    if action.is_draft:
        raise InvalidState("约谈尚未签发，不能登记跟踪复查。")
    if action.follow_up_done_on is not None:
        raise InvalidState(f"已于{action.follow_up_done_on:%Y-%m-%d}登记跟踪复查。")
    result = (result or "").strip()
    if not result:
        raise DomainError("请写明复查结果：承诺事项是否落实。", field="result")
    if len(result) > bounds.LONG_TEXT_CHARS:
        raise DomainError(f"复查结果不能超过 {bounds.LONG_TEXT_CHARS:,} 字。", field="result")
    if not isinstance(done_on, dt.date):
        raise DomainError("请填写复查日期。", field="done_on")
    if done_on > timezone.localdate():
        raise DomainError("复查日期不能晚于今天。", field="done_on")
    if done_on < action.issued_on:
        raise DomainError("复查日期不能早于约谈签发日期。", field="done_on")
    action.follow_up_done_on, action.follow_up_result = done_on, result
    action.save()
    _event(action, actor=actor, name="跟踪复查", note=result[:200])
    return action


@transaction.atomic
def summons_attach_minutes(*, actor, action, upload):
    """The 约谈记录 (minutes, signed by both sides) as a scan or a file, also after the action is issued."""
    action = _locked(action)
    if not can_issue(actor, action):
        raise NotPermitted(NOT_ALLOWED)
    if not action.is_summons:
        raise InvalidState("只有约谈有约谈记录。")
    _attach_minutes(action, upload, actor)
    action.save()
    _event(action, actor=actor, name="上传约谈记录", note=action.minutes_name)
    return action


def action_mark_read(*, user, action):
    """A person of a named unit opened the issued action (the bureau's own reading is not a receipt)."""
    if action.is_draft or not is_addressee(user):
        return
    ActionRead.objects.get_or_create(action=action, user=user)
