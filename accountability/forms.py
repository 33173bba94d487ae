"""The forms of the accountability pages. They parse what was typed; the rules are the services' (`validate_action`),
so the page and the API refuse the same input with the same message."""

from django import forms

from accounts.models import Organization, OrganizationKind
from core.concurrency import RowVersionFormMixin
from core.widgets import DATE

from .models import AccountabilityMeasure, ActionKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
#: the fields each kind shows (the rest are the summons' own)
SUMMONS_ONLY = ("summoned_by", "summoned_at", "place", "problems", "commitments", "follow_up_on", "minutes")


def unit_options(user):
    """The units an action may name: the mines and enterprises the user sees, enterprises first, by name."""
    return (
        Organization.objects.visible_to(user)
        .filter(kind__in=(OrganizationKind.ENTERPRISE, OrganizationKind.MINE))
        .order_by("kind", "name")
        .only("pk", "name", "kind")
    )


class ActionForm(RowVersionFormMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    targets = forms.ModelMultipleChoiceField(
        label="对象单位",
        queryset=Organization.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="被通报、约谈或问责的煤矿、主体企业（可多选）",
    )
    persons = forms.CharField(
        label="涉及人员",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一人：姓名、单位及职务（问责到人时必填在此）",
    )
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 4}), help_text="存在的问题及依据")
    requirements = forms.CharField(label="处理意见和要求", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    measure = forms.ChoiceField(
        label="问责方式", required=False, choices=[("", "请选择"), *AccountabilityMeasure.choices]
    )
    summoned_by = forms.CharField(label="约谈人", required=False, max_length=200, help_text="县局参加约谈的领导和人员")
    summoned_at = forms.DateTimeField(label="约谈时间", required=False, widget=DATETIME)
    place = forms.CharField(label="约谈地点", required=False, max_length=100)
    problems = forms.CharField(label="约谈指出的问题", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    commitments = forms.CharField(label="被约谈方的整改承诺", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_on = forms.DateField(
        label="跟踪复查日期", required=False, widget=DATE, help_text="到期前 7、3、1 天提醒被约谈单位，逾期提醒县局"
    )
    minutes = forms.FileField(
        label="约谈记录", required=False, help_text="双方签字的约谈记录扫描件（PDF、图片或 Word）"
    )
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    evidence_url = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)

    def __init__(self, *args, user, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = ActionKind(kind)
        self.fields["targets"].queryset = unit_options(user)
        self.fields["targets"].label_from_instance = lambda o: f"{o.name}（{o.get_kind_display()}）"
        if self.kind != ActionKind.SUMMONS:
            for name in SUMMONS_ONLY:
                del self.fields[name]
        if self.kind != ActionKind.ACCOUNTABILITY:
            del self.fields["measure"]

    def service_fields(self):
        """The cleaned values as the service takes them (targets as a list; no empty upload)."""
        data = dict(self.cleaned_data)
        data["targets"] = list(data.get("targets") or [])
        if not data.get("minutes"):
            data.pop("minutes", None)
        return data


class KindChoiceForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=ActionKind.choices)


class IssueForm(RowVersionFormMixin, forms.Form):
    issued_on = forms.DateField(label="签发日期", required=False, widget=DATE)


class FollowUpForm(RowVersionFormMixin, forms.Form):
    done_on = forms.DateField(label="复查日期", widget=DATE)
    result = forms.CharField(
        label="复查结果", widget=forms.Textarea(attrs={"rows": 3}), help_text="承诺事项是否逐项落实"
    )


class MinutesForm(forms.Form):
    minutes = forms.FileField(label="约谈记录")
