from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Mine, MineStatus
from campaign.membership import campaign_of_record
from core.concurrency import check_row_version
from core.errors import DomainError, InvalidState, NotPermitted
from core.uploads import sniff_evidence
from core.validation import raise_first

from ..models import (
    Hazard,
    HazardAccountability,
    HazardFile,
    HazardFileStage,
    HazardLevel,
    HazardListing,
    HazardSource,
    HazardStatus,
)
from ..permissions import (
    bureau_fields_changed,
    can_accept,
    can_edit_finding,
    can_supervise,
    can_write_ledger,
    check_bureau_label,
    check_finding_inspection,
    is_own_higher_inspection,
    why_not_accept,
)
from ..public import public_changed
from ..signals import CHANGED, CLOSED, OPENED, major_hazards_changed
from ..validation import hazard_normalise, hazard_problems
from .events import record_event
from .leader_reviews import leader_review_require
from .suspected import suspected_major_check

#: the fields a ledger line carries, set by create and update (and shown in this order on the form)
EDITABLE_FIELDS = (
    "found_on",
    "source",
    "location",
    "specialty",
    "description",
    "level",
    "grade",
    "major_category",
    "major_item",
    "measures",
    "funds",
    "responsible_unit",
    "responsible_person",
    "due_on",
    "contingency_plan",
    "note",
)

#: on a finding of the bureau (permissions.is_bureau_finding), what the bureau found: only its inspectors change these.
#: The rest of EDITABLE_FIELDS (measures, funds, responsible unit and person, contingency plan, note) is the
#: rectification, the mine's and its enterprise's to fill in. A due date the bureau left empty may be set.
BUREAU_FIELDS = (
    "found_on",
    "source",
    "location",
    "specialty",
    "description",
    "level",
    "grade",
    "major_category",
    "major_item",
    "due_on",
)

NOT_ALLOWED = "您没有对该隐患执行此操作的权限。"


def _check(hazard):
    # The line's rules are hazards.validation's, shared with the Excel import.
    hazard_normalise(hazard)
    raise_first(hazard_problems(hazard))


def _assign(hazard, name, value):
    # Text fields store "" for empty (Django convention); dates, money and the category store None.
    if value is None and not Hazard._meta.get_field(name).null:
        value = ""
    setattr(hazard, name, value)


def mine_refresh_status(*, mine_id, actor=None, hazard=None, change=CHANGED):
    """停产整顿 as soon as any major hazard of the mine is open. Never lifted here: closing the last major hazard leaves
    the mine suspended until the bureau accepts its 复产验收 (enforcement.services.resumption_decide), which puts back
    the status the mine had before. Tells the apps above (signals.major_hazards_changed) in this transaction."""
    mine = Mine.objects.select_for_update().get(pk=mine_id)
    previous = mine.status
    has_open_major = Hazard.objects.filter(mine_id=mine_id).open_major().exists()
    if has_open_major and mine.status != MineStatus.SUSPENDED:
        mine.status = MineStatus.SUSPENDED
        mine.save(update_fields=["status"])
    major_hazards_changed.send(
        sender=Hazard,
        mine=mine,
        previous_status=previous,
        has_open_major=has_open_major,
        actor=actor,
        hazard=hazard,
        change=change,
    )
    return mine


def _save_unique(hazard):
    try:
        with transaction.atomic():
            hazard.save()
    except IntegrityError as exc:
        raise DomainError("本矿台账中已有同一日期、同一地点、同一内容的隐患，请勿重复登记。") from exc


