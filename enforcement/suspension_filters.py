"""The filters of the suspension and 复产验收 lists, shared by the pages and the API."""

import django_filters

from core.filters import StyledFilterSet
from core.mines import visible_mine_options
from core.widgets import DATE

from .models import ResumptionStatus, SuspensionStatus


class SuspensionFilter(StyledFilterSet):
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    status = django_filters.ChoiceFilter(label="状态", choices=SuspensionStatus.choices, empty_label="全部状态")
    started_after = django_filters.DateFilter(
        label="停产日期起", field_name="started_on", lookup_expr="gte", widget=DATE
    )
    started_before = django_filters.DateFilter(
        label="停产日期止", field_name="started_on", lookup_expr="lte", widget=DATE
    )


class ResumptionFilter(StyledFilterSet):
    mine = django_filters.ModelChoiceFilter(
        label="煤矿", field_name="suspension__mine", queryset=visible_mine_options, empty_label="全部煤矿"
    )
    status = django_filters.ChoiceFilter(label="状态", choices=ResumptionStatus.choices, empty_label="全部状态")
    suspension = django_filters.NumberFilter(label="停产整顿", field_name="suspension_id")
