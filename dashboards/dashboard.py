"""The figures of the dashboards, for whoever asks: everything starts from the visibility rule, so a bureau sees
its county, an enterprise its mines, a mine itself. One query per figure group, whatever the data size."""

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accidents.selectors import accident_overview
from accounts.models import Mine, MineStatus
from campaign.figures import FACE_HOURS, HANDOVER_LEAD_HOURS, UNDERGROUND_HOURS, figures_of
from campaign.membership import records_in, units_q
from campaign.selectors import campaign_active_for
from core.scoping import scope_key, scope_of
from hazards.models import (
    ExamResult,
    Hazard,
    HazardLevel,
    HazardSpecialty,
    HazardStatus,
    Inspection,
    due_before_q,
    major_open_q,
    missed_by_self_checks_q,
    open_q,
)
from hazards.models.inspection import InspectionMode
from hazards.selectors import suspected_pending_by
from reporting.models import Submission
from reporting.selectors import review_queue
from violations.models import Severity, Tipoff, ViolationType
from violations.selectors import bulletin_duty
from workforce.selectors import control_flags

from .models import HazardDueTally, HazardTally, ViolationTally

#: Risk score of a mine (documented in the README and on the page): what needs the bureau's attention first.
RISK_WEIGHTS = {
    "major_open": 10,  # each open major hazard (the mine is under 停产整顿)
    "overdue": 3,  # each hazard past its rectification date
    "open": 1,  # each other hazard not yet closed
    "serious_violations": 2,  # each serious 三违 in the campaign
    "late_or_missing": 2,  # each report sent late or not at all
    # each 疑似重大隐患 not yet decided (待核实): possibly a major hazard kept as 一般, so above an overdue one, below a
    # confirmed major (once confirmed it counts as major_open; once dismissed, not at all)
    "suspected_major": 5,
}


def dashboard(*, user, today=None, ranking_size=10, chosen=None):
    """The figures, cached per visibility scope for DASHBOARD_CACHE_SECONDS (they are the same for everyone who sees
    the same organisations): at a national scale they take seconds to compute, and a minute's delay is honest."""
    from django.conf import settings
    from django.core.cache import cache

    today = today or timezone.localdate()
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return compute_dashboard(user=user, today=today, ranking_size=ranking_size, chosen=chosen)
    # Keyed by what the user may see (core.scoping), and by whether the bureau's own figures are part of it.
    # And by the campaign picked in the switcher (None: the default one).
    key = f"dashboard:{scope_key(user)}:{user.is_bureau_user}:{today.isoformat()}:{ranking_size}:{chosen}"
    data = cache.get(key)
    if data is None:
        data = compute_dashboard(user=user, today=today, ranking_size=ranking_size, chosen=chosen)
        data["computed_at"] = timezone.now()
        cache.set(key, data, seconds)
    return data


