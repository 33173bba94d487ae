"""Exact counts read from maintained figures instead of counted rows.

An app that keeps per-bucket counts of a model (the dashboards' tallies, kept equal to the ledgers by triggers in the
writing transaction) registers how to read them; a list that pages by number and owes its clients an exact `count`
asks here first. A province's 1,000,000 hazards are then a sum over its counties' ~7,000 buckets, not a count of the
rows.

The registry lives here, below every app, so the ledgers' lists need not import the app that keeps the figures (it
sits above them: tests/core/test_layers.py)."""

#: model → counter(user=…, filters={name: cleaned value}) → the exact number of rows, or None when the filters are not
#: all dimensions of the figures
_counters = {}


def register(model, counter):
    _counters[model] = counter


def count_from_figures(model, *, user, filters):
    """The number of `model`'s rows `user` sees under `filters` (a FilterSet's cleaned data, the blank ones left out),
    from the figures maintained for it; None when nothing answers for them (count the rows instead)."""
    counter = _counters.get(model)
    if counter is None:
        return None
    return counter(user=user, filters=filters)


def used_filters(filterset):
    """The filters a valid `filterset` narrows by, with their cleaned values; None if it is not valid."""
    if not filterset.is_valid():
        return None
    return {name: value for name, value in filterset.form.cleaned_data.items() if value not in (None, "", [], ())}


def figures_counter(filterset, *, user):
    """For a page's list that is `user`'s rows narrowed by `filterset` alone: a callable giving their exact number from
    the maintained figures (None when they do not answer for its filters), so the page says “共 400,979 条” as the
    API's `count` and the dashboard's tile do, not the planner's “约 430,000”."""

    def count():
        filters = used_filters(filterset) if filterset.is_bound else {}
        if filters is None:
            return None
        return count_from_figures(filterset.queryset.model, user=user, filters=filters)

    return count
