"""One FilterSet per list, shared by the pages and the API so both filter alike."""

import django_filters
from django import forms
from django.db.models import Q

from core.filter_fields import IdFilter
from core.filters import StyledFilterSet
from core.mines import visible_mine_options
from core.widgets import DATE

from .models import (
    HazardLevel,
    HazardSource,
    HazardSpecialty,
    HazardStatus,
    Inspection,
    InspectionMode,
    SuspectedState,
)


class HazardFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    status = django_filters.ChoiceFilter(label="状态", choices=HazardStatus.choices, empty_label="全部状态")
    level = django_filters.ChoiceFilter(label="等级", choices=HazardLevel.choices, empty_label="全部等级")
    specialty = django_filters.ChoiceFilter(label="专业", choices=HazardSpecialty.choices, empty_label="全部专业")
    source = django_filters.ChoiceFilter(label="排查类型", choices=HazardSource.choices, empty_label="全部来源")
    active = django_filters.BooleanFilter(
        label="销号",
        method="filter_active",
        widget=forms.Select(choices=[("", "是否销号"), ("true", "未销号"), ("false", "已销号")]),
    )
    overdue = django_filters.BooleanFilter(
        label="逾期",
        method="filter_overdue",
        widget=forms.Select(choices=[("", "是否逾期"), ("true", "已逾期"), ("false", "未逾期")]),
    )
    leader_review = django_filters.ChoiceFilter(
        label="主要负责人检查",
        method="filter_leader_review",
        choices=[
            ("awaiting", "待报送"),
            ("overdue", "逾期未报送"),
            ("submitted", "待县局签收"),
            ("received", "县局已签收"),
        ],
        empty_label="主要负责人检查",
    )
    found_after = django_filters.DateFilter(label="排查日期起", field_name="found_on", lookup_expr="gte", widget=DATE)
    found_before = django_filters.DateFilter(label="排查日期止", field_name="found_on", lookup_expr="lte", widget=DATE)
    listed = django_filters.BooleanFilter(
        label="挂牌督办",
        field_name="listing",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.Select(choices=[("", "是否挂牌"), ("true", "已挂牌"), ("false", "未挂牌")]),
    )
    campaign = IdFilter(label="专项整治", field_name="campaign_id")
    inspection = IdFilter(label="检查", field_name="inspection_id")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value)
            | Q(location__icontains=value)
            | Q(responsible_person__icontains=value)
            | Q(responsible_unit__icontains=value)
        )

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.not_closed() if value else queryset.filter(status=HazardStatus.CLOSED)

    def filter_leader_review(self, queryset, name, value):
        """四(四)3's 检查 by its state; "overdue" is models.leader_review_overdue_q, read through the relation."""
        from core.queries import through

        from .models import leader_review_overdue_q

        states = {
            "awaiting": Q(leader_review__submitted_at__isnull=True),
            "overdue": through("leader_review", leader_review_overdue_q()),
            "submitted": Q(leader_review__submitted_at__isnull=False, leader_review__received_at__isnull=True),
            "received": Q(leader_review__received_at__isnull=False),
        }
        return queryset.filter(Q(leader_review__isnull=False) & states[value]) if value in states else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()


class InspectionFilter(StyledFilterSet):
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    mode = django_filters.ChoiceFilter(label="检查方式", choices=InspectionMode.choices, empty_label="全部方式")
    inspected_after = django_filters.DateFilter(
        label="检查日期起", field_name="inspected_on", lookup_expr="gte", widget=DATE
    )
    inspected_before = django_filters.DateFilter(
        label="检查日期止", field_name="inspected_on", lookup_expr="lte", widget=DATE
    )
    exam_missing = django_filters.BooleanFilter(
        label="逢查必考",
        method="filter_exam_missing",
        widget=forms.Select(choices=[("", "是否考试"), ("true", "未开展考试"), ("false", "已考试或无需考试")]),
    )

    retraining_open = django_filters.BooleanFilter(
        label="脱产培训",
        method="filter_retraining_open",
        widget=forms.Select(choices=[("", "脱产培训"), ("true", "有人未完成脱产培训")]),
    )

    class Meta:
        model = Inspection
        fields = ["mine", "mode"]

    def filter_retraining_open(self, queryset, name, value):
        # The inspections where someone failed the exam and has not yet been retrained (the dashboard's 脱产培训未完成
        # counts those people).
        from django.db.models import Exists, OuterRef

        from .models import ExamResult

        if not value:
            return queryset
        waiting = ExamResult.objects.filter(inspection=OuterRef("pk"), passed=False, retrained_on__isnull=True)
        return queryset.filter(Exists(waiting))

    def filter_exam_missing(self, queryset, name, value):
        from .selectors import exam_missing_q

        if value is None:
            return queryset
        return queryset.filter(exam_missing_q()) if value else queryset.exclude(exam_missing_q())


class SuspectedMajorFilter(StyledFilterSet):
    """The bureau's list of 疑似重大隐患: by mine and by state."""

    mine = django_filters.ModelChoiceFilter(
        label="煤矿", field_name="hazard__mine", queryset=visible_mine_options, empty_label="全部煤矿"
    )
    state = django_filters.ChoiceFilter(label="核实状态", choices=SuspectedState.choices, empty_label="全部状态")
    self_check = django_filters.BooleanFilter(
        label="隐患来源",
        method="filter_self_check",
        widget=forms.Select(choices=[("", "全部来源"), ("true", "煤矿自查"), ("false", "检查、举报")]),
    )

    def filter_self_check(self, queryset, name, value):
        if value is None:
            return queryset
        self_recorded = queryset.self_recorded()
        return self_recorded if value else queryset.exclude(pk__in=self_recorded.values("pk"))


def suspected_list_query(mine_id, *, self_recorded=False):
    """The query of the bureau's list showing what the dashboards count for a mine: its findings still 待核实 (those
    on its own checks' hazards for 自查不实)."""
    query = {"mine": mine_id, "state": SuspectedState.PENDING}
    if self_recorded:
        query["self_check"] = "true"
    return query