@transaction.atomic
def hazard_create(*, actor, mine, inspection=None, photo=None, **fields):
    """`photo`: the 整改前 photo or file, attached in the same transaction (a refused file registers nothing)."""
    # A city's regulator records the findings of its own inspection, nothing else of a county's ledger; what it
    # finds is a higher level's finding (上级检查), which the mine rectifies and the county supervises as usual.
    own_higher = is_own_higher_inspection(actor, inspection) and inspection.mine_id == mine.pk
    if not (can_write_ledger(actor, mine) or own_higher):
        raise NotPermitted("您不能为该煤矿登记隐患。")
    check_finding_inspection(inspection, mine, actor)
    if own_higher:
        fields["source"] = HazardSource.SUPERIOR_INSPECTION
    check_bureau_label(actor, mine, label_is_bureau=fields.get("source") == HazardSource.BUREAU_INSPECTION)
    hazard = Hazard(mine=mine, inspection=inspection, created_by=actor)
    for name in EDITABLE_FIELDS:
        if name in fields:
            _assign(hazard, name, fields[name])
    _check(hazard)
    hazard.campaign = campaign_of_record(unit=mine, day=hazard.found_on)
    _save_unique(hazard)
    record_event(hazard, actor=actor, action="登记")
    leader_review_require(hazard=hazard)
    suspected_major_check(hazard=hazard, actor=actor)
    if hazard.is_major:
        mine_refresh_status(mine_id=mine.pk, actor=actor, hazard=hazard, change=OPENED)
    if photo:
        hazard_attach_file(actor=actor, hazard=hazard, stage=HazardFileStage.BEFORE, upload=photo)
    return hazard


def _locked(hazard):
    """Re-read the hazard under a row lock: two people acting at once give one transition, not two."""
    return Hazard.objects.select_for_update().select_related("mine").get(pk=hazard.pk)


@transaction.atomic
def hazard_update(*, actor, hazard, row_version=None, **fields):
    """`row_version`: the version the edit was based on (None: not checked, as for a script)."""
    hazard = _locked(hazard)
    if not can_write_ledger(actor, hazard.mine):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(hazard, row_version)
    if hazard.is_closed:
        raise InvalidState("已销号的隐患不能再修改。")
    if not can_edit_finding(actor, hazard):
        refused = bureau_fields_changed(hazard, fields, BUREAU_FIELDS)
        if refused:
            raise NotPermitted(
                f"该隐患是县局检查发现的，以下内容由县局认定，煤矿和主体企业不能修改：{'、'.join(refused)}。"
            )
    check_bureau_label(
        actor,
        hazard.mine,
        label_is_bureau=fields.get("source", hazard.source) == HazardSource.BUREAU_INSPECTION,
        current_is_bureau=hazard.source == HazardSource.BUREAU_INSPECTION,
    )
    was_major = hazard.is_major
    previous_description = hazard.description
    if was_major and fields.get("level", hazard.level) != HazardLevel.MAJOR and not can_supervise(actor):
        raise NotPermitted("重大事故隐患的等级只能由县局执法人员调整。", field="level")
    if fields.get("level", hazard.level) != HazardLevel.MAJOR and "major_category" not in fields:
        fields["major_category"] = None  # a downgraded hazard's category goes with its level
    if fields.get("level", hazard.level) != HazardLevel.MAJOR and "major_item" not in fields:
        fields["major_item"] = None  # and so does its situation
    if fields.get("major_item") is not None and "major_category" not in fields:
        fields["major_category"] = fields["major_item"].category  # a situation chosen names its category
    elif (
        "major_category" in fields
        and "major_item" not in fields
        and hazard.major_item_id is not None
        and (fields["major_category"] is None or fields["major_category"].pk != hazard.major_item.category_id)
    ):
        fields["major_item"] = None  # another category: the situation of the old one no longer applies
    changed = []
    for name in EDITABLE_FIELDS:
        if name in fields and getattr(hazard, name) != fields[name]:
            _assign(hazard, name, fields[name])
            changed.append(str(Hazard._meta.get_field(name).verbose_name))
    if not changed:
        return hazard
    _check(hazard)
    hazard.campaign = campaign_of_record(unit=hazard.mine, day=hazard.found_on) or hazard.campaign
    _save_unique(hazard)
    record_event(hazard, actor=actor, action="修改", note="修改了：" + "、".join(changed))
    leader_review_require(hazard=hazard)
    suspected_major_check(hazard=hazard, actor=actor, previous_description=previous_description)
    if was_major or hazard.is_major:
        change = OPENED if hazard.is_major and not was_major else CHANGED
        mine_refresh_status(mine_id=hazard.mine_id, actor=actor, hazard=hazard, change=change)
    return hazard


