"""Reads of the accident register, always from `visible_to(user)`."""

from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404

from campaign.membership import units_q

from .models import Accident, AccidentEvent, Investigation, InvestigationReport, InvestigationStatus


def accident_list(*, user):
    return Accident.objects.visible_to(user).select_related("mine", "investigation").order_by("-occurred_at", "-pk")


def accident_detail(*, user, pk):
    return get_object_or_404(
        Accident.objects.visible_to(user).select_related("mine", "campaign", "created_by", "investigation"), pk=pk
    )


def accident_events(accident):
    return AccidentEvent.objects.filter(accident=accident).select_related("actor")


def accidents_in(campaign, user):
    """The accidents the user sees in the campaign (its units, its period; campaign.membership), for the apps above:
    accountability, reporting, dashboards."""
    if campaign is None:
        return Accident.objects.none()
    return accident_list(user=user).in_period(campaign.starts_on, campaign.ends_on).filter(units_q(campaign, "mine"))


def investigation_list(*, user):
    return (
        Investigation.objects.visible_to(user).select_related("accident__mine", "report").order_by("-opened_on", "-pk")
    )


def investigation_detail(*, user, pk):
    return get_object_or_404(investigation_list(user=user), pk=pk)


def investigation_report_for(*, user, pk):
    """The report file of an investigation the user sees (another tenant's is a 404)."""
    return get_object_or_404(InvestigationReport.objects.visible_to(user), pk=pk)


def accident_totals(*, mines, start, end):
    """Per mine: accidents, deaths and injuries (serious + minor) on the days start..end. One query."""
    rows = (
        Accident.objects.filter(mine__in=mines, occurred_on__gte=start, occurred_on__lte=end)
        .values("mine_id")
        .annotate(
            accidents=Count("pk"),
            deaths=Sum("deaths"),
            serious=Sum("serious_injuries"),
            minor=Sum("minor_injuries"),
        )
        .order_by()
    )
    return {
        r["mine_id"]: {
            "accidents": r["accidents"],
            "deaths": r["deaths"] or 0,
            "injuries": (r["serious"] or 0) + (r["minor"] or 0),
        }
        for r in rows
    }


def register_figures(*, organization=None, mines, start, end):
    """The register's figures a monthly report is pre-filled with, for the mines an organisation reports for."""
    agg = Accident.objects.filter(mine__in=mines, occurred_on__gte=start, occurred_on__lte=end).aggregate(
        accidents=Count("pk"), deaths=Sum("deaths"), serious=Sum("serious_injuries"), minor=Sum("minor_injuries")
    )
    return {
        "accidents": agg["accidents"] or 0,
        "deaths": agg["deaths"] or 0,
        "injuries": (agg["serious"] or 0) + (agg["minor"] or 0),
    }


def accident_overview(*, user, campaign):
    """The dashboard's figures: accidents of the campaign (with deaths, injuries, 迟报) and open investigations."""
    accidents = accidents_in(campaign, user)
    agg = accidents.aggregate(
        accidents=Count("pk"),
        deaths=Sum("deaths"),
        serious=Sum("serious_injuries"),
        minor=Sum("minor_injuries"),
        late=Count("pk", filter=Q(late=True)),
    )
    open_investigations = Investigation.objects.visible_to(user).filter(status=InvestigationStatus.OPEN).count()
    return {
        "accidents": agg["accidents"] or 0,
        "deaths": agg["deaths"] or 0,
        "injuries": (agg["serious"] or 0) + (agg["minor"] or 0),
        "late": agg["late"] or 0,
        "open_investigations": open_investigations,
    }
