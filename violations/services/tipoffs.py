import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError, NotFound, NotPermitted
from hazards.services import hazard_create

from ..models import Tipoff, TipoffStatus
from ..permissions import can_handle_tipoff
from .violations import violation_create

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or copied by hand
CODE_LENGTH = 12
MIN_CONTENT, MAX_CONTENT = 10, 2000


def _new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def tipoff_submit(*, bureau, category, content, mine=None, mine_text="", location="", occurred_on=None):
    """Store a tipoff with nothing that identifies the reporter; return it with its tracking code."""
    content = (content or "").strip()
    if len(content) < MIN_CONTENT:
        raise DomainError(f"举报内容太短，请至少写 {MIN_CONTENT} 个字，说明什么地方、什么问题。", field="content")
    if len(content) > MAX_CONTENT:
        raise DomainError(f"举报内容不能超过 {MAX_CONTENT} 字。", field="content")
    if mine is not None and mine.bureau_id != bureau.pk:
        raise DomainError("所选煤矿不在本局监管范围内。", field="mine")
    if occurred_on and occurred_on > timezone.localdate():
        raise DomainError("发生日期不能晚于今天。", field="occurred_on")
    for _ in range(5):
        try:
            with transaction.atomic():
                return Tipoff.objects.create(
                    bureau=bureau,
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
    tipoff = Tipoff.objects.select_for_update().get(pk=tipoff.pk)
    if not can_handle_tipoff(actor, tipoff):
        raise NotPermitted("匿名举报由县局执法人员办理。")
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