@transaction.atomic
def hazard_confirm_major_closed(*, actor, hazard, major_item, note):
    """The one change a closed (已销号) hazard takes: the bureau, checking rectified hazards one by one (通知 3.2.c
    “对已整改的要逐个开展核查”), finds that a hazard closed as 一般 was a major one, and records it as 重大 with its
    情形 (level, category, item), with an event. Called by suspected_major_confirm for a finding on a closed hazard.

    Deliberately not hazard_update's path: the hazard is not reopened (it was rectified and accepted), 五落实 is not
    asked for again (the rectification is done), and the mine is not put under 停产整顿 nor any signal sent (no open
    major hazard follows; a CHANGED signal could even withdraw another suspension). It then counts as a major hazard
    found in the campaign, and its 一案双查 is owed like any other's (Hazard.accountability_missing)."""
    hazard = _locked(hazard)
    if not can_supervise(actor, hazard.mine):
        raise NotPermitted("只有县局执法人员可以将已销号的隐患认定为重大事故隐患。")
    if not hazard.is_closed:
        raise InvalidState("隐患尚未销号，请按隐患修改改判为重大事故隐患。")
    if hazard.is_major:
        raise InvalidState("该隐患已是重大事故隐患。")
    hazard.level, hazard.grade = HazardLevel.MAJOR, ""
    hazard.major_item, hazard.major_category = major_item, major_item.category
    hazard.save(update_fields=["level", "grade", "major_item", "major_category", "updated_at"])
    record_event(hazard, actor=actor, action="确认重大隐患", note=note)
    return hazard


@transaction.atomic
def hazard_start_rectification(*, actor, hazard, note="", row_version=None):
    hazard = _locked(hazard)
    if not can_write_ledger(actor, hazard.mine):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(hazard, row_version)
    if hazard.status != HazardStatus.OPEN:
        raise InvalidState(f"隐患当前为“{hazard.get_status_display()}”，不能开始整改。")
    hazard.status = HazardStatus.RECTIFYING
    hazard.save(update_fields=["status", "updated_at"])
    record_event(hazard, actor=actor, action="开始整改", from_status=HazardStatus.OPEN, note=note)
    return hazard


@transaction.atomic
def hazard_submit_for_acceptance(*, actor, hazard, rectified_on=None, note="", row_version=None, after_photo=None):
    """`after_photo`: the 整改后 photo or file, attached in the same transaction."""
    hazard = _locked(hazard)
    if not can_write_ledger(actor, hazard.mine):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(hazard, row_version)
    if hazard.status not in (HazardStatus.OPEN, HazardStatus.RECTIFYING):
        raise InvalidState(f"隐患当前为“{hazard.get_status_display()}”，不能申请验收。")
    rectified_on = rectified_on or timezone.localdate()
    if rectified_on < hazard.found_on:
        raise DomainError("整改完成日期不能早于排查日期。", field="rectified_on")
    if rectified_on > timezone.localdate():
        raise DomainError("整改完成日期不能晚于今天。", field="rectified_on")
    previous = hazard.status
    hazard.status = HazardStatus.AWAITING_ACCEPTANCE
    hazard.rectified_on = rectified_on
    hazard.acceptance_requested_by = actor  # who asked does not accept (permissions.can_accept)
    hazard.save(update_fields=["status", "rectified_on", "acceptance_requested_by", "updated_at"])
    record_event(hazard, actor=actor, action="申请验收", from_status=previous, note=note)
    if after_photo:
        hazard_attach_file(actor=actor, hazard=hazard, stage=HazardFileStage.AFTER, upload=after_photo)
    return hazard


