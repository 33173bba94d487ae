"""疑似重大隐患 (issue 25 item 3): the matcher's finding on a general hazard, and the bureau's decision on it."""

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError, InvalidState, NotPermitted

from ..criteria.match import index_for, match
from ..models import Hazard, HazardLevel, HazardStatus, MajorHazardItem, SuspectedMajorHazard
from ..models import SuspectedState as State
from ..models.suspected import EDITED_WHILE_PENDING, REGRADED_BY_BUREAU, REGRADED_BY_MINE
from ..permissions import can_decide_suspected, can_supervise
from .events import record_event

#: the import preview's kind of warning (core.ledger_import.ImportWarning.kind)
SUSPECTED_MAJOR = "suspected_major"

#: what the inspector may fill in when confirming, so the re-graded hazard meets 五落实 (hazards.validation)
FIVE_IMPLEMENTATIONS = ("measures", "funds", "responsible_unit", "responsible_person", "due_on", "contingency_plan")


def _item_of(result):
    best = result.matches[0]
    return (
        MajorHazardItem.objects.filter(category__standard__is_current=True, category__no=best.category, no=best.item)
        .only("pk")
        .first()
    ), best.score


def suspected_major_check(*, hazard, actor=None, previous_description=None):
    """Raise the finding of one hazard, or follow an edit of a hazard that has one, in the caller's transaction.

    * No finding yet: an open 一般 hazard the matcher rates likely major gets a pending one.
    * A pending finding is never deleted or silently changed by an edit — rewording a major hazard as an ordinary one
      is the very hiding the finding is about; it stays until an inspector decides it. An edit of the description
      while it is pending is logged on the hazard (EDITED_WHILE_PENDING, with the words the finding was raised on).
    * The hazard re-graded to 重大 by hand (by the mine, with its 情形, or by an inspector on the form) closes a
      pending finding as confirmed by that re-grade (decided_by = the actor, the note in `reason`).
    * A decided finding (confirmed, dismissed) is left as decided.

    `actor`: who wrote the hazard; `previous_description`: its description before an edit (None on create).
    Returns the pending finding or None."""
    existing = SuspectedMajorHazard.objects.filter(hazard=hazard).first()
    if existing is not None:
        if existing.is_pending:
            _follow_edit(existing, hazard=hazard, actor=actor, previous_description=previous_description)
        return existing if existing.is_pending else None
    if hazard.level != HazardLevel.GENERAL or hazard.status == HazardStatus.CLOSED:
        return None
    result = match(hazard.description, location=hazard.location, specialty=hazard.specialty)
    if not result.likely_major or not result.matches:
        return None
    item, score = _item_of(result)
    if item is None:  # the current standard is not the one the matcher reads
        return None
    return SuspectedMajorHazard.objects.create(hazard=hazard, item=item, score=score, found_at=timezone.now())


def _follow_edit(finding, *, hazard, actor, previous_description):
    if hazard.level == HazardLevel.MAJOR:
        by_bureau = actor is not None and can_supervise(actor, hazard.mine)
        finding.state, finding.decided_by, finding.decided_at = State.CONFIRMED, actor, timezone.now()
        finding.reason = REGRADED_BY_BUREAU if by_bureau else REGRADED_BY_MINE
        finding.save(update_fields=["state", "decided_by", "decided_at", "reason"])
        record_event(
            hazard,
            actor=actor,
            action="确认重大隐患",
            note=f"疑似重大隐患（{finding.item.citation}）随改判关闭：{finding.reason}",
        )
    elif previous_description is not None and previous_description != hazard.description:
        record_event(
            hazard,
            actor=actor,
            action=EDITED_WHILE_PENDING,
            note=f"疑似重大隐患（{finding.item.citation}）待县局核实，原内容：{previous_description[:500]}",
        )


def suspected_major_warning(*, description, location="", specialty="", level=HazardLevel.GENERAL, status=""):
    """The import preview's words for a general line that reads like a major hazard ("疑似重大隐患：…"), or None."""
    if level != HazardLevel.GENERAL or status == HazardStatus.CLOSED:
        return None
    result = match(description, location=location or "", specialty=specialty or "")
    if not result.likely_major or not result.matches:
        return None
    best = result.matches[0]
    label = next(it.label for it in index_for().items if (it.category, it.item) == (best.category, best.item))
    return (
        f"疑似重大隐患：内容与《煤矿重大事故隐患判定标准》{best.article}第{label}项相近"
        f"（{best.text[:40]}），导入后列入疑似重大隐患，待县局核实。"
    )


