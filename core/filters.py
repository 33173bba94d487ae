import hashlib
from functools import cache, partial

import django_filters
from django import forms
from django.apps import apps
from django.core.cache import cache as shared_cache

from .widgets import FastSelect, WrittenOptions


def _choices(field, widget_choices=()):
    """The options of a filter's <select>. A list of organisations (a province's 5,000 mines) is read as (id, name)
    rows, not as 5,000 model instances through a server-side cursor: that took 20 ms of every province list page.
    Only where the label is the organisation's name (Organization.__str__), as the default label says."""
    organization = apps.get_model("accounts", "Organization")  # core sits below accounts: no import of it
    queryset = getattr(field, "queryset", None)
    if (
        isinstance(field, forms.ModelChoiceField)
        and queryset is not None
        and issubclass(queryset.model, organization)
        and type(field).label_from_instance is forms.ModelChoiceField.label_from_instance
    ):
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        return WrittenOptions.of(empty) + _organisation_options(queryset)
    return getattr(field, "choices", widget_choices)


#: a filter bar's list of organisations, when it is this long or longer (a city's or a province's mines), is kept
#: ORGANISATION_OPTIONS_SECONDS under its own query: reading and sorting a province's 5,000 mines was a fifth of each of
#: its list pages, and the list changes far less often than the pages are read. A mine added or renamed shows in such
#: a bar within that time; a county's shorter list is read every time.
ORGANISATION_OPTIONS_KEPT_FROM = 500
ORGANISATION_OPTIONS_SECONDS = 60


def _organisation_options(queryset):
    """`queryset`'s organisations as their <option> tags (id, name), written once: a kept list is kept written, so a
    page takes one string from the cache rather than unpickling and writing 5,000 pairs (FastSelect marks the chosen
    one). The key is the compiled query — the visibility rule's condition included — so a kept list only ever serves
    a bar that would read the same rows."""
    rows = queryset.values_list("pk", "name")
    sql, params = rows.query.sql_with_params()
    # Named apart from the (id, name) lists kept before: a process of either version never reads the other's kind.
    key = "filters:organisation-options:" + hashlib.sha256(repr((rows.db, sql, params)).encode()).hexdigest()
    options = shared_cache.get(key)
    if options is None:
        pairs = list(rows)
        options = WrittenOptions.of(pairs)
        if len(pairs) >= ORGANISATION_OPTIONS_KEPT_FROM:
            shared_cache.set(key, options, ORGANISATION_OPTIONS_SECONDS)
    return options


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on every filter widget, so every list page's filter bar looks alike."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if type(field.widget) is forms.Select:
                # Read when the bar is first drawn (once), not when the filter is only applied: the API never draws
                # it, and a province's 5,000 mines were read on every API list request.
                field.widget = FastSelect(
                    attrs=field.widget.attrs, choices=cache(partial(_choices, field, field.widget.choices))
                )
            widget = field.widget
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)
        return form
