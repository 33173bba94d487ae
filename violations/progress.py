"""The task items the 三违 app's records prove, bound by capability (RecordEvidence): every 三违 back-tracked
(3.3.d of the 2024 notice: 每起“三违”倒查培训、警示教育、自保联保互保责任落实情况) and the red-line lists (4.1.d)."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from campaign.membership import records_in
from campaign.models import ProgressStatus, RecordEvidence
from campaign.progress import progress_from_records, record_items

from .models import RedLineKind, RedLineList, Violation


def backtracks_progress_refresh(*, mine, campaign):
    """Runs in the caller's transaction, so a 三违 and the progress it moves are saved together."""
    requirements = record_items(campaign, RecordEvidence.VIOLATION_BACKTRACKS)
    if not requirements:
        return
    f = records_in(campaign, Violation.objects.filter(mine=mine), date_field="occurred_on").aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(backtracks_completed_on__isnull=False))
    )
    url = f"{reverse('violation_list')}?{urlencode({'mine': mine.pk})}"
    if not f["total"]:
        status, figure, note = ProgressStatus.DONE, None, "本矿专项整治期间暂无“三违”记录。"
    else:
        figure = round(100 * f["done"] / f["total"])
        status = ProgressStatus.DONE if f["done"] == f["total"] else ProgressStatus.IN_PROGRESS
        note = f"“三违” {f['total']} 起，已完成三项倒查 {f['done']} 起。"
    for requirement in requirements:
        progress_from_records(
            organization=mine, requirement=requirement, status=status, figure=figure, note=note, evidence_url=url
        )


def red_lines_progress_refresh(*, mine, campaign):
    """The red-line lists (分层级、分岗位制定红线清单和追责问责清单): done when both current lists are on record."""
    requirements = record_items(campaign, RecordEvidence.RED_LINE_LISTS)
    if not requirements:
        return
    current = {
        row["kind"]: row
        for row in RedLineList.objects.filter(mine=mine, is_current=True)
        .values("kind", "version")
        .annotate(
            item_count=Count("items"),
            level_count=Count("items__level", distinct=True),
            post_count=Count("items__post", distinct=True),
        )
    }
    parts = [
        "{label}第 {version} 版 {item_count} 条（{level_count} 个层级、{post_count} 个岗位）".format(
            label=label, **current[kind]
        )
        for kind, label in RedLineKind.choices
        if kind in current
    ]
    missing = [label for kind, label in RedLineKind.choices if kind not in current]
    if not current:
        status, note = ProgressStatus.NOT_STARTED, "尚未制定红线清单和追责问责清单。"
    elif missing:
        status, note = ProgressStatus.IN_PROGRESS, "；".join(parts) + f"；尚未制定{'、'.join(missing)}。"
    else:
        status, note = ProgressStatus.DONE, "；".join(parts) + "。"
    url = f"{reverse('red_line_list')}?{urlencode({'mine': mine.pk})}"
    for requirement in requirements:
        progress_from_records(
            organization=mine, requirement=requirement, status=status, figure=None, note=note, evidence_url=url
        )
