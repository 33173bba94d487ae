"""Task progress (任务落实): writes and reads for the notice's task list, per organisation."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q

from core.concurrency import check_row_version
from core.errors import DomainError, NotPermitted
from core.uploads import sniff_evidence

from .models import (
    ProgressEvidence,
    ProgressStatus,
    Requirement,
    RequirementPerformer,
    RequirementProgress,
    VerificationState,
)
from .permissions import can_report_progress
from .verification import check_declarable, declare, item_state, needs_verification


def filled_from_records(requirement):
    """Items that name the records proving them (`Requirement.evidence`) are filled in by the apps that keep those
    records (workforce, hazards, violations); nobody fills them in by hand."""
    return bool(requirement.evidence)


def bureau_item_from_records(requirement):
    """The bureau's own items that records prove (4.2.a–c, 4.3.c, 4.3.d) are read from the bureau's records (the
    enforcement app's `bureau_items` selector) and never typed, by the bureau either."""
    return requirement.performed_by == RequirementPerformer.BUREAU and filled_from_records(requirement)


def counts_as_done(status):
    """Only 已完成 is done. 不适用 is not done: it takes the item out of the count (see `completion`)."""
    return status == ProgressStatus.DONE


def completion(*, owed, done, not_applicable):
    """How far a unit (or several) got with `owed` items, `done` of them done and `not_applicable` declared 不适用.

    The one rule for every completion figure: an item that does not apply is neither done nor owed, so it leaves both
    sides of the fraction (counting it as done would let a unit reach 100% by declaring everything 不适用; counting it
    as owed would blame a unit for what it rightly does not do). `percent` is None when nothing is left to do."""
    counted = max(0, owed - not_applicable)
    return {"owed": counted, "done": done, "percent": round(100 * done / counted) if counted else None}


def applies_to(requirement, organization):
    """Items of 县局 measures are the bureau's; the others are those of the enterprises and mines taking part in the
    campaign (campaign.membership; read once per campaign instance, so loops over one campaign's items ask once)."""
    from .membership import takes_part

    if requirement.performed_by == RequirementPerformer.BUREAU:
        return organization.kind == "bureau"
    return organization.kind in ("mine", "enterprise") and takes_part(requirement.campaign, organization)


def _check_writer(actor, organization, requirement):
    if not can_report_progress(actor, organization):
        raise NotPermitted("只能填报本单位的任务落实情况。")
    if requirement.level != "item":
        raise DomainError("请在具体事项上填报。")
    if not applies_to(requirement, organization):
        raise NotPermitted("该事项不由本单位落实。")


@transaction.atomic
def progress_update(
    *, actor, organization, requirement, status, figure=None, reason="", note="", row_version=None, evidence=None
):
    """`row_version`: the version the page showed, 0 when there was no progress yet (None: not checked).
    `evidence`: an upload saved with it, in the same transaction (a refused file leaves the progress unchanged)."""
    _check_writer(actor, organization, requirement)
    if filled_from_records(requirement) and organization.kind == "mine":
        raise NotPermitted("该事项由系统根据本矿登记的记录自动填写，请登记相应记录，不能手工修改。")
    if bureau_item_from_records(requirement):
        raise NotPermitted("该事项由系统根据县局的检查、执法和通报记录统计，不能手工填报。")
    if status == ProgressStatus.NOT_APPLICABLE and not (reason or "").strip():
        raise DomainError("选择“不适用”时必须说明理由。", field="reason")
    if figure is not None and figure < 0:
        raise DomainError("数量不能为负数。", field="figure")
    progress, created = RequirementProgress.objects.select_for_update().get_or_create(
        organization=organization, requirement=requirement
    )
    if not created:
        check_row_version(progress, row_version)
    verified_by_hand = needs_verification(requirement, organization)
    if verified_by_hand:
        check_declarable(progress)
    progress.status = status
    progress.figure = figure
    progress.reason = reason if status == ProgressStatus.NOT_APPLICABLE else ""
    progress.note = note
    progress.updated_by = actor
    progress.save()
    if evidence:
        progress_attach(actor=actor, organization=organization, requirement=requirement, upload=evidence)
    if verified_by_hand and status == ProgressStatus.DONE:  # 已完成 with its evidence: a declaration for the bureau
        declare(actor=actor, progress=progress)
    return progress


@transaction.atomic
def progress_attach(*, actor, organization, requirement, upload):
    _check_writer(actor, organization, requirement)
    content_type = sniff_evidence(upload)
    progress, _ = RequirementProgress.objects.get_or_create(organization=organization, requirement=requirement)
    if needs_verification(requirement, organization):
        # the files of a declaration are frozen with it: none added while it waits or once verified (a returned item
        # takes new ones before it is declared again)
        check_declarable(progress)
    return ProgressEvidence.objects.create(
        progress=progress,
        file=upload,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )


def record_items(campaign, *evidence):
    """The items of `campaign` that the records `evidence` (RecordEvidence values) prove, in the notice's order.
    A notice may bind a capability to no item (nothing to fill) or, rarely, to several."""
    if campaign is None:
        return []
    return list(campaign.requirements.filter(level="item", evidence__in=evidence).order_by("order"))


def progress_from_records(*, organization, requirement, status, figure, note, evidence_url):
    """Write an item filled from records as the records show it (in the caller's transaction): the apps that keep
    the records call this, so this app never imports them."""
    RequirementProgress.objects.update_or_create(
        organization=organization,
        requirement=requirement,
        defaults={
            "status": status,
            "figure": figure,
            "note": note,
            "reason": note[:300] if status == ProgressStatus.NOT_APPLICABLE else "",
            "evidence_url": evidence_url,
            "filled_from_records": True,
            "updated_by": None,
        },
    )


# ------------------------------------------------------------------ reads


def progress_tree(*, campaign, organization):
    """The task tree for one organisation: sections → measures → items with its progress, and per-section
    completion (`completion`: done over applicable items, 不适用 ones left out). Three queries whatever the size."""
    requirements = list(campaign.requirements.order_by("order"))
    progress = {
        p.requirement_id: p
        for p in RequirementProgress.objects.filter(organization=organization, requirement__campaign=campaign)
        .select_related("requirement")
        .prefetch_related("files")
    }
    sections, current_section, current_measure = [], None, None
    for r in requirements:
        if r.level == "section":
            current_section = {
                "requirement": r,
                "measures": [],
                "applicable": 0,
                "finished": 0,
                "verified": 0,
                "not_applicable": 0,
            }
            sections.append(current_section)
        elif r.level == "measure":
            current_measure = {"requirement": r, "items": []}
            current_section["measures"].append(current_measure)
        else:
            applicable = applies_to(r, organization)
            p = progress.get(r.pk)
            state = item_state(r, organization, p)
            current_measure["items"].append(
                {
                    "requirement": r,
                    "progress": p,
                    "applicable": applicable,
                    "from_records": (organization.kind == "mine" and filled_from_records(r))
                    or bureau_item_from_records(r),
                    "state": state,
                    "verified_by_hand": applicable and needs_verification(r, organization),
                }
            )
            if applicable:
                current_section["applicable"] += 1
                if p and counts_as_done(p.status):
                    current_section["finished"] += 1
                    current_section["verified"] += state == VerificationState.VERIFIED
                elif p and p.status == ProgressStatus.NOT_APPLICABLE:
                    current_section["not_applicable"] += 1
    for section in sections:
        c = completion(owed=section["applicable"], done=section["finished"], not_applicable=section["not_applicable"])
        section["counted"], section["percent"] = c["owed"], c["percent"]
    total = completion(
        owed=sum(s["applicable"] for s in sections),
        done=sum(s["finished"] for s in sections),
        not_applicable=sum(s["not_applicable"] for s in sections),
    )
    verified = completion(
        owed=sum(s["applicable"] for s in sections),
        done=sum(s["verified"] for s in sections),
        not_applicable=sum(s["not_applicable"] for s in sections),
    )
    return {
        "sections": sections,
        "percent": total["percent"] or 0,
        "verified_percent": verified["percent"] or 0,  # 已核验 (or proven by records) only
    }


#: what counts as verified among rows of items done: the bureau verified it, or records prove it
VERIFIED_Q = Q(state=VerificationState.VERIFIED) | Q(filled_from_records=True)


def progress_overview(*, campaign, organizations):
    """Across organisations: for each item, how many are at each status (one grouped query), and among them how many
    wait for the bureau (`declared`), were returned (`returned`) or are verified (`verified`, with those records
    prove)."""
    counts = defaultdict(lambda: defaultdict(int))
    rows = (
        RequirementProgress.objects.filter(requirement__campaign=campaign, organization__in=organizations)
        .values("requirement_id", "status", "state")
        .annotate(n=Count("pk"), proven=Count("pk", filter=VERIFIED_Q))
        .order_by()
    )
    for row in rows:
        c = counts[row["requirement_id"]]
        c[row["status"]] += row["n"]
        if row["status"] == ProgressStatus.DONE:
            c["verified"] += row["proven"]
        if row["state"] in (VerificationState.DECLARED, VerificationState.RETURNED):
            c[row["state"]] += row["n"]
    return counts


def requirement_progress_rows(*, requirement, organizations):
    """Each organisation's progress on one item (for the bureau's drill-down)."""
    by_org = {
        p.organization_id: p
        for p in RequirementProgress.objects.filter(requirement=requirement, organization__in=organizations)
    }
    return [(org, by_org.get(org.pk)) for org in organizations if applies_to(requirement, org)]


def items_of(campaign):
    return Requirement.objects.filter(campaign=campaign, level="item").order_by("order")
