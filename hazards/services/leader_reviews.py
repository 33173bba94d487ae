"""主要负责人检查 (四(四)3): a major hazard found by a higher department (source 上级检查) owes the enterprise main
leader's written 检查 to the bureau within the campaign's days. The duty row is made with the hazard
(`leader_review_require`), the mine or its enterprise submits the 检查 (`leader_review_submit`), the bureau receives
it (`leader_review_receive`); hazards.sweeps.sweep_leader_reviews chases the day."""

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError, InvalidState, NotPermitted
from core.uploads import sniff_evidence

from ..models import Hazard, HazardLevel, HazardSource, LeaderReview, leader_review_due
from ..permissions import can_receive_leader_review, can_submit_leader_review
from .events import record_event


def owes_leader_review(hazard):
    """The notice's case: a major hazard found by a higher department."""
    return hazard.level == HazardLevel.MAJOR and hazard.source == HazardSource.SUPERIOR_INSPECTION


def leader_review_require(*, hazard):
    """Keep the duty in step with the hazard (called by the services that write a hazard, in their transaction): made
    when the hazard is (or becomes) a major one found by a higher department, with its day set then; dropped when a
    correction makes it neither, unless the 检查 was already submitted (what was sent stays on record)."""
    if owes_leader_review(hazard):
        LeaderReview.objects.get_or_create(
            hazard=hazard, defaults={"due_on": leader_review_due(hazard.found_on, hazard.campaign)}
        )
    else:
        LeaderReview.objects.filter(hazard=hazard, submitted_at__isnull=True).delete()


def leader_reviews_require(*, hazard_ids):
    """The same for hazards written in bulk (the ledger import): one query to find them, one insert."""
    hazards = (
        Hazard.objects.filter(pk__in=hazard_ids, level=HazardLevel.MAJOR, source=HazardSource.SUPERIOR_INSPECTION)
        .select_related("campaign")
        .only("pk", "found_on", "campaign")
    )
    LeaderReview.objects.bulk_create(
        [LeaderReview(hazard=h, due_on=leader_review_due(h.found_on, h.campaign)) for h in hazards],
        ignore_conflicts=True,
    )


def _locked(hazard):
    review = LeaderReview.objects.select_for_update().filter(hazard_id=hazard.pk).first()
    if review is None:
        raise InvalidState("该隐患不是上级部门查出的重大隐患，无需报送主要负责人检查。")
    return review


@transaction.atomic
def leader_review_submit(*, actor, hazard, leader_name, written_on, file, summary=""):
    """The mine or its enterprise submits the main leader's written 检查 (who, when, the signed file). Until the
    bureau receives it, a corrected one may be submitted again; once received it is final."""
    if not can_submit_leader_review(actor, hazard):
        raise NotPermitted("主要负责人检查由煤矿或其主体企业报送。")
    review = _locked(hazard)
    if review.is_received:
        raise InvalidState("县局已签收该检查，不能再修改。")
    if not (leader_name or "").strip():
        raise DomainError("请填写作出检查的企业主要负责人。", field="leader_name")
    if written_on is None:
        raise DomainError("请填写检查日期。", field="written_on")
    if written_on > timezone.localdate():
        raise DomainError("检查日期不能晚于今天。", field="written_on")
    if written_on < hazard.found_on:
        raise DomainError("检查日期不能早于隐患排查日期。", field="written_on")
    if not file:
        raise DomainError("请上传主要负责人签字的书面检查。", field="file")
    review.file_type = sniff_evidence(file)
    review.file_name = file.name[:200]
    review.file_size = file.size
    review.file = file
    review.leader_name = leader_name.strip()
    review.written_on = written_on
    review.summary = summary or ""
    review.submitted_by = actor
    review.submitted_at = timezone.now()
    review.save()
    record_event(
        hazard,
        actor=actor,
        action="报送主要负责人检查",
        from_status=hazard.status,
        note=f"{review.leader_name}，{written_on:%Y-%m-%d}",
    )
    return review


@transaction.atomic
def leader_review_receive(*, actor, hazard, note=""):
    """The bureau receives (签收) the submitted 检查."""
    if not can_receive_leader_review(actor, hazard):
        raise NotPermitted("主要负责人检查由县局执法人员签收。")
    review = _locked(hazard)
    if not review.is_submitted:
        raise InvalidState("煤矿尚未报送主要负责人检查，不能签收。")
    if review.is_received:
        raise InvalidState("该检查已签收。")
    review.received_by = actor
    review.received_at = timezone.now()
    review.received_note = (note or "")[:500]
    review.save(update_fields=["received_by", "received_at", "received_note"])
    record_event(
        hazard,
        actor=actor,
        action="签收主要负责人检查",
        from_status=hazard.status,
        note=review.received_note,
    )
    return review
