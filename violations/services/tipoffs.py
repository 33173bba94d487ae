import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, InvalidState, NotFound, NotPermitted
from hazards.services import hazard_create
from notifications.recipients import inspectors_by_bureau
from notifications.services import Notice, notify_many

from ..models import Tipoff, TipoffAddressee, TipoffStatus
from ..permissions import can_escalate_tipoff, can_handle_tipoff
from .violations import violation_create

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or copied by hand
CODE_LENGTH = 12
MIN_CONTENT, MAX_CONTENT = 10, 2000


def _new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def tipoff_submit(*, bureau, category, content, mine=None, mine_text="", location="", occurred_on=None, addressee=""):
    """Store a tipoff with nothing that identifies the reporter; return it with its tracking code. `addressee`: the
    bureau (the default) or the enterprise of the reported mine (its own channel, 4.1.c), which then triages it."""
    addressee = addressee or TipoffAddressee.BUREAU
    if addressee not in TipoffAddressee.values:
        raise DomainError("请选择向县应急管理局还是向煤矿所属主体企业举报。", field="addressee")
    content = (content or "").strip()
    if len(content) < MIN_CONTENT:
        raise DomainError(f"举报内容太短，请至少写 {MIN_CONTENT} 个字，说明什么地方、什么问题。", field="content")
    if len(content) > MAX_CONTENT:
        raise DomainError(f"举报内容不能超过 {MAX_CONTENT} 字。", field="content")
    if mine is not None and mine.bureau_id != bureau.pk:
        raise DomainError("所选煤矿不在本局监管范围内。", field="mine")
    if occurred_on and occurred_on > timezone.localdate():
        raise DomainError("发生日期不能晚于今天。", field="occurred_on")
    if addressee == TipoffAddressee.ENTERPRISE:
        if mine is None:
            raise DomainError("向主体企业举报时，请选择被举报的煤矿（举报将交给该煤矿所属的主体企业）。", field="mine")
        if mine.parent_id is None or mine.parent_id == mine.bureau_id:
            raise DomainError("该煤矿没有所属主体企业，请选择向县应急管理局举报。", field="addressee")
    for _ in range(5):
        try:
            with transaction.atomic():
                return Tipoff.objects.create(
                    bureau=bureau,
                    addressee=addressee,
                    mine=mine,
                    mine_text=(mine_text or "")[:100],
                    category=category,
                    location=(location or "")[:200],
                    occurred_on=occurred_on,
                    content=content,
                    tracking_code=_new_code(),
                    received_on=timezone.localdate(),
                )
        except IntegrityError:  # a tracking code drawn twice: draw again
            continue
    raise DomainError("系统繁忙，请稍后再提交。")


def tipoff_lookup(*, tracking_code):
    code = (tracking_code or "").strip().upper().replace(" ", "")
    tipoff = Tipoff.objects.filter(tracking_code=code).first() if len(code) == CODE_LENGTH else None
    if tipoff is None:
        raise NotFound("没有找到该查询码对应的举报，请检查是否输入正确。", field="tracking_code")
    return tipoff


@transaction.atomic
def tipoff_handle(*, actor, tipoff, status, public_reply="", internal_note="", violation=None, hazard=None):
    tipoff = Tipoff.objects.select_for_update(of=("self",)).select_related("mine").get(pk=tipoff.pk)
    if not can_handle_tipoff(actor, tipoff):
        raise NotPermitted(not_handled_reason(tipoff))
    if status == TipoffStatus.CLOSED and not (public_reply or "").strip():
        raise DomainError("办结时请填写给举报人的答复。", field="public_reply")
    if public_reply != tipoff.public_reply:
        tipoff.replied_on = timezone.localdate()
    tipoff.status = status
    tipoff.public_reply = public_reply
    tipoff.internal_note = internal_note
    tipoff.handled_by = actor
    if violation is not None:
        tipoff.violation = violation
    if hazard is not None:
        tipoff.hazard = hazard
    tipoff.save()
    return tipoff


def not_handled_reason(tipoff):
    """Why `can_handle_tipoff` refuses, in Chinese, by who handles it."""
    if tipoff.enterprise_handles:
        return "该举报是向主体企业举报的，由该企业的安全管理人员办理。"
    if tipoff.to_enterprise:
        return "该举报已提交县局，由县局执法人员办理，主体企业只能查看。"
    return "匿名举报由县局执法人员办理。"


@transaction.atomic
def tipoff_escalate(*, actor, tipoff, reason):
    """提交县局: the enterprise hands a tip-off made to it over to the bureau, which from then on reads and handles
    it (its inspectors are told). The reporter's reply and the enterprise's notes so far go with it."""
    tipoff = Tipoff.objects.select_for_update(of=("self",)).select_related("mine").get(pk=tipoff.pk)
    if not can_escalate_tipoff(actor, tipoff):
        raise NotPermitted("只有被举报煤矿所属主体企业的安全管理人员可以将向企业的举报提交县局。")
    if tipoff.is_escalated:
        raise InvalidState("该举报已提交县局。")
    if tipoff.status == TipoffStatus.CLOSED:
        raise InvalidState("该举报已办结，不能再提交县局。")
    if not (reason or "").strip():
        raise DomainError("请说明提交县局的理由。", field="reason")
    tipoff.escalated_on = timezone.localdate()
    tipoff.escalated_by = actor
    tipoff.escalation_reason = reason.strip()
    tipoff.save(update_fields=["escalated_on", "escalated_by", "escalation_reason"])
    url = reverse("tipoff_detail", args=[tipoff.pk])
    notify_many(
        [
            Notice(
                uid,
                "tipoff_escalated",
                f"tipoff:escalated:{tipoff.pk}",
                f"{tipoff.mine.name}所属主体企业将一件匿名举报提交县局",
                f"理由：{tipoff.escalation_reason[:60]}",
                url,
                "warning",
            )
            for uid in inspectors_by_bureau([tipoff.bureau_id]).get(tipoff.bureau_id, [])
        ]
    )
    return tipoff


def _locked(tipoff):
    return Tipoff.objects.select_for_update().get(pk=tipoff.pk)


def _triaged(*, actor, tipoff, **link):
    """The tip-off is in hand and linked to what it became; its reply and note stay as the bureau wrote them."""
    return tipoff_handle(
        actor=actor,
        tipoff=tipoff,
        status=TipoffStatus.HANDLING,
        public_reply=tipoff.public_reply,
        internal_note=tipoff.internal_note,
        **link,
    )


@transaction.atomic
def tipoff_to_violation(*, actor, tipoff, **violation_fields):
    """Triage: record the 三违 the tip-off reports and link it back, together or not at all."""
    tipoff = _locked(tipoff)
    violation = violation_create(actor=actor, **violation_fields)
    _triaged(actor=actor, tipoff=tipoff, violation=violation)
    return violation


@transaction.atomic
def tipoff_to_hazard(*, actor, tipoff):
    """Triage: a hazard of the reported mine, with the tip-off's words as its description (the inspector completes
    the 五落实 on the hazard), linked back, together or not at all."""
    tipoff = _locked(tipoff)
    if tipoff.mine_id is None:
        raise DomainError("请先在举报中确定被举报的煤矿（可在内部记录中注明），再转为隐患。", field="mine")
    hazard = hazard_create(
        actor=actor,
        mine=tipoff.mine,
        source="report",
        found_on=tipoff.occurred_on or tipoff.received_on,
        location=tipoff.location or "举报所述地点",
        description=tipoff.content,
        specialty="other",
    )
    _triaged(actor=actor, tipoff=tipoff, hazard=hazard)
    return hazard
