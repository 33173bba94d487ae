"""Data for the leadership charts, as plain JSON-ready dicts. Grouped queries in SQL; shaping in Python.

Every chart is one campaign's: its dates and the units taking part in it (campaign.membership), so two campaigns
running at once over different mines never show in each other's charts."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek

from accidents.selectors import accident_totals
from accounts.models import Enterprise, Mine
from campaign.membership import records_in, units_q
from campaign.models import DeadlineKind, ProgressStatus, RequirementProgress, deadline_passed_q
from campaign.progress import VERIFIED_Q, applies_to, completion
from hazards.models import Hazard, HazardLevel, HazardStatus, due_before_q
from reporting.models import Submission
from violations.models import ViolationType

from .models import HazardDueTally, HazardTally, ViolationTally


def charts(*, user, campaign, today):
    if campaign is None:
        return {}
    return {
        "timeline": timeline(campaign, today),
        "hazards_weekly": hazards_weekly(user, campaign, today),
        "by_enterprise": by_enterprise(user, campaign, today),
        "violations_monthly": violations_monthly(user, campaign),
        "on_time": on_time(user, campaign, today),
        "progress_by_section": progress_by_section(user, campaign),
        "four_no": four_no(user, campaign, today),
    }


def timeline(campaign, today):
    return {
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "today": today.isoformat(),
        "phases": [
            {"name": p.name, "starts_on": p.starts_on.isoformat(), "ends_on": p.ends_on.isoformat()}
            for p in campaign.phases.all()
        ],
        "deadlines": [{"name": d.name, "due_on": d.due_on.isoformat()} for d in campaign.deadlines.all()],
    }


def _weeks(campaign, today):
    start = campaign.starts_on - dt.timedelta(days=campaign.starts_on.weekday())  # Monday, as TruncWeek
    end = min(today, campaign.ends_on)
    weeks = []
    while start <= end:
        weeks.append(start)
        start += dt.timedelta(days=7)
    return weeks


def hazards_weekly(user, campaign, today):
    """Cumulative hazards found and closed, week by week of the campaign (two grouped queries)."""
    hazards = records_in(campaign, Hazard.objects.visible_to(user), date_field="found_on")
    found = {
        r["week"].date() if hasattr(r["week"], "date") else r["week"]: r["n"]
        for r in hazards.annotate(week=TruncWeek("found_on")).values("week").annotate(n=Count("pk")).order_by()
    }
    closed = {
        r["week"].date() if hasattr(r["week"], "date") else r["week"]: r["n"]
        for r in hazards.filter(status=HazardStatus.CLOSED, accepted_on__isnull=False)
        .annotate(week=TruncWeek("accepted_on"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    }
    weeks = _weeks(campaign, today)
    first = weeks[0] if weeks else campaign.starts_on
    # Anything dated before the campaign's first week counts from the start.
    total_found = sum(n for w, n in found.items() if w < first)
    total_closed = sum(n for w, n in closed.items() if w < first)
    labels, found_series, closed_series = [], [], []
    for week in weeks:
        total_found += found.get(week, 0)
        total_closed += closed.get(week, 0)
        labels.append(f"{week.month}/{week.day}")
        found_series.append(total_found)
        closed_series.append(total_closed)
    return {"weeks": labels, "found": found_series, "closed": closed_series}


def by_enterprise(user, campaign, today):
    """Rectification rate and overdue count per enterprise, over the mines taking part: two grouped reads of the
    maintained tallies (dashboards.models), not of the ledger."""
    rows = (
        HazardTally.objects.visible_to(user)
        .filter(units_q(campaign, "mine"))
        .values("mine__parent_id", "mine__parent__name")
        .annotate(total=_n(), closed=_n(Q(status=HazardStatus.CLOSED)))
        .order_by("mine__parent__name")
    )
    overdue = dict(
        HazardDueTally.objects.visible_to(user)  # hazards not closed: overdue_q there is its due-date half
        .filter(units_q(campaign, "mine"))
        .values_list("mine__parent_id")
        .annotate(n=_n(due_before_q(today)))
        .order_by()
    )
    return [
        {
            "enterprise": r["mine__parent__name"],
            "total": r["total"],
            "closed": r["closed"],
            "rate": round(100 * r["closed"] / r["total"], 1) if r["total"] else 0,
            "overdue": overdue.get(r["mine__parent_id"], 0),
        }
        for r in rows
        if r["total"]
    ]


def _n(condition=None):
    return Coalesce(Sum("n", filter=condition), 0)


def violations_monthly(user, campaign):
    rows = (
        ViolationTally.objects.visible_to(user)
        .filter(units_q(campaign, "mine"))
        .filter(occurred_on__gte=campaign.starts_on.replace(day=1), occurred_on__lte=campaign.ends_on)
        .annotate(month=TruncMonth("occurred_on"))
        .values("month", "type")
        .annotate(n=Sum("n"))
        .order_by()
    )
    months, cursor = [], campaign.starts_on.replace(day=1)
    while cursor <= campaign.ends_on:
        months.append(cursor)
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    counts = defaultdict(int)
    for r in rows:
        month = r["month"].date() if hasattr(r["month"], "date") else r["month"]
        counts[(month, r["type"])] = r["n"]
    return {
        "months": [f"{m.year}年{m.month}月" for m in months],
        "series": [
            {"type": label, "data": [counts[(m, code)] for m in months]} for code, label in ViolationType.choices
        ],
    }


def on_time(user, campaign, today):
    """Per deadline due by today: on time, late, missing among those who owe it (two queries)."""
    enterprises = Enterprise.objects.visible_to(user).filter(units_q(campaign)).count()
    mines = Mine.objects.visible_to(user).filter(units_q(campaign)).count()
    rows = {
        r["deadline_id"]: r
        for r in Submission.objects.visible_to(user)
        .filter(deadline__campaign=campaign, versions_submitted__gt=0)
        .values("deadline_id")
        .annotate(on_time=Count("pk", filter=Q(late=False)), late=Count("pk", filter=Q(late=True)))
        .order_by()
    }
    result = []
    for d in campaign.deadlines.all():
        if d.due_on > today:
            continue
        owed = (mines if d.owed_by_mines else 0) + (enterprises if d.owed_by_enterprises else 0)
        r = rows.get(d.pk, {"on_time": 0, "late": 0})
        result.append(
            {
                "deadline": d.name,
                "owed": owed,
                "on_time": r["on_time"],
                "late": r["late"],
                "missing": max(0, owed - r["on_time"] - r["late"]),
                "rate": round(100 * r["on_time"] / owed, 1) if owed else 0,
            }
        )
    return result


def progress_by_section(user, campaign):
    """Share of task items done by section, over every organisation that owes them; an item an organisation declared
    不适用 is left out of both sides (campaign.progress.completion, the one rule). Done items are split into verified
    (核验通过, or proven by records) and declared (awaiting or returned by the bureau)."""
    from accounts.models import Organization

    orgs = list(Organization.objects.visible_to(user).filter(units_q(campaign), kind__in=["mine", "enterprise"]))
    items = list(campaign.requirements.filter(level="item").select_related("parent__parent"))
    counts = defaultdict(lambda: defaultdict(int))
    for section_id, status, n, verified in (
        RequirementProgress.objects.filter(
            requirement__campaign=campaign,
            organization__in=orgs,
            status__in=[ProgressStatus.DONE, ProgressStatus.NOT_APPLICABLE],
        )
        .values_list("requirement__parent__parent_id", "status")
        .annotate(n=Count("pk"), verified=Count("pk", filter=VERIFIED_Q))
        .order_by()
    ):
        counts[section_id][status] = n
        if status == ProgressStatus.DONE:
            counts[section_id]["verified"] = verified
    owed = defaultdict(int)
    names = {}
    for item in items:
        section = item.parent.parent
        names[section.pk] = f"{section.code}. {section.name}"
        owed[section.pk] += sum(1 for o in orgs if applies_to(item, o))
    rows = []
    for pk in sorted(names, key=lambda k: names[k]):
        done, not_applicable = counts[pk][ProgressStatus.DONE], counts[pk][ProgressStatus.NOT_APPLICABLE]
        c = completion(owed=owed[pk], done=done, not_applicable=not_applicable)
        rate = round(100 * done / c["owed"], 1) if c["owed"] else 0  # one decimal on the chart
        # 已核验 (the bureau verified it, or records prove it) apart from 已申报 (declared, not yet verified)
        verified = counts[pk]["verified"]
        verified_rate = round(100 * verified / c["owed"], 1) if c["owed"] else 0
        rows.append(
            {
                "section": names[pk],
                "owed": c["owed"],
                "finished": done,
                "verified": verified,
                "declared": done - verified,
                "rate": rate,
                "verified_rate": verified_rate,
            }
        )
    return rows


#: the 四无 of a mine for the campaign so far (the dashboard API's `status`)
MET, NOT_MET, UNREPORTED = "met", "not_met", "unreported"


def four_no(user, campaign, today=None):
    """The 四无 goals per mine in this campaign, from the records: deaths and injuries from the accident register,
    major hazards and 三违 from the ledgers. A mine the records put short of a goal is `not_met` whatever its reports
    say; otherwise a mine that has not sent a monthly report already due is `unreported` (未报), never met; the rest
    `met`. Six queries, whatever the number of mines."""
    today = today or dt.date.today()
    in_campaign = Mine.objects.visible_to(user).filter(units_q(campaign))
    mines = list(in_campaign.order_by("name").only("pk", "name"))
    majors = dict(
        records_in(campaign, Hazard.objects.visible_to(user), date_field="found_on")
        .filter(level=HazardLevel.MAJOR)
        .values_list("mine_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    violations = dict(
        records_in(campaign, ViolationTally.objects.visible_to(user), date_field="occurred_on")
        .values_list("mine_id")
        .annotate(n=Sum("n"))
        .order_by()
    )
    accidents = accident_totals(mines=in_campaign, start=campaign.starts_on, end=campaign.ends_on)
    # The monthly reports already due (past their day): a mine that sent none of one is 未报.
    due = list(
        campaign.deadlines.filter(deadline_passed_q(today), kind=DeadlineKind.MONTHLY, owed_by_mines=True).values_list(
            "pk", flat=True
        )
    )
    sent = defaultdict(set)
    if due:
        for org_id, deadline_id in (
            Submission.objects.visible_to(user)
            .filter(deadline_id__in=due, versions_submitted__gt=0)
            .values_list("organization_id", "deadline_id")
        ):
            sent[org_id].add(deadline_id)
    result = []
    for m in mines:
        reasons = []
        figures = accidents.get(m.pk, {})
        if figures.get("deaths"):
            reasons.append(f"亡人事故{figures['deaths']}人")
        if figures.get("injuries"):
            reasons.append(f"工伤{figures['injuries']}人")
        if majors.get(m.pk):
            reasons.append(f"重大隐患{majors[m.pk]}项")
        if violations.get(m.pk):
            reasons.append(f"“三违”{violations[m.pk]}人次")
        missing = len(set(due) - sent[m.pk])
        if reasons:
            status = NOT_MET
        elif missing:
            status = UNREPORTED
            reasons.append(f"{missing}个月度报告未报")
        else:
            status = MET
        result.append({"mine": m.name, "status": status, "met": status == MET, "reasons": "；".join(reasons)})
    return result


#: the series the charts above the county rank the counties by: the county charts' own figures (hazards not closed,
#: overdue, open major ones, 三违, reports sent on time, and the risk score the county's mine ranking adds up), each
#: computed for every county at once by dashboards.level_board (the county dashboard's rules, never rewritten here)
LEVEL_SERIES = (
    ("not_closed", "未销号隐患", "项"),
    ("overdue", "逾期未整改隐患", "项"),
    ("major_open", "未销号重大隐患", "项"),
    ("violations_month", "本月“三违”", "人次"),
    ("on_time_rate", "报送按期率", "%"),
    ("score", "风险分", "分"),
)


def on_time_rate(row):
    """The share of the reports a county's ranked mines owed by today that were sent on time (None: none owed yet)."""
    return round(100 * row["reports_on_time"] / row["reports_owed"], 1) if row["reports_owed"] else None


