import django_filters
from django import forms
from django.db.models import Q

from core.filters import StyledFilterSet
from core.mines import visible_mine_options
from core.widgets import DATE

from .models import AccidentKind, InvestigationStatus

YES_NO = [("", "全部"), ("true", "是"), ("false", "否")]


class AccidentFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    kind = django_filters.ChoiceFilter(label="事故类别", choices=AccidentKind.choices, empty_label="全部类别")
    late = django_filters.BooleanFilter(label="迟报", widget=forms.Select(choices=YES_NO))
    investigation = django_filters.ChoiceFilter(
        label="提级调查", field_name="investigation__status", choices=InvestigationStatus.choices, empty_label="全部"
    )
    occurred_after = django_filters.DateFilter(label="日期起", field_name="occurred_on", lookup_expr="gte", widget=DATE)
    occurred_before = django_filters.DateFilter(
        label="日期止", field_name="occurred_on", lookup_expr="lte", widget=DATE
    )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value) | Q(place__icontains=value) | Q(reporter_name__icontains=value)
        )
