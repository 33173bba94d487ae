"""The filter of the action list, shared by the page and the API: kind, status, a unit named, a keyword."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from core.filters import StyledFilterSet

from .models import ActionKind, ActionStatus, ActionTarget


class ActionFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    kind = django_filters.ChoiceFilter(label="类别", choices=ActionKind.choices, empty_label="全部类别")
    status = django_filters.ChoiceFilter(label="状态", choices=ActionStatus.choices, empty_label="全部状态")
    target = django_filters.NumberFilter(label="对象单位", method="filter_target", min_value=1, max_value=2**62)
    follow_up_open = django_filters.BooleanFilter(
        label="待跟踪复查",
        method="filter_follow_up_open",
        widget=forms.Select(choices=[("", "是否待复查"), ("true", "待跟踪复查"), ("false", "无需或已复查")]),
    )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        named = ActionTarget.objects.filter(action_id=OuterRef("pk"), organization__name__icontains=value)
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value) | Exists(named))

    def filter_target(self, queryset, name, value):
        if value is None:
            return queryset
        named = ActionTarget.objects.filter(action_id=OuterRef("pk"), organization_id=value)
        return queryset.filter(Exists(named))

    def filter_follow_up_open(self, queryset, name, value):
        if value is None:
            return queryset
        open_q = Q(kind=ActionKind.SUMMONS, status=ActionStatus.ISSUED, follow_up_done_on__isnull=True)
        return queryset.filter(open_q) if value else queryset.exclude(open_q)