def compute_dashboard(*, user, today, ranking_size=10, chosen=None):
    """The county's (enterprise's, mine's) figures; those of a campaign (its phase, ranking within it, 动态清零 series,
    accidents) are the chosen campaign's (`chosen`, an id; None: the default one) over the units taking part in it."""
    campaign = campaign_active_for(user=user, today=today, figures=True, chosen=chosen)
    data = {"today": today, "campaign": campaign, "limits": limits_in_force(campaign, today)}
    if campaign:
        phase = campaign.phase_on(today)
        data["phase"] = phase
        data["phase_days_left"] = (phase.ends_on - today).days if phase else None
        data["campaign_days_left"] = max(0, (campaign.ends_on - today).days)
    # From the maintained tallies (dashboards.models), never a scan of the ledger: one grouped read of the small
    # (status, level, specialty) buckets, one sum of the open ones due before today.
    data["hazards"], data["hazards_by_specialty"] = hazard_counts(user=user, today=today)
    data["suspended_mines"] = list(
        Mine.objects.visible_to(user)
        .filter(status=MineStatus.SUSPENDED)
        .annotate(
            major_open=Coalesce(
                Subquery(
                    HazardDueTally.objects.filter(mine_id=OuterRef("pk"), level=HazardLevel.MAJOR)
                    .values("mine_id")
                    .annotate(s=Sum("n"))
                    .values("s")
                ),
                0,
            )
        )
        .select_related("parent")
        .order_by("name")[:50]
    )
    month_start = today.replace(day=1)
    violations = ViolationTally.objects.visible_to(user).filter(occurred_on__gte=month_start, occurred_on__lte=today)
    data["violations_month"] = violations.aggregate(
        total=_n(),
        **{t: _n(Q(type=t)) for t in ViolationType.values},
        **{f"severity_{s}": _n(Q(severity=s)) for s in Severity.values},
    )
    data["month_start"] = month_start
    # The campaign's accidents (事故台账) and the 提级调查 still open: two queries.
    data["accidents"] = accident_overview(user=user, campaign=campaign)
    county_id = scope_of(user).county_id  # a county's own duty (a city reading a county: that county's)
    if user.is_bureau_user and county_id:
        data["bulletin_duty"] = bulletin_duty(bureau_id=county_id, period=f"{today:%Y-%m}")
        data["reports_waiting"] = Tipoff.objects.visible_to(user).filter(status="received").count()
        # what the user reviews (its 待审核 list: not the county's own reports up to the city, nor, for a city reading a
        # county, what the county reviews)
        data["review_queue"] = review_queue(user=user).order_by().count()
    inspections = Inspection.objects.visible_to(user)
    data["inspections_since"] = None  # the first day counted (the phase's), which the links to the list carry
    if campaign and data.get("phase"):
        data["inspections_since"] = data["phase"].starts_on
        inspections = inspections.filter(inspected_on__gte=data["phase"].starts_on, inspected_on__lte=today)
    by_mode = dict(inspections.values_list("mode").annotate(n=Count("pk")).order_by())
    data["inspections_by_mode"] = [
        {"code": code, "label": label, "count": by_mode.get(code, 0)} for code, label in InspectionMode.choices
    ]
    data["inspections_total"] = sum(by_mode.values())
    data["exams"] = ExamResult.objects.visible_to(user).aggregate(
        total=Count("pk"),
        failed=Count("pk", filter=Q(passed=False)),
        retraining_open=Count("pk", filter=Q(passed=False, retrained_on__isnull=True)),
    )
    data["controls"] = control_flags(user=user, today=today)
    # the first day the controls count (their last `days` days), which their links to the lists carry
    data["controls_since"] = today - dt.timedelta(days=data["controls"]["days"])
    ranking = risk_ranking(user=user, campaign=campaign, today=today)
    data["ranking"] = ranking[:ranking_size]
    # One mine in sight (its own officer, an enterprise with a single mine): its own score, not a ranking of one.
    data["own_mine"] = ranking[0] if len(ranking) == 1 else None
    data["self_check_gaps"] = self_check_gaps(user=user)
    data["major_series"] = major_hazard_series(user=user, campaign=campaign, today=today)
    return data


def _n(condition=None):
    """The sum of a tally's counts (meeting `condition`), 0 when no bucket does."""
    return Coalesce(Sum("n", filter=condition), 0)


def hazard_counts(*, user, today):
    """(figures, by specialty) of the hazards the user sees, from the tallies: one read of the (status, level,
    specialty) buckets grouped by specialty (hazards.models' predicates filter the tally as they filter hazards), one
    sum of the buckets not closed due before today."""
    figures = {
        "total": _n(),
        "open": _n(Q(status=HazardStatus.OPEN)),
        "rectifying": _n(Q(status=HazardStatus.RECTIFYING)),
        "awaiting_acceptance": _n(Q(status=HazardStatus.AWAITING_ACCEPTANCE)),
        "closed": _n(Q(status=HazardStatus.CLOSED)),
        "not_closed": _n(open_q()),
        "general": _n(Q(level=HazardLevel.GENERAL)),
        "major": _n(Q(level=HazardLevel.MAJOR)),
        "major_open": _n(major_open_q()),
    }
    rows = list(HazardTally.objects.visible_to(user).values("specialty").annotate(**figures).order_by())
    totals = {key: sum(r[key] for r in rows) for key in figures}
    # the tally of hazards not closed holds only open_q's rows: overdue_q there is its due-date half
    totals["overdue"] = HazardDueTally.objects.visible_to(user).aggregate(n=_n(due_before_q(today)))["n"]
    by_specialty = {r["specialty"]: r["total"] for r in rows}
    specialties = [
        {"code": code, "label": label, "count": by_specialty.get(code, 0)}
        for code, label in HazardSpecialty.choices
        if by_specialty.get(code)
    ]
    return totals, specialties


def only_mine(user):
    """The mine, when the user sees exactly one (then pages show that mine, not comparisons across mines)."""
    mines = list(Mine.objects.visible_to(user).order_by("pk").only("pk", "name", "status")[:2])
    return mines[0] if len(mines) == 1 else None


def limits_in_force(campaign, today):
    """The special-period limits the control labels print (出入井超N小时…): those of the campaign running today (as
    campaign.figures.figures_in_force), the notice's outside one; read with the campaign, no query of their own."""
    running = campaign if campaign and campaign.starts_on <= today <= campaign.ends_on else None
    figures = figures_of(running)
    return {f.name: figures[f] for f in (UNDERGROUND_HOURS, FACE_HOURS, HANDOVER_LEAD_HOURS)}


