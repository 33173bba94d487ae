"""核验: the bureau verifies each self-declared item a mine or an enterprise declares done, or returns it with a
reason (as it reviews a 报送). Each declaration is a frozen version (ProgressDeclaration); the history is kept.

The states (RequirementProgress.state, VerificationState) move only so:

    not_started ──declare──▶ declared ──verify──▶ verified
    returned    ──declare──▶ declared ──return──▶ returned

anything else is refused with InvalidState (409). An item returned FLAG_AFTER_RETURNS times is flagged.

Which items: those an organisation fills in by hand (`needs_verification`); an item proven by records, and the
bureau's own items, are never verified by hand."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError, InvalidState, NotPermitted, StaleEdit

from .models import (
    DeclarationReview,
    ProgressDeclaration,
    ProgressStatus,
    RequirementPerformer,
    RequirementProgress,
    VerificationState,
)
from .permissions import can_verify_progress
from .signals import progress_reviewed

#: at most this many items in one batch verification (a page of the waiting list and some)
BATCH_LIMIT = 100


def needs_verification(requirement, organization):
    """A mine's or an enterprise's item it fills in by hand: not the bureau's own items, not a mine's items that its
    records prove (an enterprise keeps no such records and declares those items by hand, so they are verified)."""
    if requirement.level != "item" or requirement.performed_by != RequirementPerformer.ORGANIZATIONS:
        return False
    if organization.kind not in ("mine", "enterprise"):
        return False
    return not (organization.kind == "mine" and requirement.evidence)


def item_state(requirement, organization, progress):
    """The item's `state` for the API and the pages (DESIGN.md): for an item the bureau verifies, where its
    declarations stand; for one it does not (proven by records, the bureau's own), verified once done."""
    if progress is None:
        return VerificationState.NOT_STARTED
    if progress.filled_from_records or not needs_verification(requirement, organization):
        return VerificationState.VERIFIED if progress.status == ProgressStatus.DONE else VerificationState.NOT_STARTED
    return VerificationState(progress.state)


def organization_state(states):
    """One state for a unit from its items' states: returned if any is returned, declared if any waits, verified when
    every item it owes is verified (or none is owed), else not started."""
    states = list(states)
    for state in (VerificationState.RETURNED, VerificationState.DECLARED):
        if state in states:
            return state
    if all(s == VerificationState.VERIFIED for s in states):
        return VerificationState.VERIFIED
    return VerificationState.NOT_STARTED


def check_declarable(progress):
    """Called by progress_update and progress_attach before they change an item the bureau verifies: while a
    declaration waits or once verified, the item is the bureau's to decide, not the unit's to change."""
    if progress.state == VerificationState.DECLARED:
        raise InvalidState("该事项已申报完成，正在等待县局核验，核验或退回前不能修改。")
    if progress.state == VerificationState.VERIFIED:
        raise InvalidState("该事项已通过县局核验，不能再修改。")


def declare(*, actor, progress, now=None):
    """Freeze what the unit declared as a new version and make the item wait for the bureau (in the caller's
    transaction: progress_update calls it after saving the item as 已完成)."""
    now = now or timezone.now()
    progress.declarations += 1
    ProgressDeclaration.objects.create(
        progress=progress,
        number=progress.declarations,
        status=progress.status,
        figure=progress.figure,
        note=progress.note,
        files=[{"id": f.pk, "name": f.original_name} for f in progress.files.order_by("uploaded_at", "pk")],
        declared_at=now,
        declared_by=actor,
    )
    progress.state = VerificationState.DECLARED
    progress.return_reason = ""
    progress.save(update_fields=["declarations", "state", "return_reason", "row_version", "updated_at"])


def _review(*, actor, progress, review, reason, version, row_version):
    from core.concurrency import check_row_version

    progress = (
        RequirementProgress.objects.select_for_update(of=("self",))
        .select_related("organization", "requirement__campaign")
        .get(pk=progress.pk)
    )
    if not can_verify_progress(actor, progress):
        raise NotPermitted("只有县局执法人员可以核验任务落实情况。")
    if version is not None and version != progress.declarations:
        raise StaleEdit(
            f"您核验的是第{version}版，该事项现为第{progress.declarations}版（{progress.get_state_display()}），"
            "请刷新后核验最新版本。"
        )
    if progress.state != VerificationState.DECLARED:
        raise InvalidState(f"该事项当前为“{progress.get_state_display()}”，不能核验或退回。")
    check_row_version(progress, row_version)
    declaration = progress.versions.get(number=progress.declarations)
    declaration.review = review
    declaration.review_reason = reason
    declaration.reviewed_by = actor
    declaration.reviewed_at = timezone.now()
    declaration.save()
    if review == DeclarationReview.RETURNED:
        progress.state = VerificationState.RETURNED
        progress.times_returned += 1
        progress.return_reason = reason
    else:
        progress.state = VerificationState.VERIFIED
        progress.return_reason = ""
    progress.save(update_fields=["state", "times_returned", "return_reason", "row_version", "updated_at"])
    progress_reviewed.send(sender=RequirementProgress, progress=progress, declaration=declaration, actor=actor)
    return progress


@transaction.atomic
def progress_verify(*, actor, progress, note="", version=None, row_version=None):
    """核验通过. `version`: the declaration the inspector read (a newer one is refused); `row_version`: If-Match."""
    return _review(
        actor=actor,
        progress=progress,
        review=DeclarationReview.VERIFIED,
        reason=(note or "").strip(),
        version=version,
        row_version=row_version,
    )


@transaction.atomic
def progress_return(*, actor, progress, reason, version=None, row_version=None):
    """退回 with a reason the unit reads; it corrects the item and declares it again."""
    if not (reason or "").strip():
        raise DomainError("退回必须写明理由，便于单位补充后重新申报。", field="reason")
    return _review(
        actor=actor,
        progress=progress,
        review=DeclarationReview.RETURNED,
        reason=reason.strip(),
        version=version,
        row_version=row_version,
    )


@dataclass(frozen=True)
class Refusal:
    label: str
    message: str


@dataclass
class BatchOutcome:
    verified: list = field(default_factory=list)
    refused: list = field(default_factory=list)


def _batch_item(entry):
    """(id, version, row_version) from a tuple or "id:version:row_version"; (None, None, None) when unreadable."""
    parts = entry.split(":") if isinstance(entry, str) else list(entry)
    try:
        pk, version, row_version = (int(p) for p in parts)
    except (TypeError, ValueError):
        return (None, None, None)
    if not (0 < pk < 2**31 and 0 < version < 2**31 and 0 <= row_version < 2**31):
        return (None, None, None)
    return (pk, version, row_version)


def progress_verify_many(*, actor, items, note=""):
    """批量核验: each item through `progress_verify` (its own checks, transaction and notice), so one that fails
    (returned meanwhile, declared again, not found) leaves the others verified and is reported with its reason."""
    if not can_verify_progress(actor):
        raise NotPermitted("只有县局执法人员可以核验任务落实情况。")
    parsed = [_batch_item(entry) for entry in items]
    if not parsed:
        raise DomainError("请先勾选要核验通过的事项。")
    if len(parsed) > BATCH_LIMIT:
        raise DomainError(f"一次最多批量核验 {BATCH_LIMIT} 项，请分批办理。")
    ids = [entry[0] for entry in parsed if entry[0] is not None]
    found = {
        p.pk: p
        for p in RequirementProgress.objects.visible_to(actor)
        .filter(pk__in=ids)
        .select_related("organization", "requirement")
    }
    outcome = BatchOutcome()
    for pk, version, row_version in parsed:
        progress = found.get(pk)
        if progress is None:
            outcome.refused.append(Refusal(f"编号 {pk}" if pk else "一项", "未找到该事项，或无权核验。"))
            continue
        label = f"{progress.organization.name} {progress.requirement.code}"
        try:
            progress_verify(actor=actor, progress=progress, note=note, version=version, row_version=row_version)
        except DomainError as exc:
            outcome.refused.append(Refusal(label, exc.message))
        else:
            outcome.verified.append(progress)
    return outcome
