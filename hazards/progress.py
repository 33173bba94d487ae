"""The task item the inspections' exams prove (RecordEvidence.INSPECTION_EXAMS; 2.2.f of the 2024 notice,
逢查必考，不合格人员重新脱产培训): every person of the mine who failed has been retrained off duty."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from campaign.membership import records_in
from campaign.models import ProgressStatus, RecordEvidence
from campaign.progress import progress_from_records, record_items

from .models import ExamResult


def exams_progress_refresh(*, mine, campaign):
    """Runs in the caller's transaction, so an exam or a retraining and the progress it moves are saved together.
    The exams counted are those of the campaign's inspections of the mine (campaign.membership)."""
    requirements = record_items(campaign, RecordEvidence.INSPECTION_EXAMS)
    if not requirements:
        return
    exams = records_in(
        campaign,
        ExamResult.objects.filter(inspection__mine=mine),
        date_field="inspection__inspected_on",
        unit_field="inspection__mine",
    )
    f = exams.aggregate(
        total=Count("pk"),
        failed=Count("pk", filter=Q(passed=False)),
        open=Count("pk", filter=Q(passed=False, retrained_on__isnull=True)),
    )
    url = f"{reverse('inspection_list')}?{urlencode({'mine': mine.pk})}"
    if not f["total"]:
        status, note = ProgressStatus.NOT_STARTED, "县局检查尚未对本矿人员开展考试。"
    elif f["open"]:
        status = ProgressStatus.IN_PROGRESS
        note = f"检查考试 {f['total']} 人次，不合格 {f['failed']} 人次，其中 {f['open']} 人次尚未完成脱产培训。"
    else:
        status = ProgressStatus.DONE
        note = f"检查考试 {f['total']} 人次，不合格 {f['failed']} 人次均已完成脱产培训。"
    for requirement in requirements:
        progress_from_records(
            organization=mine, requirement=requirement, status=status, figure=f["open"], note=note, evidence_url=url
        )
