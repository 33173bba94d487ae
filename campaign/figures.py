"""The notice's figures (8 h at the face, 10 h underground, 2 h dispatch lead, two typical cases a month, the exam's
pass mark, the retraining and back-track days), read from the campaign's data, with today's values as defaults.

Each figure is named once here: which item holds it (by capability, `Requirement.evidence`, never by the item's
number), where on the item (its target, or one of its `parameters`), and the value used when the item, its target or
parameter, or the campaign itself is missing. The apps ask `figure_of(campaign, FIGURE)`; a caller without a campaign
at hand asks `figures_for_day(bureau_id=…, day=…)` for the bureau's campaign of that day (one query).

Where a figure decides something about many rows (a trip over time, a late handover, an overdue back-track), the
outcome is worked out with the campaign's figure when the row is recorded and stored on it, so lists and counts
stay one indexed condition.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from .models.campaign import RecordEvidence

TARGET_MIN, TARGET_MAX, PARAMETER = "target_min", "target_max", "parameter"


@dataclass(frozen=True)
class NoticeFigure:
    name: str  # the key under the item's `parameters` (for PARAMETER figures)
    evidence: str  # the capability of the item that holds it
    source: str  # TARGET_MIN, TARGET_MAX or PARAMETER
    default: int
    unit: str
    label: str
    minimum: int = 0
    maximum: int = 1000

    def __str__(self):
        return self.label


FACE_HOURS = NoticeFigure(
    "face_hours", RecordEvidence.FACE_TIME, TARGET_MAX, 8, "小时", "工作面有效作业时间上限", minimum=1, maximum=24
)
UNDERGROUND_HOURS = NoticeFigure(
    "underground_hours",
    RecordEvidence.UNDERGROUND_TIME,
    TARGET_MAX,
    10,
    "小时",
    "出入井时间上限",
    minimum=1,
    maximum=24,
)
HANDOVER_LEAD_HOURS = NoticeFigure(
    "handover_lead_hours", RecordEvidence.DISPATCH_HANDOVERS, TARGET_MIN, 2, "小时", "交接班提前调度时间", maximum=24
)
BULLETIN_CASES = NoticeFigure(
    "bulletin_cases", RecordEvidence.TYPICAL_CASE_BULLETINS, TARGET_MIN, 2, "起/月", "每月通报典型“三违”案例数"
)
PASS_MARK = NoticeFigure(
    "pass_mark", RecordEvidence.INSPECTION_EXAMS, PARAMETER, 80, "分", "逢查必考合格分数", minimum=1, maximum=100
)
RETRAINING_DAYS = NoticeFigure(
    "retraining_days", RecordEvidence.INSPECTION_EXAMS, PARAMETER, 30, "天", "不合格人员脱产培训期限", minimum=1
)
BACKTRACK_DAYS = NoticeFigure(
    "backtrack_days", RecordEvidence.VIOLATION_BACKTRACKS, PARAMETER, 7, "天", "“三违”责任倒查期限", minimum=1
)

# 四(四)3 严格问责机制. The notice names no number of days; these are the county's own, held (like the back-track
# days) as parameters of an item the campaign already binds, so a campaign may change them in its task list.
ACCOUNTABILITY_DAYS = NoticeFigure(
    "accountability_days",
    RecordEvidence.VIOLATION_BACKTRACKS,
    PARAMETER,
    7,
    "天",
    "“三违”追究科队长责任、分管负责人作检查期限",
    minimum=1,
)
# On the bureau's 一案双查 item (4.3.d): the bureau sets the period in which a main leader answers for a major hazard
# found by a higher department.
LEADER_REVIEW_DAYS = NoticeFigure(
    "leader_review_days",
    RecordEvidence.DUAL_ACCOUNTABILITY,
    PARAMETER,
    15,
    "天",
    "上级查出重大隐患的主要负责人检查期限",
    minimum=1,
)

FIGURES = (
    FACE_HOURS,
    UNDERGROUND_HOURS,
    HANDOVER_LEAD_HOURS,
    BULLETIN_CASES,
    PASS_MARK,
    RETRAINING_DAYS,
    BACKTRACK_DAYS,
    ACCOUNTABILITY_DAYS,
    LEADER_REVIEW_DAYS,
)
#: the figures an item may carry in its `parameters`, by name
PARAMETERS = {f.name: f for f in FIGURES if f.source == PARAMETER}


def _plain(value):
    """8, not Decimal('8.00'); 7.5 stays 7.5."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else value.normalize()