def level_charts(*, user, today, city=None, campaign=None):
    """The charts above the county: the counties (a province's: every county below, and its cities) ranked on each of
    LEVEL_SERIES, from dashboards.level_board — the same handful of queries for two counties or a hundred. Each
    series lists every county, highest first (报送按期率: lowest first, the county to chase on top), with `max` for
    the bars' scale. `campaign` (picked in the switcher) is read by its own county instead of its default one."""
    from .level_board import level_board

    board = level_board(user=user, today=today, city=city, campaign=campaign)
    counties = [{**r, "on_time_rate": on_time_rate(r)} for r in board["counties"]]
    series = []
    for key, label, unit in LEVEL_SERIES:
        known = [r for r in counties if r[key] is not None]
        if key == "on_time_rate":
            ranked = sorted(known, key=lambda r: (r[key], r["name"]))
        else:
            ranked = sorted(known, key=lambda r: (-r[key], r["name"]))
        ranked += [r for r in counties if r[key] is None]  # nothing owed yet: last, shown as "—"
        top = 100 if key == "on_time_rate" else max((r[key] for r in known), default=0)
        series.append(
            {
                "key": key,
                "label": label,
                "unit": unit,
                "max": top,
                "counties": [
                    {
                        "id": r["id"],
                        "name": r["name"],
                        "value": r[key],
                        "width": round(100 * r[key] / top, 1) if top and r[key] else 0,
                    }
                    for r in ranked
                ],
            }
        )
    totals = dict(board["totals"])
    owed = sum(r["reports_owed"] for r in counties)
    totals["on_time_rate"] = round(100 * sum(r["reports_on_time"] for r in counties) / owed, 1) if owed else None
    return {
        "level": board["level"],
        "city": {"id": board["city"].pk, "name": board["city"].name} if board["city"] is not None else None,
        "counties": counties,
        "cities": board["cities"],
        "series": series,
        "totals": totals,
    }
