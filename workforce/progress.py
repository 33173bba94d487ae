"""The task items the roster, training, certificate, positioning, zero-shift and handover records prove (bound by
capability, `RecordEvidence`; in the 2024 notice 1.1, 2.2.b–e and 3.3 but d), filled in from the records.

Each item's figure, status and note are computed for one mine over the campaign's dates, with a link to the
records that prove it; the officer no longer fills them in by hand (campaign.progress refuses it)."""

import datetime as dt
import zoneinfo
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from campaign.figures import FACE_HOURS, HANDOVER_LEAD_HOURS, UNDERGROUND_HOURS, figure_of
from campaign.models import ProgressStatus, RecordEvidence
from campaign.progress import progress_from_records, record_items

from .models import (
    WARNING_KINDS,
    Certificate,
    DispatchHandover,
    PositioningRecord,
    SessionKind,
    TrainingSession,
    ZeroShiftPlan,
)
from .selectors import training_archive_figures, warning_coverage

DONE, IN_PROGRESS, NOT_STARTED, NOT_APPLICABLE = (
    ProgressStatus.DONE,
    ProgressStatus.IN_PROGRESS,
    ProgressStatus.NOT_STARTED,
    ProgressStatus.NOT_APPLICABLE,
)


def _url(name, mine, **params):
    return f"{reverse(name)}?{urlencode({'mine': mine.pk, **params})}"


def _window(campaign):
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(campaign.starts_on, dt.time(0, 0), tzinfo=tz)
    return start, dt.datetime.combine(campaign.ends_on, dt.time(0, 0), tzinfo=tz) + dt.timedelta(days=1)


def _sessions(mine, campaign, kind):
    return TrainingSession.objects.filter(
        mine=mine, kind=kind, held_on__gte=campaign.starts_on, held_on__lte=campaign.ends_on
    )


def _count_item(mine, campaign, kind, what):
    n = _sessions(mine, campaign, kind).count()
    note = f"已登记{what} {n} 次。" if n else f"尚未登记{what}。"
    return (DONE if n else NOT_STARTED), n, note, _url("training_session_list", mine, kind=kind)


def _cases(mine, campaign):
    sessions = TrainingSession.objects.filter(
        mine=mine, kind__in=WARNING_KINDS, held_on__gte=campaign.starts_on, held_on__lte=campaign.ends_on
    )
    cases = {c for pair in sessions.values_list("case_one", "case_two") for c in pair if c}
    note = "选用的事故案例：" + "；".join(sorted(cases)) + "。" if cases else "尚未选用事故案例。"
    return (
        (DONE if cases else NOT_STARTED),
        len(cases),
        note,
        _url("training_session_list", mine, kind=SessionKind.WARNING_EDUCATION),
    )


def _coverage(mine, campaign):
    c = warning_coverage(mine=mine, start=campaign.starts_on, end=campaign.ends_on)
    url = reverse("training_coverage") + f"?mine={mine.pk}"
    if c["percent"] is None:
        return NOT_STARTED, None, "尚未建立主要负责人、车间（科队）和班组名册，无法计算覆盖率。", url
    parts = []
    for key, label in (("main_leaders", "主要负责人"), ("workshops", "车间（科队）"), ("teams", "班组")):
        part = c[key]
        text = f"{label} {part['covered']}/{part['total']}"
        if part["missing"]:
            text += "（未覆盖：" + "、".join(part["missing"][:10]) + ("等" if len(part["missing"]) > 10 else "") + "）"
        parts.append(text)
    status = DONE if c["percent"] >= 100 else (IN_PROGRESS if c["sessions"] else NOT_STARTED)
    return status, c["percent"], "；".join(parts) + "。", url


def _archives(mine, campaign):
    f = training_archive_figures(mine=mine)
    url = _url("person_list", mine)
    if not f["total"]:
        return NOT_STARTED, None, "尚未建立人员名册。", url
    percent = round(100 * f["trained"] / f["total"])
    status = DONE if percent == 100 else (IN_PROGRESS if f["trained"] else NOT_STARTED)
    return status, percent, f"名册 {f['total']} 人，有培训记录 {f['trained']} 人（{percent}%）。", url


