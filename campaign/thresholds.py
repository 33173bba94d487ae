"""A campaign's thresholds (the notice's figures) as the bureau sees and edits them: the figures an item of the task
list holds (its target or one of its parameters, campaign.figures.FIGURES) and the campaign's own
(campaign.figures.CAMPAIGN_FIGURES). A change applies to what is recorded after it: the outcome of a record (a trip
over time, an exam failed, a back-track due) is worked out and stored when the record is made."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from core.errors import DomainError, NotPermitted

from .figures import FIGURES, PARAMETER, REMINDER_DAYS, NoticeFigures, clean_days, reminder_days
from .models import Campaign
from .permissions import can_set_thresholds


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
    return value


@transaction.atomic
def campaign_thresholds_update(*, actor, campaign, **values):
    """Set the figures named in `values` (the others stay): on the item that holds each, or on the campaign. A figure
    no item of this task list holds cannot be set (it keeps its default)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not can_set_thresholds(actor, campaign):
        raise NotPermitted("只有本局执法人员可以修改专项整治的阈值。")
    current = thresholds_of(campaign)
    for figure in FIGURES:
        raw = values.get(figure.name)
        if raw is None:
            continue
        value = _number(figure, raw)
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
        campaign.thresholds = {**(campaign.thresholds or {}), REMINDER_DAYS.name: list(days)}
        campaign.save(update_fields=["thresholds"])
    campaign.__dict__.pop("_notice_figures", None)
    return campaign
