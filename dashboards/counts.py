"""Exact ledger counts from the maintained tallies (core.counts): the hazards' and 三违's API page numbers owe an exact
`count`, and a province's is a sum over its counties' buckets rather than a count of its million rows."""

from django.db.models import Sum

from core.scoping import BUREAU, HIGHER, scope_of
from hazards.models import open_q

from .models import CountyHazardTally, CountyViolationTally, HazardTally, ViolationTally

#: HazardFilter's filters that are the hazard tallies' dimensions (they have the hazards' own field names)
HAZARD_TALLIED = frozenset({"status", "level", "specialty"})
#: ViolationFilter's date range, as lookups on the 三违 tallies' day
VIOLATION_DAYS = {"occurred_after": "occurred_on__gte", "occurred_before": "occurred_on__lte"}


def _tallies(user, filters, *, per_mine, per_county, county_lacks=()):
    """The buckets `user` sees, by the ledgers' own visibility rule: a bureau's, a city's or a province's scope is
    whole counties (Scope.q: the mine's bureau is theirs), so the county tally by the scope's bureau rule — unless
    `filters` name a mine or a dimension the county tally lacks; everyone else, the per-mine tally."""
    scope = scope_of(user)
    if scope.kind in (BUREAU, *HIGHER) and not ({"mine", *county_lacks} & set(filters)):
        return per_county.objects.filter(scope.bureau_q("bureau"))
    tallies = per_mine.objects.visible_to(user)
    return tallies.filter(mine=filters["mine"]) if "mine" in filters else tallies


def _total(tallies):
    return tallies.aggregate(n=Sum("n"))["n"] or 0


def hazards_counted(*, user, filters):
    """The hazards `user` sees under `filters` (HazardFilter's cleaned data) from the tallies; None when a filter is not
    one of their dimensions."""
    if not set(filters) <= HAZARD_TALLIED | {"mine", "active"}:
        return None
    tallies = _tallies(user, filters, per_mine=HazardTally, per_county=CountyHazardTally)
    tallies = tallies.filter(**{name: filters[name] for name in HAZARD_TALLIED & set(filters)})
    if "active" in filters:  # HazardFilter.filter_active: 未销号 or 已销号
        tallies = tallies.filter(open_q() if filters["active"] else ~open_q())
    return _total(tallies)


def violations_counted(*, user, filters):
    """The 三违 `user` sees under `filters` (ViolationFilter's cleaned data) from the tallies (per mine: day, type and
    severity; per county: day and severity); None when a filter is not one of their dimensions."""
    if not set(filters) <= {"mine", "type", "severity", *VIOLATION_DAYS}:
        return None
    tallies = _tallies(user, filters, per_mine=ViolationTally, per_county=CountyViolationTally, county_lacks=("type",))
    tallies = tallies.filter(**{name: filters[name] for name in ("type", "severity") if name in filters})
    tallies = tallies.filter(**{lookup: filters[name] for name, lookup in VIOLATION_DAYS.items() if name in filters})
    return _total(tallies)