def _outside_staff(mine, campaign):
    f = training_archive_figures(mine=mine)
    url = _url("person_list", mine, employment="not_own")
    if not f["total"]:
        return NOT_STARTED, None, "尚未建立人员名册。", url
    if not f["outside"]:
        return NOT_APPLICABLE, None, "名册中没有外包外租、劳务派遣、灵活用工人员。", url
    percent = round(100 * f["outside_trained"] / f["outside"])
    status = DONE if percent == 100 else (IN_PROGRESS if f["outside_trained"] else NOT_STARTED)
    return (
        status,
        percent,
        f"外包外租、劳务派遣、灵活用工 {f['outside']} 人，已纳入统一培训 {f['outside_trained']} 人。",
        url,
    )


def _major_hazard_standard(mine, campaign):
    """2.2.d: the major-hazard criteria taught, and examined (a session with a pass mark and scores)."""
    sessions = TrainingSession.objects.filter(
        mine=mine, covers_major_hazard_standard=True, held_on__gte=campaign.starts_on, held_on__lte=campaign.ends_on
    ).aggregate(
        total=Count("pk", distinct=True),
        examined=Count("pk", distinct=True, filter=Q(pass_mark__isnull=False, attendance__score__isnull=False)),
        people=Count("attendance", filter=Q(attendance__score__isnull=False)),
    )
    url = _url("training_session_list", mine, covers="major_hazard_standard")
    if not sessions["total"]:
        return NOT_STARTED, 0, "尚未登记讲授重大事故隐患判定标准的培训。", url
    if not sessions["examined"]:
        return IN_PROGRESS, sessions["total"], f"已培训 {sessions['total']} 次，尚未登记考核成绩。", url
    return (
        DONE,
        sessions["total"],
        f"讲授重大事故隐患判定标准的培训 {sessions['total']} 次，其中 {sessions['examined']} 次组织考核，"
        f"考核 {sessions['people']} 人次。",
        url,
    )


def _certificates(mine, campaign):
    today = timezone.localdate()
    f = Certificate.objects.filter(mine=mine, person__is_active=True).aggregate(
        total=Count("pk"), expired=Count("pk", filter=Q(expires_on__lt=today))
    )
    url = _url("certificate_list", mine)
    if not f["total"]:
        return NOT_STARTED, None, "尚未登记特种作业人员证书。", url
    if f["expired"]:
        return (
            IN_PROGRESS,
            f["expired"],
            f"在岗人员证书 {f['total']} 本，其中 {f['expired']} 本已过期，须复审换证后上岗。",
            url,
        )
    return DONE, 0, f"在岗人员证书 {f['total']} 本，均在有效期内。", url


def _positioning(mine, campaign, *, field, flag, figure, what):
    # The trips' flags were set against the campaign's limit at import; the note prints that limit.
    limit = figure_of(campaign, figure)
    start, end = _window(campaign)
    f = PositioningRecord.objects.filter(mine=mine, entered_at__gte=start, entered_at__lt=end).aggregate(
        trips=Count("pk"), longest=Max(field), over=Count("pk", filter=Q(**{flag: True}))
    )
    url = _url("positioning_list", mine, over=flag)
    if not f["trips"] or f["longest"] is None:
        return NOT_STARTED, None, "尚未导入人员定位记录。", url
    hours = (Decimal(f["longest"]) / 60).quantize(Decimal("0.01"))
    if f["over"]:
        return (
            IN_PROGRESS,
            hours,
            f"{f['trips']} 人次中 {f['over']} 人次{what}超过 {limit} 小时，最长 {hours} 小时。",
            url,
        )
    return DONE, hours, f"{f['trips']} 人次{what}均未超过 {limit} 小时，最长 {hours} 小时。", url


