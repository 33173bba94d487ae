from functools import cache, partial

import django_filters
from django import forms
from django.apps import apps

from .widgets import FastSelect


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
        return empty + list(queryset.values_list("pk", "name"))
    return getattr(field, "choices", widget_choices)


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
