"""Who might deserve an accountability action, read from the records: the dashboard proposes, the bureau decides.
Nothing here writes or issues anything.

Each source is a small selector `source(*, user, campaign, today, units)` returning `Candidate`s (a unit, the reason
in the notice's words, a link to the records behind it, and the action suggested). `SOURCES` lists them (the accident
register's among them: 发生事故的依法严肃追责问责); a new source is one more function appended to it. `units`
({id: Organization}: the mines and enterprises the user sees) is read once for all sources; each source then costs a
fixed number of grouped queries, whatever the number of units and records."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse

from accidents.selectors import accidents_in
from accounts.models import Organization, OrganizationKind
from campaign.models import ProgressStatus, Requirement, RequirementPerformer, RequirementProgress
from hazards.filters import suspected_list_query
from hazards.models import Hazard, HazardLevel, missed_by_self_checks_q, overdue_q
from hazards.selectors import suspected_pending_by
from reporting.models import Submission

from .models import AccountabilityAction, ActionKind

#: a unit is "far behind" when at a phase's end it has done less than this share of what the calendar asks by then
FAR_BEHIND_SHARE = 0.5
#: 多次迟报、漏报: this many of the campaign's past deadlines sent late or not at all
LATE_REPORTS = 2
#: hazards found by inspections that the unit's own checks had not listed (自查不实), per mine
SELF_CHECK_MISSES = 1


@dataclass
class Candidate:
    source: str  # the key of the source in SOURCES
    target: object  # the Organization (a mine or an enterprise)
    reason: str  # in the notice's words, with the figures
    evidence_url: str  # the records behind it
    kind: str = ActionKind.NOTICE_CRITICISM  # the action suggested (the bureau chooses)
    figures: dict = field(default_factory=dict)
    #: an action already drafted or issued from this proposal (set by `candidates_for`)
    action: object = None

    @property
    def source_label(self):
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def kind_label(self):
        return ActionKind(self.kind).label


def units_of(user):
    """{id: Organization} of the mines and enterprises `user` sees (one query)."""
    kinds = (OrganizationKind.MINE, OrganizationKind.ENTERPRISE)
    return {o.pk: o for o in Organization.objects.visible_to(user).filter(kind__in=kinds)}


def progress_far_behind(*, user, campaign, today, units):
    """4.3 工作进展缓慢: at the end of the last phase that ended, units that had done less than FAR_BEHIND_SHARE of
    the share of their items the calendar asked by then (days passed ÷ campaign days). Two queries."""
    if campaign is None:
        return []
    ended = [p for p in campaign.phases.all() if p.ends_on < today]
    if not ended:
        return []
    phase = max(ended, key=lambda p: p.ends_on)
    expected = ((phase.ends_on - campaign.starts_on).days + 1) / campaign.total_days
    items = Requirement.objects.filter(campaign=campaign, level="item").exclude(
        performed_by=RequirementPerformer.BUREAU
    )
    owed = items.count()
    if not owed:
        return []
    counts = {
        row["organization_id"]: row
        for row in RequirementProgress.objects.filter(requirement__in=items, organization_id__in=units)
        .values("organization_id")
        .annotate(
            done=Count("pk", filter=Q(status=ProgressStatus.DONE)),
            na=Count("pk", filter=Q(status=ProgressStatus.NOT_APPLICABLE)),
        )
        .order_by()
    }
    found = []
    for pk, org in units.items():
        row = counts.get(pk, {"done": 0, "na": 0})
        counted = max(0, owed - row["na"])
        if not counted:
            continue
        share = row["done"] / counted
        if share < expected * FAR_BEHIND_SHARE:
            url = reverse("progress_overview", args=[campaign.pk])
            found.append(
                Candidate(
                    "progress_far_behind",
                    org,
                    f"{phase.name}结束时（{phase.ends_on:%Y-%m-%d}），{org.name}任务完成{round(100 * share)}%"
                    f"（{row['done']}/{counted} 项），按进度应达{round(100 * expected)}%，工作进展缓慢。",
                    url,
                    ActionKind.NOTICE_CRITICISM,
                    {"percent": round(100 * share), "expected": round(100 * expected)},
                )
            )
    return found


def self_check_not_true(*, user, campaign, today, units):
    """五(二) 自查自改不认真 (自查不实): mines where inspections found hazards at places their own checks had not
    listed, or whose own checks recorded as 一般 what reads as a major hazard (疑似重大隐患 still 待核实, as the
    dashboard's 自查不实 counts them). Two grouped queries."""
    hazards = Hazard.objects.visible_to(user).filter(missed_by_self_checks_q())
    in_campaign = Q()
    if campaign is not None:
        hazards = hazards.filter(found_on__range=(campaign.starts_on, campaign.ends_on))
        in_campaign = Q(hazard__found_on__range=(campaign.starts_on, campaign.ends_on))
    counts = {
        row["mine_id"]: {"missed": row["missed"], "major": row["major"], "suspected": 0}
        for row in hazards.values("mine_id")
        .annotate(missed=Count("pk"), major=Count("pk", filter=Q(level=HazardLevel.MAJOR)))
        .filter(missed__gte=SELF_CHECK_MISSES)
        .order_by()
    }
    for mine_id, n in suspected_pending_by("hazard__mine_id", user=user, where=in_campaign, self_recorded=True):
        counts.setdefault(mine_id, {"missed": 0, "major": 0, "suspected": 0})["suspected"] = n
    found = []
    for mine_id, row in counts.items():
        mine = units.get(mine_id)
        if mine is None:
            continue
        parts = []
        if row["missed"]:
            major = f"，其中重大隐患{row['major']}项" if row["major"] else ""
            parts.append(f"检查发现{mine.name}隐患{row['missed']}项{major}，该矿自查未列出")
        if row["suspected"]:
            parts.append(f"{mine.name}自查列为一般隐患的有疑似重大隐患{row['suspected']}项（待核实）")
        evidence = (
            reverse("self_check_gaps", args=[mine.pk])
            if row["missed"]
            else f"{reverse('suspected_major_list')}?{urlencode(suspected_list_query(mine.pk, self_recorded=True))}"
        )
        found.append(
            Candidate(
                "self_check_not_true",
                mine,
                "；".join(parts) + "，自查自改不认真（自查不实）。",
                evidence,
                ActionKind.SUMMONS if row["major"] else ActionKind.NOTICE_CRITICISM,
                row,
            )
        )
    return found


def late_or_missing_reports(*, user, campaign, today, units):
    """多次迟报、漏报: units that sent LATE_REPORTS or more of the campaign's past deadlines late or not at all.
    Two queries (the deadlines, the on-time submissions grouped)."""
    if campaign is None:
        return []
    past = [d for d in campaign.deadlines.all() if d.due_on < today]
    if not past:
        return []
    on_time = dict(
        Submission.objects.filter(deadline__in=past, organization_id__in=units, versions_submitted__gt=0, late=False)
        .values_list("organization_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = []
    for pk, org in units.items():
        owed = [d for d in past if d.is_owed_by(org)]
        missed = len(owed) - on_time.get(pk, 0)
        if owed and missed >= LATE_REPORTS:
            query = urlencode({"campaign": campaign.pk})
            found.append(
                Candidate(
                    "late_or_missing_reports",
                    org,
                    f"{org.name}在已到期的{len(owed)}项报送中有{missed}项迟报或未报。",
                    f"{reverse('submission_matrix')}?{query}",
                    ActionKind.NOTICE_CRITICISM,
                    {"owed": len(owed), "missed": missed},
                )
            )
    return found


def overdue_major_hazards(*, user, campaign, today, units):
    """重大隐患逾期未整改: mines with a major hazard past its due date and not closed. One grouped query."""
    rows = list(
        Hazard.objects.visible_to(user)
        .filter(overdue_q(today), level=HazardLevel.MAJOR)
        .values("mine_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = []
    for row in rows:
        mine = units.get(row["mine_id"])
        if mine is None:
            continue
        query = urlencode({"mine": mine.pk, "level": "major", "overdue": "true"})
        found.append(
            Candidate(
                "overdue_major_hazards",
                mine,
                f"{mine.name}有{row['n']}项重大事故隐患逾期未整改，隐患整治不力。",
                f"{reverse('hazard_list')}?{query}",
                ActionKind.SUMMONS,
                {"overdue": row["n"]},
            )
        )
    return found


def accidents_in_campaign(*, user, campaign, today, units):
    """四(四)3 发生事故的依法严肃追责问责: mines with an accident or injury recorded in the campaign's period (the
    register, not the monthly report's figures). One grouped query."""
    rows = (
        accidents_in(campaign, user)
        .values("mine_id")
        .annotate(
            n=Count("pk"),
            deaths=Sum("deaths"),
            injured=Sum("serious_injuries") + Sum("minor_injuries"),
            late=Count("pk", filter=Q(late=True)),
        )
        .order_by()
    )
    found = []
    for row in rows:
        mine = units.get(row["mine_id"])
        if mine is None:
            continue
        harm = "、".join(
            [f"死亡{row['deaths']}人"] * bool(row["deaths"]) + [f"受伤{row['injured']}人"] * bool(row["injured"])
        )
        late = f"，其中迟报{row['late']}起" if row["late"] else ""
        found.append(
            Candidate(
                "accidents_in_campaign",
                mine,
                f"{mine.name}在专项整治期间发生生产安全事故{row['n']}起（{harm or '无人员伤亡'}）{late}，"
                "依法严肃追责问责。",
                f"{reverse('accident_list')}?{urlencode({'mine': mine.pk})}",
                ActionKind.ACCOUNTABILITY,
                {"accidents": row["n"], "deaths": row["deaths"], "injured": row["injured"], "late": row["late"]},
            )
        )
    return found


#: every source, in the order the page lists them
SOURCES = {
    "progress_far_behind": progress_far_behind,
    "self_check_not_true": self_check_not_true,
    "late_or_missing_reports": late_or_missing_reports,
    "overdue_major_hazards": overdue_major_hazards,
    "accidents_in_campaign": accidents_in_campaign,
}
SOURCE_LABELS = {
    "progress_far_behind": "阶段结束时任务进度严重滞后",
    "self_check_not_true": "自查不实",
    "late_or_missing_reports": "多次迟报、漏报",
    "overdue_major_hazards": "重大隐患逾期未整改",
    "accidents_in_campaign": "专项整治期间发生事故",
}


def candidates_for(*, user, campaign, today, sources=None):
    """Every proposal of the sources (all, or those named), each with the action already made from it, if any."""
    units = units_of(user)
    found = []
    for name, source in SOURCES.items():
        if sources is None or name in sources:
            found += source(user=user, campaign=campaign, today=today, units=units)
    made = {}
    for action in (
        AccountabilityAction.objects.visible_to(user)
        .exclude(source="")
        .values("pk", "source", "targets__organization_id", "status", "number", "kind")
        .order_by("pk")
    ):
        made[(action["source"], action["targets__organization_id"])] = action
    for c in found:
        c.action = made.get((c.source, c.target.pk))
    return found


def find_candidate(*, user, campaign, today, source, target_id):
    """The one proposal (source, unit), as the form pre-fills it; None when the records no longer propose it."""
    if source not in SOURCES:
        return None
    for c in SOURCES[source](user=user, campaign=campaign, today=today, units=units_of(user)):
        if c.target.pk == target_id:
            return c
    return None