def _zero_shift(mine, campaign):
    n = ZeroShiftPlan.objects.filter(
        mine=mine, shift_date__gte=campaign.starts_on, shift_date__lte=campaign.ends_on
    ).count()
    url = _url("zero_shift_plan_list", mine)
    if not n:
        return NOT_STARTED, 0, "尚未登记零点班作业计划。", url
    return DONE, n, f"已登记零点班计划 {n} 个，均未安排危险作业，均实行“双带班”。", url


def _handovers(mine, campaign):
    start, end = _window(campaign)
    f = DispatchHandover.objects.filter(mine=mine, shift_starts_at__gte=start, shift_starts_at__lt=end).aggregate(
        total=Count("pk"),
        shortest=Min("lead_minutes"),
        late=Count("pk", filter=Q(late=True)),
    )
    lead = figure_of(campaign, HANDOVER_LEAD_HOURS)
    url = _url("handover_list", mine)
    if not f["total"]:
        return NOT_STARTED, None, "尚未登记调度交接班记录。", url
    hours = (Decimal(f["shortest"]) / 60).quantize(Decimal("0.01"))
    if f["late"]:
        return IN_PROGRESS, hours, f"交接班 {f['total']} 次，其中 {f['late']} 次提前不足 {lead} 小时调度。", url
    return DONE, hours, f"交接班 {f['total']} 次，均提前 {lead} 小时以上调度。", url


E = RecordEvidence
#: what each capability this app keeps the records for computes: (status, figure, note, url) for a mine
ITEMS = {
    E.ACCIDENT_CASES: _cases,
    E.WARNING_EDUCATION: lambda m, c: _count_item(m, c, SessionKind.WARNING_EDUCATION, "事故警示教育"),
    E.MAIN_LEADER_LECTURE: lambda m, c: _count_item(m, c, SessionKind.MAIN_LEADER_LECTURE, "主要负责人警示教育课"),
    E.WARNING_EDUCATION_COVERAGE: _coverage,
    E.SAFETY_REFLECTION: lambda m, c: _count_item(m, c, SessionKind.REFLECTION, "全员安全生产大反思"),
    E.TRAINING_ARCHIVES: _archives,
    E.CERTIFICATES: _certificates,
    E.MAJOR_HAZARD_STANDARD_TRAINING: _major_hazard_standard,
    E.OUTSIDE_STAFF_TRAINING: _outside_staff,
    E.FACE_TIME: lambda m, c: _positioning(
        m, c, field="face_minutes", flag="over_face", figure=FACE_HOURS, what="工作面作业时间"
    ),
    E.UNDERGROUND_TIME: lambda m, c: _positioning(
        m, c, field="underground_minutes", flag="over_underground", figure=UNDERGROUND_HOURS, what="出入井时间"
    ),
    E.ZERO_SHIFT_PLANS: _zero_shift,
    E.DISPATCH_HANDOVERS: _handovers,
}
#: the capabilities a training session can move
TRAINING_EVIDENCE = (
    E.ACCIDENT_CASES,
    E.WARNING_EDUCATION,
    E.MAIN_LEADER_LECTURE,
    E.WARNING_EDUCATION_COVERAGE,
    E.SAFETY_REFLECTION,
    E.TRAINING_ARCHIVES,
    E.MAJOR_HAZARD_STANDARD_TRAINING,
    E.OUTSIDE_STAFF_TRAINING,
)


def records_progress_refresh(*, mine, campaign, evidence=None):
    """Write the items of `mine` in `campaign` proved by the capabilities `evidence` (all of this app's by default)
    from the records. Runs in the caller's transaction, so a record and the progress it proves are saved together."""
    for requirement in record_items(campaign, *(evidence or ITEMS)):
        status, figure, note, url = ITEMS[requirement.evidence](mine, campaign)
        progress_from_records(
            organization=mine, requirement=requirement, status=status, figure=figure, note=note, evidence_url=url
        )
