from django.db import IntegrityError, transaction
from django.utils import timezone

from campaign.membership import campaign_of_record, campaigns_of, campaigns_touched
from core.concurrency import check_row_version
from core.errors import DomainError, InvalidState, NotPermitted
from core.validation import raise_first
from hazards.permissions import (
    bureau_fields_changed,
    can_edit_finding,
    check_bureau_label,
    check_finding_inspection,
    is_own_higher_inspection,
)

from ..models import BackTrack, BackTrackKind, FoundBy, Severity, Violation, ViolationAccountability
from ..models.violation import accountability_due, backtrack_due
from ..permissions import can_mark_typical, can_write_violations, default_found_by
from ..validation import violation_problems
from .steps import step_check_new, steps_completed_on

EDITABLE_FIELDS = (
    "occurred_on",
    "occurred_time",
    "shift",
    "location",
    "person_name",
    "post",
    "department",
    "team",
    "type",
    "severity",
    "description",
    "found_by",
    "found_by_name",
    "fine",
    "suspension_days",
    "retraining",
    "penalty_note",
    "mentoring",
    "note",
)

#: on a finding of the bureau (hazards.permissions.is_bureau_finding), what the bureau found: who did what, when,
#: where, how serious, found by whom. Only its inspectors change these. The rest of EDITABLE_FIELDS (the person's
#: post, team and unit, the mine's penalty, retraining, mentoring, notes) is the mine's handling of it.
BUREAU_FIELDS = (
    "occurred_on",
    "occurred_time",
    "shift",
    "location",
    "person_name",
    "type",
    "severity",
    "description",
    "found_by",
    "found_by_name",
)


def _assign(violation, name, value):
    if value is None and not Violation._meta.get_field(name).null:
        value = False if name == "retraining" else ""
    setattr(violation, name, value)


def _validate(violation):
    # The record's rules are violations.validation's, shared with the Excel import.
    raise_first(violation_problems(violation))


def _save_unique(violation):
    try:
        with transaction.atomic():
            violation.save()
    except IntegrityError as exc:
        raise DomainError("本矿“三违”台账中已有同一天、同一人、同一行为的记录，请勿重复登记。") from exc


def _after_write(violation, *, before=None):
    """A 三违 belongs to every campaign its mine takes part in on its day (campaign.membership); one moved to another
    day leaves those of the first. Each of them counts repeat offenders and back-tracks again."""
    from .repeat import repeat_offenders_escalate

    for campaign in campaigns_touched(unit=violation.mine, days=(before, violation.occurred_on)):
        if violation.severity == Severity.SERIOUS:
            repeat_offenders_escalate(mine=violation.mine, campaign=campaign)
        refresh_records_progress(mine=violation.mine, campaign=campaign)


def refresh_records_progress(*, mine, campaign):
    """The task item the 三违 ledger proves (3.3.d: every 三违 back-tracked) follows the ledger."""
    from ..progress import backtracks_progress_refresh

    backtracks_progress_refresh(mine=mine, campaign=campaign)


@transaction.atomic
def violation_create(*, actor, mine, inspection=None, **fields):
    # A city's regulator records the 三违 found at its own inspection, nothing else of a county's ledger: found by
    # the city (其他, 查处人 the city's inspection), which the mine back-tracks and the county supervises as usual.
    own_higher = is_own_higher_inspection(actor, inspection) and inspection.mine_id == mine.pk
    if not (can_write_violations(actor, mine) or own_higher):
        raise NotPermitted("您不能为该煤矿登记“三违”。")
    check_finding_inspection(inspection, mine, actor)
    if own_higher:
        fields["found_by"] = FoundBy.OTHER
        fields["found_by_name"] = fields.get("found_by_name") or inspection.inspected_by_label[:60]
    fields.setdefault("found_by", default_found_by(actor))
    check_bureau_label(actor, mine, label_is_bureau=fields["found_by"] == FoundBy.BUREAU)
    violation = Violation(mine=mine, inspection=inspection, created_by=actor)
    for name in EDITABLE_FIELDS:
        if name in fields:
            _assign(violation, name, fields[name])
    _validate(violation)
    violation.campaign = campaign_of_record(unit=mine, day=violation.occurred_on)
    violation.backtrack_due_on = backtrack_due(violation.occurred_on, violation.campaign)
    violation.accountability_due_on = accountability_due(violation.occurred_on, violation.campaign)
    _save_unique(violation)
    _after_write(violation)
    return violation


