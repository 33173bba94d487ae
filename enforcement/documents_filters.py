"""The filter of the document list, shared by the page and the API: kind, mine, status and the month of issue."""

import re

import django_filters
from django import forms
from django.db.models import Q

from core.filters import StyledFilterSet
from core.mines import visible_mine_options

from .models import DocumentKind, DocumentStatus

MONTH = re.compile(r"^((?:19|20)\d\d)-(0[1-9]|1[0-2])$")  # a year the database's date ranges take


def parse_month(value):
    """(year, month) of "2026-11", or None."""
    match = MONTH.match((value or "").strip())
    return (int(match[1]), int(match[2])) if match else None


class MonthField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value and parse_month(value) is None:
            raise forms.ValidationError("月份格式应为 2026-11。")
        return value


class MonthFilter(django_filters.CharFilter):
    field_class = MonthField


class DocumentFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    kind = django_filters.ChoiceFilter(label="文书种类", choices=DocumentKind.choices, empty_label="全部文书")
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    status = django_filters.ChoiceFilter(label="状态", choices=DocumentStatus.choices, empty_label="全部状态")
    month = MonthFilter(
        label="签发月份",
        method="filter_month",
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(mine__name__icontains=value))

    def filter_month(self, queryset, name, value):
        parsed = parse_month(value)
        if parsed is None:
            return queryset
        year, month = parsed
        return queryset.filter(issued_on__year=year, issued_on__month=month)
