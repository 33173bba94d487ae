"""The figures a report is pre-filled with, computed from the ledgers for one organisation and period."""

import calendar
import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from accidents.selectors import register_figures
from accounts.models import Mine
from campaign.models import DeadlineKind, ProgressStatus, RecordEvidence, RequirementProgress
from campaign.progress import applies_to, counts_as_done
from hazards.models import Hazard, HazardLevel, HazardStatus, open_on_q, overdue_on_q
from violations.models import Violation, ViolationType
from workforce.selectors import period_figures


def mines_of(organization):
    """The mines an organisation reports for: those its own users see."""
    return Mine.objects.visible_to_organization(organization)


def period_of(deadline):
    """The dates a deadline's report covers."""
    campaign = deadline.campaign
    if deadline.kind == DeadlineKind.MONTHLY and deadline.period:
        year, month = (int(x) for x in deadline.period.split("-"))
        start = max(dt.date(year, month, 1), campaign.starts_on)
        return start, dt.date(year, month, calendar.monthrange(year, month)[1])
    if deadline.kind == DeadlineKind.SELF_CHECK:
        phase = campaign.phases.filter(code="self_check").first()
        if phase:
            return phase.starts_on, phase.ends_on
    return campaign.starts_on, min(campaign.ends_on, deadline.due_on)


def ledger_figures(*, organization, start, end, today=None):
    """Hazards, 三违, accidents (the register), task progress, training and special-period controls of the
    organisation's mines for [start, end]. Seven queries."""
    today = today or timezone.localdate()
    as_of = min(end, today)
    mines = mines_of(organization)
    in_period = Q(found_on__gte=start, found_on__lte=end)
    hazards = Hazard.objects.filter(mine__in=mines).aggregate(
        found=Count("pk", filter=in_period),
        found_major=Count("pk", filter=in_period & Q(level=HazardLevel.MAJOR)),
        closed=Count("pk", filter=Q(status=HazardStatus.CLOSED, accepted_on__gte=start, accepted_on__lte=end)),
        open_at_end=Count("pk", filter=open_on_q(as_of)),
        overdue_at_end=Count("pk", filter=overdue_on_q(as_of)),
        major_open_at_end=Count("pk", filter=open_on_q(as_of) & Q(level=HazardLevel.MAJOR)),
    )
    by_type = {f"violations_{t}": Count("pk", filter=Q(type=t)) for t in ViolationType.values}
    violations = Violation.objects.filter(mine__in=mines, occurred_on__gte=start, occurred_on__lte=end).aggregate(
        violations=Count("pk"), violations_serious=Count("pk", filter=Q(severity="serious")), **by_type
    )
    progress = _progress_figures(organization)
    controls = period_figures(mines=mines, start=start, end=end)
    register = register_figures(mines=mines, start=start, end=end)
    return {
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "hazards_found": hazards["found"],
        "hazards_found_major": hazards["found_major"],
        "hazards_closed": hazards["closed"],
        "hazards_open_at_end": hazards["open_at_end"],
        "hazards_overdue_at_end": hazards["overdue_at_end"],
        "major_hazards_open_at_end": hazards["major_open_at_end"],
        **violations,
        "accidents": register["accidents"],
        "accident_deaths": register["deaths"],
        "accident_injuries": register["injuries"],
        **progress,
        **controls,
    }


def _progress_figures(organization):
    rows = list(
        RequirementProgress.objects.filter(organization=organization)
        .select_related("requirement")
        .only("status", "figure", "requirement__evidence", "requirement__performed_by", "requirement__level")
    )
    applicable = [p for p in rows if applies_to(p.requirement, organization)]
    education = next((p.figure for p in rows if p.requirement.evidence == RecordEvidence.WARNING_EDUCATION), None)
    return {
        "tasks_done": sum(1 for p in applicable if counts_as_done(p.status)),  # 不适用 is not done
        "tasks_in_progress": sum(1 for p in applicable if p.status == ProgressStatus.IN_PROGRESS),
        # JSON holds it; a whole number reads as one ("1 次", not "1.0 次").
        "education_sessions": (int(education) if education == int(education) else float(education)) if education else 0,
    }


FIGURE_LABELS = {
    "hazards_found": "排查隐患（项）",
    "hazards_found_major": "其中重大隐患（项）",
    "hazards_closed": "整改销号（项）",
    "hazards_open_at_end": "期末未销号（项）",
    "hazards_overdue_at_end": "期末逾期未整改（项）",
    "major_hazards_open_at_end": "期末未销号重大隐患（项）",
    "violations": "查处“三违”（人次）",
    "accidents": "事故台账登记事故（起）",
    "accident_deaths": "事故台账死亡（人）",
    "accident_injuries": "事故台账受伤（人，重伤+轻伤）",
    "violations_serious": "其中严重“三违”",
    "violations_command": "违章指挥",
    "violations_operation": "违章作业",
    "violations_discipline": "违反劳动纪律",
    "tasks_done": "任务事项已完成（项）",
    "tasks_in_progress": "任务事项进行中（项）",
    "education_sessions": "开展警示教育（次）",
    "warning_sessions": "本期警示教育（次）",
    "training_sessions": "本期安全培训（次）",
    "trips_underground": "下井人次（人员定位）",
    "trips_over_time": "超时下井（人次）",
    "handovers_late": "调度交接班提前不足2小时（次）",
}


#: the numbers a report types (content["manual"]) and the register's figure each one is checked against
REGISTER_CHECKS = (("deaths", "accident_deaths", "死亡人数"), ("injuries", "accident_injuries", "工伤人数"))


def register_prefill(figures):
    """What a monthly report's typed accident figures start from: the register's (the mine corrects, the reviewer
    sees any difference)."""
    return {typed: figures[key] for typed, key, _ in REGISTER_CHECKS if key in figures}


def register_differences(manual, register):
    """Where the figures the unit typed differ from the register: [{label, typed, register}] (empty when they agree
    or nothing was typed)."""
    rows = []
    for typed, key, label in REGISTER_CHECKS:
        if typed in (manual or {}) and key in register and (manual.get(typed) or 0) != register[key]:
            rows.append({"label": label, "typed": manual.get(typed) or 0, "register": register[key]})
    return rows


def register_now(submission):
    """The register's figures for the submission's period as they stand now (one query): what the reviewer checks
    the typed numbers against (an accident recorded after the report was sent counts too)."""
    start, end = period_of(submission.deadline)
    register = register_figures(mines=mines_of(submission.organization), start=start, end=end)
    return {"accident_deaths": register["deaths"], "accident_injuries": register["injuries"]}


def four_no_status(figures, manual):
    """The 四无 goals for the period: met or not, each with the figure behind it. Deaths and injuries come from the
    accident register (its figures in `figures`); a version frozen before the register existed falls back to what
    the unit typed."""
    deaths = figures["accident_deaths"] if "accident_deaths" in figures else manual.get("deaths", 0) or 0
    injuries = figures["accident_injuries"] if "accident_injuries" in figures else manual.get("injuries", 0) or 0
    return [
        {"goal": "无亡人事故", "value": deaths},
        {"goal": "无工伤事故", "value": injuries},
        {"goal": "无重大隐患", "value": figures.get("hazards_found_major", 0)},
        {"goal": "无“三违”", "value": figures.get("violations", 0)},
    ]