def suspected_major_record_many(*, hazard_ids=None, import_batch_id=None):
    """The findings of rows written in bulk — `hazard_ids`, or the rows of a ledger import (`import_batch_id`, after
    it committed: hazards.tasks.record_import_findings) — in the caller's transaction: one read of the rows, one of
    the items, one insert, not a query per row of a 10,000-row file. Rows that already have a finding are left as
    they are (an edit may have raised one since). Returns how many were raised."""
    hazards = Hazard.objects.filter(level=HazardLevel.GENERAL, suspected_major__isnull=True).exclude(
        status=HazardStatus.CLOSED
    )
    if import_batch_id is not None:
        hazards = hazards.filter(import_batch_id=import_batch_id)
    else:
        hazards = hazards.filter(pk__in=hazard_ids)
    items = None
    now = timezone.now()
    found = []
    for pk, description, location, specialty in hazards.values_list("pk", "description", "location", "specialty"):
        result = match(description, location=location, specialty=specialty)
        if not result.likely_major or not result.matches:
            continue
        if items is None:
            items = {
                (category, no): item_pk
                for item_pk, category, no in MajorHazardItem.objects.filter(
                    category__standard__is_current=True
                ).values_list("pk", "category__no", "no")
            }
        best = result.matches[0]
        item_pk = items.get((best.category, best.item))
        if item_pk is not None:
            found.append(SuspectedMajorHazard(hazard_id=pk, item_id=item_pk, score=best.score, found_at=now))
    SuspectedMajorHazard.objects.bulk_create(found, batch_size=1000, ignore_conflicts=True)
    return len(found)


def suspected_major_recheck(*, mine_id=None):
    """Re-check a mine's ledger (or every ledger) for findings not raised yet: its open general hazards that have no
    finding (rows written around the services, or a matcher that changed). It only adds: a pending finding stays
    until decided, a decided one (a dismissed one included) is never raised again for that hazard. One short
    transaction per hazard, so a long ledger never holds a lock for long. Returns (checked, raised)."""
    hazards = Hazard.objects.filter(level=HazardLevel.GENERAL, suspected_major__isnull=True).exclude(
        status=HazardStatus.CLOSED
    )
    if mine_id is not None:
        hazards = hazards.filter(mine_id=mine_id)
    ids = sorted(hazards.values_list("pk", flat=True).iterator())
    raised = 0
    for pk in ids:
        with transaction.atomic():
            hazard = Hazard.objects.select_for_update().filter(pk=pk).first()
            if hazard is None or SuspectedMajorHazard.objects.filter(hazard=hazard).exists():
                continue  # gone, or raised by an edit since the ids were read
            if suspected_major_check(hazard=hazard) is not None:
                raised += 1
    return len(ids), raised


def _locked(finding):
    return SuspectedMajorHazard.objects.select_for_update().select_related("hazard__mine", "item").get(pk=finding.pk)


def _decide(finding, *, actor, verb):
    if not can_decide_suspected(actor, finding):
        raise NotPermitted(f"只有县局执法人员可以{verb}疑似重大隐患。")
    if not finding.is_pending:
        raise InvalidState(f"该疑似重大隐患{finding.get_state_display()}，不能再{verb}。")  # the label says 已…


@transaction.atomic
def suspected_major_confirm(*, actor, finding, **five):
    """Confirm a finding: the hazard becomes 重大 with the item it resembles.

    * An open hazard is re-graded through hazard_update: the major-hazard rules follow (五落实 required — `five` fills
      what the line lacks —, the mine under 停产整顿, the leader review, the signals).
    * A closed (已销号) hazard — 通知 3.2.c, the rectified ones are checked one by one — is recorded as 重大 with the
      item through hazard_confirm_major_closed: not reopened, 五落实 not asked again (`five` ignored), the mine not
      suspended (nothing is open); the event says 疑似重大隐患经核实确认（隐患已销号）."""
    from .hazards import hazard_confirm_major_closed, hazard_update  # hazards imports this module: imported here

    finding = _locked(finding)
    _decide(finding, actor=actor, verb="确认")
    finding.state, finding.decided_by, finding.decided_at = State.CONFIRMED, actor, timezone.now()
    finding.save(update_fields=["state", "decided_by", "decided_at"])
    if finding.hazard.is_closed:
        hazard_confirm_major_closed(
            actor=actor,
            hazard=finding.hazard,
            major_item=finding.item,
            note=f"疑似重大隐患经核实确认（隐患已销号）：{finding.item.citation}",
        )
        return finding
    fields = {name: value for name, value in five.items() if name in FIVE_IMPLEMENTATIONS and value not in (None, "")}
    hazard = hazard_update(
        actor=actor, hazard=finding.hazard, level=HazardLevel.MAJOR, grade="", major_item=finding.item, **fields
    )
    record_event(
        hazard,
        actor=actor,
        action="确认重大隐患",
        from_status=hazard.status,
        note=f"疑似重大隐患经核实确认：{finding.item.citation}",
    )
    return finding


@transaction.atomic
def suspected_major_dismiss(*, actor, finding, reason):
    finding = _locked(finding)
    _decide(finding, actor=actor, verb="排除")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("排除疑似重大隐患必须填写理由。", field="reason")
    finding.state, finding.decided_by, finding.decided_at = State.DISMISSED, actor, timezone.now()
    finding.reason = reason
    finding.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    hazard = finding.hazard
    record_event(
        hazard,
        actor=actor,
        action="排除疑似重大隐患",
        from_status=hazard.status,
        note=f"{finding.item.citation}：{reason}",
    )
    return finding
