"""Exact ledger counts from the maintained tallies (core.counts): the hazards API's page numbers owe an exact
`count`, and a province's is a sum over its buckets rather than a count of its million hazards."""

from django.db.models import Sum

from hazards.models import open_q

from .models import HazardTally

#: HazardFilter's filters that are HazardTally's dimensions (the tally has the hazards' own field names)
TALLIED = frozenset({"mine", "status", "level", "specialty"})


def hazards_counted(*, user, filters):
    """The hazards `user` sees under `filters` (HazardFilter's cleaned data), from HazardTally — through the same
    visibility rule as the hazards (both are scoped by their mine); None when a filter is not one of its dimensions."""
    if not set(filters) <= TALLIED | {"active"}:
        return None
    tallies = HazardTally.objects.visible_to(user).filter(**{name: filters[name] for name in TALLIED & set(filters)})
    if "active" in filters:  # HazardFilter.filter_active: 未销号 or 已销号
        tallies = tallies.filter(open_q() if filters["active"] else ~open_q())
    return tallies.aggregate(n=Sum("n"))["n"] or 0