@transaction.atomic
def hazard_accept(*, actor, hazard, note="", row_version=None):
    hazard = _locked(hazard)
    if not can_accept(actor, hazard):
        raise NotPermitted(why_not_accept(actor, hazard, "验收销号"))
    check_row_version(hazard, row_version)  # accept what was read, not what was changed since
    if hazard.status != HazardStatus.AWAITING_ACCEPTANCE:
        raise InvalidState(f"隐患当前为“{hazard.get_status_display()}”，不能验收。")
    if hazard.accountability_missing:
        # 通知 三（四）3: 对排查的每一条重大隐患坚持“一案双查” — recorded before the hazard may be closed
        raise InvalidState(
            "该重大事故隐患尚未登记“一案双查”（企业责任调查、监管责任调查和处理结果），请先登记后再验收销号。"
        )
    hazard.status = HazardStatus.CLOSED
    hazard.accepted_on = timezone.localdate()
    hazard.accepted_by_name = actor.display_name
    hazard.save(update_fields=["status", "accepted_on", "accepted_by_name", "updated_at"])
    record_event(hazard, actor=actor, action="验收销号", from_status=HazardStatus.AWAITING_ACCEPTANCE, note=note)
    if hazard.is_major:
        mine_refresh_status(mine_id=hazard.mine_id, actor=actor, hazard=hazard, change=CLOSED)
    return hazard


@transaction.atomic
def hazard_reject(*, actor, hazard, reason, row_version=None):
    hazard = _locked(hazard)
    if not can_accept(actor, hazard):
        raise NotPermitted(why_not_accept(actor, hazard, "退回"))
    check_row_version(hazard, row_version)
    if not (reason or "").strip():
        raise DomainError("退回整改必须填写理由。", field="reason")
    if hazard.status != HazardStatus.AWAITING_ACCEPTANCE:
        raise InvalidState(f"隐患当前为“{hazard.get_status_display()}”，不能退回。")
    hazard.status = HazardStatus.RECTIFYING
    hazard.rectified_on = None
    hazard.acceptance_requested_by = None  # the next request names its own requester
    hazard.save(update_fields=["status", "rectified_on", "acceptance_requested_by", "updated_at"])
    record_event(
        hazard, actor=actor, action="验收不通过，退回整改", from_status=HazardStatus.AWAITING_ACCEPTANCE, note=reason
    )
    return hazard


@transaction.atomic
def hazard_attach_file(*, actor, hazard, stage, upload):
    if not can_write_ledger(actor, hazard.mine):
        raise NotPermitted(NOT_ALLOWED)
    if hazard.is_closed:
        raise InvalidState("已销号的隐患不能再上传资料。")
    content_type = sniff_evidence(upload)
    item = HazardFile.objects.create(
        hazard=hazard,
        stage=stage,
        file=upload,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    record_event(hazard, actor=actor, action="上传资料", note=f"{item.get_stage_display()}：{item.original_name}")
    return item


@transaction.atomic
def hazard_list_publicly(*, actor, hazard, listed_on, supervising_unit, notice_text):
    if not can_supervise(actor, hazard.mine):
        raise NotPermitted("只有县局执法人员可以挂牌督办。")
    if not hazard.is_major:
        raise InvalidState("只有重大事故隐患才能挂牌督办。")
    if HazardListing.objects.filter(hazard=hazard).exists():
        raise InvalidState("该隐患已挂牌督办。")
    listing = HazardListing.objects.create(
        hazard=hazard,
        listed_on=listed_on,
        supervising_unit=supervising_unit,
        notice_text=notice_text,
        listed_by=actor,
    )
    record_event(hazard, actor=actor, action="挂牌督办", note=f"{listed_on:%Y-%m-%d} {supervising_unit}")
    public_changed()  # the county's public page lists it
    return listing


@transaction.atomic
def hazard_accountability_record(*, actor, hazard, enterprise_responsibility, supervision_responsibility, outcome):
    if not can_supervise(actor, hazard.mine):
        raise NotPermitted("只有县局执法人员可以登记“一案双查”。")
    if not hazard.is_major:
        raise InvalidState("“一案双查”针对重大事故隐患。")
    record = HazardAccountability.objects.create(
        hazard=hazard,
        enterprise_responsibility=enterprise_responsibility,
        supervision_responsibility=supervision_responsibility,
        outcome=outcome,
        recorded_by=actor,
    )
    record_event(hazard, actor=actor, action="一案双查", note=outcome)
    return record