@transaction.atomic
def violation_update(*, actor, violation, row_version=None, **fields):
    """`row_version`: the version the edit was based on (None: not checked, as for a script)."""
    violation = Violation.objects.select_for_update().select_related("mine").get(pk=violation.pk)
    if not can_write_violations(actor, violation.mine):
        raise NotPermitted("您没有修改该“三违”记录的权限。")
    check_row_version(violation, row_version)
    if not can_edit_finding(actor, violation):
        refused = bureau_fields_changed(violation, fields, BUREAU_FIELDS)
        if refused:
            raise NotPermitted(
                f"该“三违”是县局检查查处的，以下内容由县局认定，煤矿和主体企业不能修改：{'、'.join(refused)}。"
            )
    check_bureau_label(
        actor,
        violation.mine,
        label_is_bureau=fields.get("found_by", violation.found_by) == FoundBy.BUREAU,
        current_is_bureau=violation.found_by == FoundBy.BUREAU,
    )
    before = violation.occurred_on
    for name in EDITABLE_FIELDS:
        if name in fields:
            _assign(violation, name, fields[name])
    _validate(violation)
    campaign = campaign_of_record(unit=violation.mine, day=violation.occurred_on)
    if (violation.occurred_on, getattr(campaign, "pk", None)) != (before, violation.campaign_id):
        # Moved to another day: due by that day's campaign's days. Otherwise kept as it was asked when recorded.
        violation.backtrack_due_on = backtrack_due(violation.occurred_on, campaign)
        violation.accountability_due_on = accountability_due(violation.occurred_on, campaign)
    violation.campaign = campaign
    _save_unique(violation)
    _after_write(violation, before=before)
    return violation


@transaction.atomic
def backtrack_record(*, actor, violation, kind, finding, responsible="", done_on=None):
    """One of the three back-tracks; the third one completes them (and clears the overdue flag)."""
    violation = Violation.objects.select_for_update().select_related("mine").get(pk=violation.pk)
    if not can_write_violations(actor, violation.mine):
        raise NotPermitted("您不能为该“三违”登记责任倒查。")
    if not (finding or "").strip():
        raise DomainError("请填写倒查结论。", field="finding")
    done_on = done_on or timezone.localdate()
    if done_on < violation.occurred_on or done_on > timezone.localdate():
        raise DomainError("倒查日期应在“三违”发生之后、今天之前。", field="done_on")
    step_check_new(violation.backtracks, kind, BackTrackKind, verb="倒查")
    backtrack = BackTrack.objects.create(
        violation=violation, kind=kind, finding=finding, responsible=responsible, done_on=done_on, done_by=actor
    )
    completed_on = steps_completed_on(violation.backtracks, BackTrackKind)
    if completed_on:
        violation.backtracks_completed_on = completed_on
        violation.save(update_fields=["backtracks_completed_on", "updated_at"])
        for campaign in campaigns_of(unit=violation.mine, day=violation.occurred_on):
            refresh_records_progress(mine=violation.mine, campaign=campaign)
    return backtrack


@transaction.atomic
def violation_accountability_record(
    *, actor, violation, unit_leader_name, unit_leader_action, deputy_name, deputy_review, main_leader_action=""
):
    """四(四)3: 班组发生“三违”，追究科队长责任，企业分管负责人作检查. The record of both clears the 问责超期 flag. The
    main leader's handling is optional whatever the severity: the notice asks the main leader for a 检查 only for a
    major hazard found by a higher department (hazards.services.leader_review_submit), not for a 三违."""
    violation = Violation.objects.select_for_update().select_related("mine").get(pk=violation.pk)
    if not can_write_violations(actor, violation.mine):
        raise NotPermitted("您不能为该“三违”登记问责。")
    required = {
        "unit_leader_name": (unit_leader_name, "请填写被追究责任的科队长。"),
        "unit_leader_action": (unit_leader_action, "请填写对科队长的责任追究。"),
        "deputy_name": (deputy_name, "请填写作检查的企业分管负责人。"),
        "deputy_review": (deputy_review, "请填写分管负责人作检查的情况。"),
    }
    for field, (value, message) in required.items():
        if not (value or "").strip():
            raise DomainError(message, field=field)
    record, _ = ViolationAccountability.objects.update_or_create(
        violation=violation,
        defaults={
            "unit_leader_name": unit_leader_name,
            "unit_leader_action": unit_leader_action,
            "deputy_name": deputy_name,
            "deputy_review": deputy_review,
            "main_leader_action": main_leader_action or "",
            "recorded_by": actor,
        },
    )
    if violation.accountability_recorded_on is None:
        violation.accountability_recorded_on = timezone.localdate()
        violation.save(update_fields=["accountability_recorded_on", "updated_at"])
    return record


@transaction.atomic
def violation_mark_typical(*, actor, violation, typical=True, reason=""):
    if not can_mark_typical(actor, violation.mine):
        raise NotPermitted("只有县局执法人员可以确定典型案例。")
    # Under the row lock: every write of a violation raises its row_version from the stored one.
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    if not typical and violation.bulletins.filter(status="published").exists():
        raise InvalidState("该案例已在已发布的通报中，不能取消典型。")
    violation.typical = typical
    violation.typical_reason = reason if typical else ""
    violation.save(update_fields=["typical", "typical_reason", "updated_at"])
    return violation
