import django_filters
from django import forms
from django.db.models import Q

from campaign.figures import DEFAULTS, FACE_HOURS, HANDOVER_LEAD_HOURS, UNDERGROUND_HOURS, figures_in_force
from core.filters import StyledFilterSet
from core.mines import visible_mine_options
from core.widgets import DATE

from .models import NOT_OWN_STAFF, CertificateKind, Employment, PersonRole, SessionKind

EMPLOYMENT = [*Employment.choices, ("not_own", "外包外租、劳务派遣、灵活用工（全部）")]
CERTIFICATE_STATES = [("expired", "已过期"), ("expiring", "30 天内到期"), ("valid", "有效")]


def over_choices(figures):
    """The over-time choices, with the limits in force (the campaign's figures)."""
    return [
        ("over_underground", f"出入井超{figures[UNDERGROUND_HOURS]}小时"),
        ("over_face", f"工作面超{figures[FACE_HOURS]}小时"),
        ("any", "任一超时"),
    ]


def _figures(request):
    return figures_in_force(request.user) if request is not None else DEFAULTS


def _relabel(record_filter, *, label=None, choices=None):
    """Change one filter of a FilterSet instance; its form field is built anew (the copy of the class's filter may
    carry a field built earlier, with the old label)."""
    if label is not None:
        record_filter.label = label
    if choices is not None:
        record_filter.extra["choices"] = choices
    record_filter.__dict__.pop("_field", None)


OVER = over_choices(DEFAULTS)
OVER_FIELDS = {"over_underground": "over_underground", "over_face": "over_face", "any": "over_time"}


class PersonFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="姓名或工号", method="filter_q")
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    role = django_filters.ChoiceFilter(label="人员类别", choices=PersonRole.choices, empty_label="全部类别")
    employment = django_filters.ChoiceFilter(
        label="用工形式", choices=EMPLOYMENT, empty_label="全部", method="filter_employment"
    )
    is_active = django_filters.BooleanFilter(
        label="在岗", widget=forms.Select(choices=[("", "全部"), ("true", "在岗"), ("false", "不在岗")])
    )

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value.strip()) | Q(employee_no=value.strip()))

    def filter_employment(self, queryset, name, value):
        if value == "not_own":
            return queryset.filter(employment__in=NOT_OWN_STAFF)
        return queryset.filter(employment=value)


COVERS = [("major_hazard_standard", "重大事故隐患判定标准"), ("red_lines", "红线清单")]


class SessionFilter(StyledFilterSet):
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    kind = django_filters.ChoiceFilter(label="类型", choices=SessionKind.choices, empty_label="全部类型")
    covers = django_filters.ChoiceFilter(label="培训内容", choices=COVERS, empty_label="全部", method="filter_covers")
    held_after = django_filters.DateFilter(label="日期起", field_name="held_on", lookup_expr="gte", widget=DATE)
    held_before = django_filters.DateFilter(label="日期止", field_name="held_on", lookup_expr="lte", widget=DATE)

    def filter_covers(self, queryset, name, value):
        return queryset.filter(**{f"covers_{value}": True})


class CertificateFilter(StyledFilterSet):
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    kind = django_filters.ChoiceFilter(label="作业类别", choices=CertificateKind.choices, empty_label="全部类别")
    state = django_filters.ChoiceFilter(
        label="状态", choices=CERTIFICATE_STATES, empty_label="全部", method="filter_state"
    )

    def filter_state(self, queryset, name, value):
        if value == "expired":
            return queryset.expired()
        if value == "expiring":
            return queryset.expiring()
        return queryset.exclude(pk__in=queryset.expired().values("pk")).exclude(pk__in=queryset.expiring().values("pk"))


class PositioningFilter(StyledFilterSet):
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    person = django_filters.CharFilter(label="姓名", field_name="person_name")
    over = django_filters.ChoiceFilter(label="超时", choices=OVER, empty_label="全部", method="filter_over")
    entered_after = django_filters.DateFilter(
        label="下井日期起", field_name="entered_at", lookup_expr="date__gte", widget=DATE
    )
    entered_before = django_filters.DateFilter(
        label="下井日期止", field_name="entered_at", lookup_expr="date__lte", widget=DATE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self.filters["over"], choices=over_choices(_figures(self.request)))

    def filter_over(self, queryset, name, value):
        return queryset.filter(**{OVER_FIELDS[value]: True})


class ZeroShiftPlanFilter(StyledFilterSet):
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    after = django_filters.DateFilter(label="日期起", field_name="shift_date", lookup_expr="gte", widget=DATE)
    before = django_filters.DateFilter(label="日期止", field_name="shift_date", lookup_expr="lte", widget=DATE)


class HandoverFilter(StyledFilterSet):
    mine = django_filters.ModelChoiceFilter(label="煤矿", queryset=visible_mine_options, empty_label="全部煤矿")
    shift_after = django_filters.DateFilter(
        label="接班日期起", field_name="shift_starts_at", lookup_expr="date__gte", widget=DATE
    )
    late = django_filters.BooleanFilter(
        label="提前不足2小时",
        method="filter_late",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self.filters["late"], label=f"提前不足{_figures(self.request)[HANDOVER_LEAD_HOURS]}小时")

    def filter_late(self, queryset, name, value):
        # Late against the lead the campaign asked for when the handover was recorded (stored on the row).
        return queryset.filter(late=bool(value))
