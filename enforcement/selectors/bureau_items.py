"""The bureau's own campaign items (县局落实事项), read from the bureau's records, never typed.

The notice (四.(四) 2 and 3) gives these to the county bureau, not to the mines; the campaign app marks them
`performed_by = bureau` and names the records proving each (`Requirement.evidence`). This is the one place their
figures are worked out; the bureau's page (enforcement.views.bureau_items) calls it. Which records show what:

- 4.2.a “四不两直”、明查暗访、交叉检查 (BUREAU_INSPECTIONS): the inspections of the campaign's 部门精准执法 phase made
  in those modes (四不两直, 明查, 暗访, 交叉检查; 体检式精查 and 企业自查 are not these), how many and how many mines
  they covered. Done when every mine the bureau oversees had at least one. The county's own: a city's (province's)
  inspection of its mines is said beside, not counted (it counts on the inspection coverage page).
- 4.2.b 集中挂牌、公布、曝光一批重大事故隐患 (MAJOR_HAZARD_LISTING): the 挂牌督办 listings of the campaign's major
  hazards (挂牌 = listed; 公布 = on the public page while listed; 曝光 = a closed case the bureau published) and the
  penalty cases filed on them (the notice's 处理). Done once a batch (at least one) was listed: the notice says
  "一批", not "all".
- 4.2.c 每月至少通报2起典型“三违”案例 (TYPICAL_CASE_BULLETINS): typical cases in the bureau's published monthly
  bulletins, per month of the campaign up to this month, against the campaign's figure (two in 2024). Done when
  every month already over had enough.
- 4.3.c 存在重大隐患的一律停产停业整顿 (SUSPENSION_ORDERS): the mines with an open major hazard against those of them
  under an active 停产整顿 with its 责令停产整顿指令书 issued (签发 or 送达). Done when none is missing an order.
- 4.3.d 一案双查 (DUAL_ACCOUNTABILITY): the campaign's major hazards against those with an accountability record
  (hazards.HazardAccountability). Done when every one has it.

Queries: a fixed number whatever the number of mines, hazards, inspections or bulletins (aggregates and bounded
lists only)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Mine
from campaign.figures import BULLETIN_CASES, figure_of
from campaign.models import RecordEvidence, RequirementPerformer
from campaign.progress import record_items
from hazards.models import Hazard, HazardLevel, HazardListing, HazardStatus, Inspection, InspectionMode
from violations.models import BulletinStatus, Violation

from ..models import DocumentStatus, PenaltyCase, Suspension

#: the inspection modes the notice names in 4.2.a (明查暗访 is 明查 and 暗访)
NOTICE_MODES = (InspectionMode.FOUR_NO_TWO_DIRECT, InspectionMode.OPEN, InspectionMode.COVERT, InspectionMode.CROSS)
#: how many names a "still missing" list shows (the page says how many more)
MISSING_SHOWN = 10

BUREAU_EVIDENCE = (
    RecordEvidence.BUREAU_INSPECTIONS,
    RecordEvidence.MAJOR_HAZARD_LISTING,
    RecordEvidence.TYPICAL_CASE_BULLETINS,
    RecordEvidence.SUSPENSION_ORDERS,
    RecordEvidence.DUAL_ACCOUNTABILITY,
)


@dataclass
class BureauItem:
    requirement: object
    done: int  # the figure the item is measured by (inspected mines, listed hazards, …)
    owed: int | None  # what it is measured against (None: no fixed number)
    met: bool
    summary: str
    details: list = field(default_factory=list)  # (label, value)
    missing: list = field(default_factory=list)  # names still owed, at most MISSING_SHOWN
    missing_more: int = 0
    link: str = ""  # the list page that shows the records (a URL name)

    @property
    def code(self):
        return self.requirement.code


def _enforcement_window(campaign, phases):
    phase = next((p for p in phases if p.code == "enforcement"), None)
    return (phase.starts_on, phase.ends_on, phase.name) if phase else (campaign.starts_on, campaign.ends_on, "")


def _inspections(user, campaign, requirement, phases):
    start, end, phase_name = _enforcement_window(campaign, phases)
    # The item is the county's own work: a city's (province's) own inspection of its mines is not the county's deed,
    # so it is counted apart and said (the coverage page, about whether a mine went uninspected, counts it).
    own = Q(higher_bureau__isnull=True)
    found = (
        Inspection.objects.visible_to(user)
        .filter(mode__in=NOTICE_MODES, inspected_on__range=(start, end))
        .aggregate(
            total=Count("pk", filter=own),
            mines=Count("mine", distinct=True, filter=own),
            higher=Count("pk", filter=~own),
            **{mode.value: Count("pk", filter=Q(mode=mode) & own) for mode in NOTICE_MODES},
        )
    )
    mines = Mine.objects.visible_to(user).count()
    higher = f"（另有上级部门检查 {found['higher']} 次，不计入本项）" if found["higher"] else ""
    return BureauItem(
        requirement,
        done=found["mines"],
        owed=mines,
        met=mines > 0 and found["mines"] >= mines,
        summary=f"{phase_name or '专项整治期间'}检查 {found['total']} 次，覆盖 {found['mines']}/{mines} 处煤矿{higher}",
        details=[(mode.label, found[mode.value]) for mode in NOTICE_MODES],
        link="inspection_list",
    )


def _listings(user, campaign, requirement):
    hazards = Hazard.objects.visible_to(user).filter(campaign=campaign, level=HazardLevel.MAJOR)
    found = HazardListing.objects.filter(hazard__in=hazards).aggregate(
        listed=Count("pk"),
        current=Count("pk", filter=Q(delisted_on__isnull=True)),
        published=Count("pk", filter=Q(published_on__isnull=False)),
    )
    cases = PenaltyCase.objects.visible_to(user).filter(hazard__in=hazards).count()
    majors = hazards.count()
    return BureauItem(
        requirement,
        done=found["listed"],
        owed=None,
        met=found["listed"] > 0,
        summary=f"本期重大事故隐患 {majors} 条，挂牌督办 {found['listed']} 条",
        details=[
            ("挂牌督办", found["listed"]),
            ("公布中（挂牌未摘牌）", found["current"]),
            ("曝光", found["published"]),
            ("立案处罚", cases),
        ],
        link="hazard_list",
    )


def _months(start, end):
    """'YYYY-MM' for each month from `start` to `end` (inclusive)."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(f"{day:%Y-%m}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def _bulletins(user, campaign, requirement, today):
    months = _months(campaign.starts_on, min(today, campaign.ends_on)) if today >= campaign.starts_on else []
    required = figure_of(campaign, BULLETIN_CASES)
    counts = dict(
        Violation.objects.filter(
            bulletins__bureau_id=user.bureau_id,
            bulletins__status=BulletinStatus.PUBLISHED,
            bulletins__period__in=months,
        )
        .order_by()
        .values_list("bulletins__period")
        .annotate(n=Count("pk", distinct=True))
    )
    this_month = f"{today:%Y-%m}"
    over = [m for m in months if m != this_month]  # the month still running is not yet short
    short = [m for m in over if counts.get(m, 0) < required]
    return BureauItem(
        requirement,
        done=len(over) - len(short),
        owed=len(over),
        met=not short,
        summary=f"已过 {len(over)} 个月，{len(over) - len(short)} 个月通报典型“三违”案例达到 {required} 起",
        details=[(f"{m}{'（本月）' if m == this_month else ''}", f"{counts.get(m, 0)}/{required} 起") for m in months],
        missing=short,
        link="bulletin_list",
    )


