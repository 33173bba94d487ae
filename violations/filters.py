import django_filters
from django import forms
from django.db.models import Q

from core.filters import StyledFilterSet
from core.mines import visible_mine_options
from core.widgets import DATE

from .models import FoundBy, Severity, Shift, ViolationType

YES_NO = [("", "全部"), ("true", "是"), ("false", "否")]


class ViolationFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    type = django_filters.ChoiceFilter(label="三违类别", choices=ViolationType.choices, empty_label="全部类别")
    severity = django_filters.ChoiceFilter(label="性质", choices=Severity.choices, empty_label="全部")
    shift = django_filters.ChoiceFilter(label="班次", choices=Shift.choices, empty_label="全部班次")
    found_by = django_filters.ChoiceFilter(label="查处方", choices=FoundBy.choices, empty_label="全部")
    typical = django_filters.BooleanFilter(label="典型案例", widget=forms.Select(choices=YES_NO))
    backtrack_overdue = django_filters.BooleanFilter(
        label="倒查超期", method="filter_backtrack_overdue", widget=forms.Select(choices=YES_NO)
    )
    accountability_overdue = django_filters.BooleanFilter(
        label="问责超期", method="filter_accountability_overdue", widget=forms.Select(choices=YES_NO)
    )
    occurred_after = django_filters.DateFilter(label="日期起", field_name="occurred_on", lookup_expr="gte", widget=DATE)
    occurred_before = django_filters.DateFilter(
        label="日期止", field_name="occurred_on", lookup_expr="lte", widget=DATE
    )
    person = django_filters.CharFilter(label="姓名", field_name="person_name")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value)
            | Q(person_name__icontains=value)
            | Q(location__icontains=value)
            | Q(department__icontains=value)
            | Q(team__icontains=value)
        )

    def filter_backtrack_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.backtrack_overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_accountability_overdue(self, queryset, name, value):
        """四(四)3 not answered in time (violations.models.violation.accountability_overdue_q)."""
        from .models.violation import accountability_overdue_q

        if value is None:
            return queryset
        return queryset.filter(accountability_overdue_q()) if value else queryset.exclude(accountability_overdue_q())
