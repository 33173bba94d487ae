"""The filter of the penalty case list, shared by the page and the API."""

import django_filters
from django import forms
from django.db.models import Q

from core.filters import StyledFilterSet
from core.mines import visible_mine_options
from core.widgets import DATE

from .models import CaseSource, PenaltyStage


class PenaltyCaseFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    stage = django_filters.ChoiceFilter(label="阶段", choices=PenaltyStage.choices, empty_label="全部阶段")
    source = django_filters.ChoiceFilter(label="案件来源", choices=CaseSource.choices, empty_label="全部来源")
    unpaid = django_filters.BooleanFilter(
        label="罚款缴纳",
        method="filter_unpaid",
        widget=forms.Select(choices=[("", "是否缴清"), ("true", "有未缴罚款"), ("false", "已缴清或未决定")]),
    )
    filed_after = django_filters.DateFilter(label="立案日期起", field_name="filed_on", lookup_expr="gte", widget=DATE)
    filed_before = django_filters.DateFilter(label="立案日期止", field_name="filed_on", lookup_expr="lte", widget=DATE)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(cause__icontains=value) | Q(parties__name__icontains=value)
        ).distinct()

    def filter_unpaid(self, queryset, name, value):
        unpaid = Q(parties__decided_amount__gt=0, parties__paid_on__isnull=True)
        owing = queryset.filter(unpaid).values("pk")
        return queryset.filter(pk__in=owing) if value else queryset.exclude(pk__in=owing)
