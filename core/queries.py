"""Small helpers for building queries out of the predicates the models define once."""

from django.db.models import Q


def through(relation, q):
    """`q`, written for a model, as read from a model related to it through `relation`: through("hazards",
    Q(status="closed")) is Q(hazards__status="closed"). So a count over a relation (Count("hazards", filter=…)) uses
    the model's own predicate instead of a copy of it. Lookups only: an F() in a value stays as it is."""
    return Q.create(
        [
            through(relation, child) if isinstance(child, Q) else (f"{relation}__{child[0]}", child[1])
            for child in q.children
        ],
        connector=q.connector,
        negated=q.negated,
    )
