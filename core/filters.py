import django_filters
from django import forms

from .widgets import FastSelect


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on every filter widget, so every list page's filter bar looks alike."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = FastSelect(
                    attrs=field.widget.attrs, choices=getattr(field, "choices", field.widget.choices)
                )
            widget = field.widget
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)
        return form
