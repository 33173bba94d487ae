"""Exact ledger counts from the maintained tallies (core.counts): the hazards API's page numbers owe an exact
`count`, and a province's is a sum over its counties' buckets rather than a count of its million hazards."""

from django.db.models import Sum

from core.scoping import BUREAU, HIGHER, scope_of
from hazards.models import open_q

from .models import CountyHazardTally, HazardTally

#: HazardFilter's filters that are the hazard tallies' dimensions (they have the hazards' own field names)
TALLIED = frozenset({"status", "level", "specialty"})


def hazards_counted(*, user, filters):
    """The hazards `user` sees under `filters` (HazardFilter's cleaned data) from the tallies, by the hazards' own
    visibility rule; None when a filter is not one of their dimensions.

    A bureau's scope is whole counties: their county tally (a mine's `bureau` is the one the rule reads, kept so when
    a mine moves: dashboards.figures). A mine, an enterprise, one mine picked, or everything: the per-mine tally."""
    if not set(filters) <= TALLIED | {"mine", "active"}:
        return None
    scope = scope_of(user)
    if "mine" not in filters and scope.kind in (BUREAU, *HIGHER):
        # their scope is whole counties (Scope.q: the mine's bureau is theirs), so the county tally by the same rule
        tallies = CountyHazardTally.objects.filter(scope.bureau_q("bureau"))
    else:
        tallies = HazardTally.objects.visible_to(user)
        if "mine" in filters:
            tallies = tallies.filter(mine=filters["mine"])
    tallies = tallies.filter(**{name: filters[name] for name in TALLIED & set(filters)})
    if "active" in filters:  # HazardFilter.filter_active: 未销号 or 已销号
        tallies = tallies.filter(open_q() if filters["active"] else ~open_q())
    return tallies.aggregate(n=Sum("n"))["n"] or 0