def resolve(figure, raw):
    """The value of `figure` from what an item holds (`raw`): the default when it holds nothing usable."""
    if raw is None or isinstance(raw, bool):
        return figure.default
    try:
        value = _plain(raw)
    except (ArithmeticError, TypeError, ValueError):
        return figure.default
    return value if figure.minimum <= value <= figure.maximum else figure.default


class NoticeFigures:
    """The figures of one campaign (the defaults where it says nothing)."""

    def __init__(self, items=()):
        self._items = {}
        for requirement in items:  # in the notice's order: the first item of a capability holds its figures
            self._items.setdefault(requirement.evidence, requirement)

    def __getitem__(self, figure):
        requirement = self._items.get(figure.evidence)
        if requirement is None:
            return figure.default
        if figure.source == PARAMETER:
            return resolve(figure, (requirement.parameters or {}).get(figure.name))
        return resolve(figure, getattr(requirement, figure.source))

    def minutes(self, figure):
        """An hours figure in whole minutes, as the records count time."""
        return int(self[figure] * 60)

    def text(self, figure):
        return f"{self[figure]}"


DEFAULTS = NoticeFigures()


class _ReadFigures(NoticeFigures):
    """The figures of a campaign loaded `with_figures`: the raw values its first item of each capability holds."""

    def __init__(self, raw):
        super().__init__()
        self._raw = raw

    def __getitem__(self, figure):
        return resolve(figure, self._raw.get(figure.name))


def _value(figure):
    """Where an item holds `figure`, for a subquery: a parameter as text (the database's JSON value, decoded by
    `resolve` like any other), a target as its column."""
    from django.db.models import F
    from django.db.models.fields.json import KT

    return KT(f"parameters__{figure.name}") if figure.source == PARAMETER else F(figure.source)


def with_figures(campaigns):
    """`campaigns` (a Campaign queryset) each carrying its figures, read in the query that loads them (a subquery a
    figure): figures_of(campaign) then asks nothing more, for a page that keeps to a query budget."""
    from django.db.models import OuterRef, Subquery

    from .models import Requirement

    def first_item(figure):  # the notice's order: the first item of a capability holds its figures
        items = Requirement.objects.filter(campaign=OuterRef("pk"), level="item", evidence=figure.evidence)
        return Subquery(items.order_by("order").values(value=_value(figure))[:1])

    return campaigns.annotate(**{f"_figure_{f.name}": first_item(f) for f in FIGURES})


def _bound_items(queryset):
    return (
        queryset.filter(level="item")
        .exclude(evidence="")
        .only("campaign_id", "evidence", "target_min", "target_max", "parameters")
    )


def figures_of(campaign):
    """The figures of `campaign` (None: the defaults). One query the first time, none after: cached on the instance,
    so a page or an import asks once."""
    if campaign is None:
        return DEFAULTS
    cached = campaign.__dict__.get("_notice_figures")
    if cached is None and f"_figure_{FIGURES[0].name}" in campaign.__dict__:  # loaded with_figures
        cached = _ReadFigures({f.name: campaign.__dict__[f"_figure_{f.name}"] for f in FIGURES})
        campaign.__dict__["_notice_figures"] = cached
    if cached is None:
        cached = NoticeFigures(_bound_items(campaign.requirements.order_by("order")))
        campaign.__dict__["_notice_figures"] = cached
    return cached


def figure_of(campaign, figure):
    return figures_of(campaign)[figure]


def figures_for_period(*, bureau_id, start, end):
    """The figures of the bureau's campaign running in [start, end] (the latest one to start), in one query; the
    defaults outside every campaign."""
    from .models import Requirement

    if bureau_id is None:
        return DEFAULTS
    rows = list(
        _bound_items(
            Requirement.objects.filter(
                campaign__bureau_id=bureau_id,
                campaign__is_template=False,
                campaign__starts_on__lte=end,
                campaign__ends_on__gte=start,
            )
        ).order_by("-campaign__starts_on", "-campaign_id", "order")
    )
    return NoticeFigures(r for r in rows if r.campaign_id == rows[0].campaign_id) if rows else DEFAULTS


def figure_subquery(figure, *, bureau_id, start, end):
    """What the bureau's campaign running in [start, end] holds for `figure`, as a subquery, for a caller that reads
    it in a query it makes anyway (pass the value through `resolve`)."""
    from django.db.models import Subquery

    from .models import Requirement

    items = Requirement.objects.filter(
        campaign__bureau_id=bureau_id,
        campaign__is_template=False,
        campaign__starts_on__lte=end,
        campaign__ends_on__gte=start,
        level="item",
        evidence=figure.evidence,
    ).order_by("-campaign__starts_on", "-campaign_id", "order")
    return Subquery(items.values(value=_value(figure))[:1])