def risk_ranking(*, user, campaign, today):
    """Mines ordered by their risk score (RISK_WEIGHTS), highest first (those taking part in the campaign). Four
    grouped queries."""
    in_sight = Mine.objects.visible_to(user)
    if campaign:
        in_sight = in_sight.filter(units_q(campaign))
    mines = {m.pk: m for m in in_sight.select_related("parent")}
    rows = {pk: {"mine": m, **dict.fromkeys(RISK_WEIGHTS, 0)} for pk, m in mines.items()}
    for r in (
        HazardDueTally.objects.visible_to(user)  # the hazards not closed (open_q), per due date
        .filter(mine_id__in=in_sight.values("pk"))
        .values("mine_id")
        .annotate(
            major_open=_n(Q(level=HazardLevel.MAJOR)),
            overdue=_n(due_before_q(today)),
            open=_n(Q(level=HazardLevel.GENERAL)),
        )
        .order_by()
    ):
        rows[r["mine_id"]].update(major_open=r["major_open"], overdue=r["overdue"], open=r["open"])
    in_ranking = Q(hazard__mine_id__in=in_sight.values("pk"))
    for mine_id, n in suspected_pending_by("hazard__mine_id", user=user, where=in_ranking):
        rows[mine_id]["suspected_major"] = n
    if campaign:
        for r in (
            records_in(campaign, ViolationTally.objects.visible_to(user), date_field="occurred_on")
            .filter(severity=Severity.SERIOUS)
            .values("mine_id")
            .annotate(n=Sum("n"))
            .order_by()
        ):
            rows[r["mine_id"]]["serious_violations"] = r["n"]
        past = [d for d in campaign.deadlines.all() if d.owed_by_mines and d.due_on < today]
        on_time = dict(
            Submission.objects.filter(
                deadline__in=past, organization_id__in=mines, versions_submitted__gt=0, late=False
            )
            .values_list("organization_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for pk, row in rows.items():
            row["late_or_missing"] = len(past) - on_time.get(pk, 0)
    for row in rows.values():
        row["score"] = sum(row[k] * w for k, w in RISK_WEIGHTS.items())
    return sorted(rows.values(), key=lambda r: (-r["score"], r["mine"].name))


def self_check_gaps(*, user, limit=50):
    """自查不实: per mine, hazards that inspections found and the mine's own checks had not listed
    (no self-check hazard at the same place found on or before the inspection's finding), and the 疑似重大隐患 still
    待核实 among the hazards its own checks recorded as 一般 (`suspected_major`). Two grouped queries."""
    rows = (
        Hazard.objects.visible_to(user)
        .filter(missed_by_self_checks_q())
        .values("mine_id", "mine__name", "mine__parent__name")
        .annotate(missed=Count("pk"), missed_major=Count("pk", filter=Q(level=HazardLevel.MAJOR)))
        .order_by()
    )
    gaps = {r["mine_id"]: {**r, "suspected_major": 0} for r in rows}
    for mine_id, name, parent, n in suspected_pending_by(
        "hazard__mine_id", "hazard__mine__name", "hazard__mine__parent__name", user=user, self_recorded=True
    ):
        row = {"mine_id": mine_id, "mine__name": name, "mine__parent__name": parent, "missed": 0, "missed_major": 0}
        gaps.setdefault(mine_id, row)["suspected_major"] = n
    return sorted(gaps.values(), key=lambda g: (-g["missed"] - g["suspected_major"], g["mine__name"]))[:limit]


def self_check_gap_hazards(*, user, mine_id):
    return (
        Hazard.objects.visible_to(user)
        .filter(missed_by_self_checks_q(), mine_id=mine_id)
        .select_related("mine", "inspection")
        .order_by("-found_on")
    )


def major_hazard_series(*, user, campaign, today):
    """动态清零: open major hazards at the end of each week of the campaign (aiming at zero)."""
    if not campaign:
        return []
    rows = list(
        Hazard.objects.visible_to(user)
        .filter(units_q(campaign, "mine"), level=HazardLevel.MAJOR, found_on__lte=min(today, campaign.ends_on))
        .filter(Q(accepted_on__isnull=True) | Q(accepted_on__gte=campaign.starts_on))
        .values_list("found_on", "accepted_on", "status")
    )
    series = []
    day = campaign.starts_on + dt.timedelta(days=6)
    end = min(today, campaign.ends_on)
    while True:
        point = min(day, end)
        count = sum(
            1
            for found, accepted, status in rows
            if found <= point and not (status == HazardStatus.CLOSED and accepted and accepted <= point)
        )
        series.append({"date": point.isoformat(), "open_major": count})
        if point >= end:
            return series
        day += dt.timedelta(days=7)