def _suspensions(user, requirement):
    open_major = (
        Hazard.objects.visible_to(user)
        .filter(level=HazardLevel.MAJOR)
        .exclude(status=HazardStatus.CLOSED)
        .order_by()
        .values_list("mine_id", "mine__name")
        .distinct()
    )
    owing = dict(open_major)
    ordered = set(
        Suspension.objects.visible_to(user)
        .active()
        .filter(order__status__in=[DocumentStatus.ISSUED, DocumentStatus.SERVED])
        .values_list("mine_id", flat=True)
    )
    without = sorted(name for mine_id, name in owing.items() if mine_id not in ordered)
    done = len(owing) - len(without)
    return BureauItem(
        requirement,
        done=done,
        owed=len(owing),
        met=not without,
        summary=f"存在未销号重大隐患的煤矿 {len(owing)} 处，已下达责令停产整顿指令书 {done} 处",
        details=[("存在重大隐患", len(owing)), ("停产整顿且已下达指令书", done), ("停产整顿中（全部）", len(ordered))],
        missing=without[:MISSING_SHOWN],
        missing_more=max(0, len(without) - MISSING_SHOWN),
        link="suspension_list",
    )


def _accountability(user, campaign, requirement):
    hazards = Hazard.objects.visible_to(user).filter(campaign=campaign, level=HazardLevel.MAJOR)
    found = hazards.aggregate(
        total=Count("pk", distinct=True),
        recorded=Count("pk", distinct=True, filter=Q(accountability__isnull=False)),
    )
    without = hazards.filter(accountability__isnull=True).select_related("mine").order_by("found_on", "pk")
    without = [f"{h.mine.name}：{h.description[:30]}" for h in without[:MISSING_SHOWN]]
    left = found["total"] - found["recorded"]
    return BureauItem(
        requirement,
        done=found["recorded"],
        owed=found["total"],
        met=left == 0,
        summary=f"本期重大事故隐患 {found['total']} 条，已“一案双查” {found['recorded']} 条",
        details=[("重大事故隐患", found["total"]), ("已“一案双查”", found["recorded"]), ("尚未“一案双查”", left)],
        missing=without,
        missing_more=max(0, left - len(without)),
        link="hazard_list",
    )


def bureau_items(*, user, campaign, today=None):
    """The bureau's items of `campaign` proven by records, in the notice's order, each with its figures as the
    records visible to `user` show them. Items the campaign does not bind to these records are left out."""
    today = today or timezone.localdate()
    items = [r for r in record_items(campaign, *BUREAU_EVIDENCE) if r.performed_by == RequirementPerformer.BUREAU]
    if not items:
        return []
    phases = list(campaign.phases.all())
    rows, seen = [], set()
    for requirement in items:
        if requirement.evidence in seen:  # a capability bound to two items is counted once, on the first
            continue
        seen.add(requirement.evidence)
        if requirement.evidence == RecordEvidence.BUREAU_INSPECTIONS:
            rows.append(_inspections(user, campaign, requirement, phases))
        elif requirement.evidence == RecordEvidence.MAJOR_HAZARD_LISTING:
            rows.append(_listings(user, campaign, requirement))
        elif requirement.evidence == RecordEvidence.TYPICAL_CASE_BULLETINS:
            rows.append(_bulletins(user, campaign, requirement, today))
        elif requirement.evidence == RecordEvidence.SUSPENSION_ORDERS:
            rows.append(_suspensions(user, requirement))
        elif requirement.evidence == RecordEvidence.DUAL_ACCOUNTABILITY:
            rows.append(_accountability(user, campaign, requirement))
    return rows