def figures_for_day(*, bureau_id, day):
    return figures_for_period(bureau_id=bureau_id, start=day, end=day)


def check_parameters(value):
    """What an item's `parameters` may hold: known figures, as numbers within their range (the admin edits them)."""
    if not isinstance(value, dict):
        raise ValidationError('参数应为对象，如 {"pass_mark": 80}。')
    for name, number in value.items():
        figure = PARAMETERS.get(name)
        if figure is None:
            known = "、".join(f"{f.name}（{f.label}）" for f in PARAMETERS.values())
            raise ValidationError(f"未知参数“{name}”。可用参数：{known}。")
        if (
            isinstance(number, bool)
            or not isinstance(number, int | float)
            or not (figure.minimum <= number <= figure.maximum)
        ):
            raise ValidationError(
                f"参数“{name}”（{figure.label}）应为 {figure.minimum} 到 {figure.maximum} 之间的数（{figure.unit}）。"
            )


def figures_in_force(user, day=None):
    """The figures a page shows `user` (its bureau's campaign of today, or the defaults): one query a request, kept
    on the user object, which lives as long as the request."""
    from django.utils import timezone

    day = day or timezone.localdate()
    cached = getattr(user, "_notice_figures_in_force", None)
    if cached is None or cached[0] != day:
        bureau_id = getattr(user, "bureau_id", None) if getattr(user, "is_authenticated", False) else None
        cached = (day, figures_for_day(bureau_id=bureau_id, day=day))
        user._notice_figures_in_force = cached
    return cached[1]


# ------------------------------------------------------------------ the campaign's own figures
# A figure no task item holds: kept on the campaign (`Campaign.thresholds`), with the 2024 notice's value as default.


@dataclass(frozen=True)
class CampaignDays:
    """A list of whole days (e.g. the reminders before a reporting deadline: 7, 3 and 1 days)."""

    name: str
    default: tuple
    label: str
    minimum: int = 1
    maximum: int = 30
    most: int = 5  # at most this many days in the list

    def __str__(self):
        return self.label


REMINDER_DAYS = CampaignDays("reminder_days", (7, 3, 1), "报送截止前提醒天数")

CAMPAIGN_FIGURES = {f.name: f for f in (REMINDER_DAYS,)}


def clean_days(figure, raw):
    """`raw` (a list of numbers, or a text like "7,3,1" / "7、3、1") as a tuple of days, largest first; a
    ValidationError in Chinese when it is not one."""
    if isinstance(raw, str):
        parts = [p for p in raw.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p.strip()]
        try:
            raw = [int(p) for p in parts]
        except ValueError:
            raise ValidationError(f"{figure.label}应为用逗号分隔的整数天数，如“7,3,1”。", code="invalid") from None
    if not isinstance(raw, list | tuple) or not raw:
        raise ValidationError(f"{figure.label}至少填写一个天数，如“7,3,1”。", code="required")
    if any(isinstance(d, bool) or not isinstance(d, int) for d in raw):
        raise ValidationError(f"{figure.label}应为整数天数，如“7,3,1”。", code="invalid")
    days = tuple(sorted(set(raw), reverse=True))
    if len(days) > figure.most:
        raise ValidationError(f"{figure.label}最多填写 {figure.most} 个。", code="max_length")
    if days[0] > figure.maximum or days[-1] < figure.minimum:
        raise ValidationError(
            f"{figure.label}每个天数应在 {figure.minimum} 到 {figure.maximum} 天之间。", code="out_of_range"
        )
    return days


def check_thresholds(value):
    """What a campaign's `thresholds` may hold: known figures with valid values (the admin and the page edit them)."""
    if not isinstance(value, dict):
        raise ValidationError('阈值设置应为对象，如 {"reminder_days": [7, 3, 1]}。')
    for name, raw in value.items():
        figure = CAMPAIGN_FIGURES.get(name)
        if figure is None:
            known = "、".join(f"{f.name}（{f.label}）" for f in CAMPAIGN_FIGURES.values())
            raise ValidationError(f"未知设置“{name}”。可用设置：{known}。")
        clean_days(figure, raw)


def campaign_days(campaign, figure):
    """The campaign's days for `figure` (the default without a campaign, or when it holds nothing usable)."""
    raw = ((campaign.thresholds or {}) if campaign is not None else {}).get(figure.name)
    if raw is None:
        return figure.default
    try:
        return clean_days(figure, raw)
    except ValidationError:
        return figure.default


def reminder_days(campaign):
    """The days before a reporting deadline on which the units that still owe it are reminded (7, 3, 1)."""
    return campaign_days(campaign, REMINDER_DAYS)
