"""A campaign's thresholds (the notice's figures) as the bureau sees and edits them: the figures an item of the task
list holds (its target or one of its parameters, campaign.figures.FIGURES) and the campaign's own
(campaign.figures.CAMPAIGN_FIGURES). A change applies to what is recorded after it: the outcome of a record (a trip
over time, an exam failed, a back-track due) is worked out and stored when the record is made.

On a published campaign a change of figures is a new version like any change of its structure (a CampaignRevision:
who, when, one Chinese line a figure, “阈值：出入井时间上限 由 10 小时 改为 9 小时。”), announced to the units
concerned; on a draft it is just saved (nobody has seen the draft's figures yet)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from core.errors import DomainError, NotPermitted

from .authoring import _record
from .figures import FIGURES, PARAMETER, REMINDER_DAYS, NoticeFigures, clean_days, reminder_days
from .models import Campaign, CampaignRevision, RevisionKind
from .permissions import can_set_thresholds

#: how a version's lines about thresholds begin (the thresholds page lists those versions as its history)
CHANGE_PREFIX = "阈值："


@dataclass
class Thresholds:
    values: dict  #: figure name → the value in force (the default where the campaign says nothing)
    held: dict  #: figure name → the task item that holds it (absent: no item of that capability in the list)


def thresholds_of(campaign):
    """The campaign's figures and the items that hold them (one query)."""
    items = {}
    for requirement in campaign.requirements.filter(level="item").exclude(evidence="").order_by("order"):
        items.setdefault(requirement.evidence, requirement)  # the first item of a capability holds its figures
    figures = NoticeFigures(items.values())
    values = {f.name: figures[f] for f in FIGURES}
    values[REMINDER_DAYS.name] = reminder_days(campaign)
    return Thresholds(values, {f.name: items[f.evidence] for f in FIGURES if f.evidence in items})


def _number(figure, raw):
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{figure.label}应为数字。", field=figure.name) from None
    if not value.is_finite() or not (figure.minimum <= value <= figure.maximum):
        raise DomainError(
            f"{figure.label}应在 {figure.minimum} 到 {figure.maximum}{figure.unit} 之间。", field=figure.name
        )
    if figure.unit != "小时" and value != value.to_integral_value():
        raise DomainError(f"{figure.label}应为整数（{figure.unit}）。", field=figure.name)
    if value != value.quantize(Decimal("0.01")):  # the item's target keeps two decimals: say so, do not round
        raise DomainError(f"{figure.label}最多保留两位小数。", field=figure.name)
    return value


def _shown(value):
    """8, 7.5, or “7、3、1” for a list of days, as a version's line says it."""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    value = Decimal(str(value))
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


def change_line(label, unit, old, new):
    """“阈值：出入井时间上限 由 10 小时 改为 9 小时。”"""
    return f"{CHANGE_PREFIX}{label} 由 {_shown(old)} {unit} 改为 {_shown(new)} {unit}。"


@transaction.atomic
def campaign_thresholds_update(*, actor, campaign, **values):
    """Set the figures named in `values` (the others stay): on the item that holds each, or on the campaign. A figure
    no item of this task list holds cannot be set (it keeps its default). On a published campaign the figures that
    change make the next version (who, when, each figure's old and new value), announced once; a draft just saves."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not can_set_thresholds(actor, campaign):
        raise NotPermitted("只有本局执法人员可以修改专项整治的阈值。")
    current = thresholds_of(campaign)
    changes = []
    for figure in FIGURES:
        raw = values.get(figure.name)
        if raw is None:
            continue
        value = _number(figure, raw)
        if value != Decimal(str(current.values[figure.name])):
            changes.append(change_line(figure.label, figure.unit, current.values[figure.name], value))
        requirement = current.held.get(figure.name)
        if requirement is None:
            raise DomainError(
                f"本期任务清单中没有“{figure.evidence.label}”事项，不能设置{figure.label}。", field=figure.name
            )
        if figure.source == PARAMETER:
            plain = int(value) if value == value.to_integral_value() else float(value)
            requirement.parameters = {**(requirement.parameters or {}), figure.name: plain}
            requirement.save(update_fields=["parameters"])
        else:
            setattr(requirement, figure.source, value)
            requirement.save(update_fields=[figure.source])
    if values.get(REMINDER_DAYS.name) is not None:
        from django.core.exceptions import ValidationError

        try:
            days = clean_days(REMINDER_DAYS, values[REMINDER_DAYS.name])
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field=REMINDER_DAYS.name) from None
        old = tuple(current.values[REMINDER_DAYS.name])
        if days != old:
            changes.append(change_line(REMINDER_DAYS.label, "天", old, days))
        campaign.thresholds = {**(campaign.thresholds or {}), REMINDER_DAYS.name: list(days)}
        campaign.save(update_fields=["thresholds"])
    campaign.__dict__.pop("_notice_figures", None)
    _record(campaign, actor, changes, RevisionKind.THRESHOLDS)  # a draft: nothing recorded
    return campaign


def threshold_history(*, campaign):
    """The versions of `campaign` that changed its thresholds, newest first, with who made each (one query)."""
    return (
        CampaignRevision.objects.filter(campaign=campaign, kind=RevisionKind.THRESHOLDS)
        .select_related("changed_by")
        .order_by("-version")
    )
