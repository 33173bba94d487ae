from django import forms

from core.bounds import validators_of
from core.concurrency import RowVersionFormMixin

from .models import GroupKind, MemberPost, ProgressStatus, RequirementProgress, WorkingGroup


class ProgressForm(RowVersionFormMixin, forms.Form):
    status = forms.ChoiceField(label="状态", choices=ProgressStatus.choices)
    figure = forms.DecimalField(
        label="完成数量",
        required=False,
        decimal_places=2,
        validators=validators_of(RequirementProgress, "figure"),
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
    )
    reason = forms.CharField(label="不适用理由", max_length=300, required=False)
    note = forms.CharField(
        label="落实情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=validators_of(RequirementProgress, "note"),
    )
    evidence = forms.FileField(label="佐证材料（照片、签到表、制度文件等）", required=False)

    def __init__(self, *args, requirement, **kwargs):
        super().__init__(*args, **kwargs)
        if requirement.target_unit:
            self.fields["figure"].label = f"完成数量（{requirement.target_unit}）"
            self.fields["figure"].help_text = f"目标：{requirement.target_display}"
        else:
            del self.fields["figure"]


class WorkingGroupForm(RowVersionFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=GroupKind.choices)
    name = forms.CharField(label="名称", max_length=100, help_text="如：百日安全生产专项整治领导组")
    located_at = forms.CharField(
        label="设在", max_length=100, required=False, help_text="办公室设在何处，如：县应急局煤矿执法一股"
    )
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    duties = forms.CharField(
        label="职责",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=validators_of(WorkingGroup, "duties"),
        help_text="如：负责统筹、组织、协调专项整治工作",
    )
    order = forms.IntegerField(label="顺序", required=False, min_value=0, max_value=10_000, help_text="不填时排在最后")


class GroupMemberForm(RowVersionFormMixin, forms.Form):
    post = forms.ChoiceField(label="组内职务", choices=MemberPost.choices)
    user = forms.ModelChoiceField(
        label="系统用户", queryset=None, required=False, empty_label="（不是系统用户，填写下面的姓名）"
    )
    name = forms.CharField(
        label="姓名", max_length=60, required=False, help_text="不是系统用户时填写；也可填人员范围，如“全体监管专员”"
    )
    title = forms.CharField(label="单位职务", max_length=60, required=False, help_text="如：县应急管理局局长")
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    order = forms.IntegerField(label="顺序", required=False, min_value=0, max_value=10_000, help_text="不填时排在最后")

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        people = get_user_model().objects.filter(organization_id=campaign.bureau_id, is_active=True)
        self.fields["user"].queryset = people.order_by("full_name", "username")
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.title or u.username}）"


# ------------------------------------------------------------------ 核验 (campaign.verification)

PAGE_EXPIRED = "页面已过期，请刷新后重新核验。"


class ProgressReviewForm(forms.Form):
    """A review names the declaration the inspector read: one declared again since is not verified unread."""

    version = forms.IntegerField(
        label="",
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"required": PAGE_EXPIRED, "invalid": PAGE_EXPIRED},
    )
    row_version = forms.IntegerField(
        label="",
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        error_messages={"invalid": PAGE_EXPIRED},
    )


class ProgressVerifyForm(ProgressReviewForm):
    note = forms.CharField(
        label="核验意见（可选）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(RequirementProgress, "return_reason"),
    )


class ProgressReturnForm(ProgressReviewForm):
    reason = forms.CharField(
        label="退回理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=validators_of(RequirementProgress, "return_reason"),
        error_messages={"required": "退回必须写明理由，便于单位补充后重新申报。"},
    )


class BatchItemsField(forms.MultipleChoiceField):
    """Ticked rows as "id:version:row_version": which ones the user may verify, and whether each is still the
    declaration read, is the service's to say, item by item."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return len(str(value)) <= 40


class BatchVerifyForm(forms.Form):
    items = BatchItemsField(label="事项", required=False, error_messages={"invalid_choice": PAGE_EXPIRED})
    note = forms.CharField(
        label="核验意见（可选，适用于所选全部事项）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
        validators=validators_of(RequirementProgress, "return_reason"),
    )


class VerificationFilterForm(forms.Form):
    STATE_CHOICES = [
        ("declared", "待核验"),
        ("returned", "已退回"),
        ("verified", "已核验"),
        ("all", "全部已申报"),
    ]
    state = forms.ChoiceField(label="核验状态", choices=STATE_CHOICES, required=False)
    organization = forms.ModelChoiceField(label="单位", queryset=None, required=False, empty_label="全部单位")
    section = forms.ModelChoiceField(label="部分", queryset=None, required=False, empty_label="全部部分")
    flagged = forms.BooleanField(label="仅看退回两次及以上", required=False)

    def __init__(self, *args, organizations, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["section"].queryset = sections
        self.fields["section"].label_from_instance = lambda r: f"{r.code}. {r.name}"
        for name, f in self.fields.items():
            f.widget.attrs["class"] = "form-check-input" if name == "flagged" else "form-select form-select-sm"


class ThresholdsForm(forms.Form):
    """The campaign's figures (campaign.figures): one field a figure, bounded as the figure is, the 2024 notice's
    value shown as the default."""

    def __init__(self, *args, figures, **kwargs):
        from .figures import FIGURES, REMINDER_DAYS

        super().__init__(*args, **kwargs)
        for figure in FIGURES:
            self.fields[figure.name] = forms.DecimalField(
                label=f"{figure.label}（{figure.unit}）",
                min_value=figure.minimum,
                max_value=figure.maximum,
                decimal_places=2 if figure.unit == "小时" else 0,
                help_text=f"默认 {figure.default}{figure.unit}，可填 {figure.minimum}–{figure.maximum}。",
                error_messages={
                    "required": f"请填写{figure.label}。",
                    "invalid": f"{figure.label}应为数字。",
                    "min_value": f"{figure.label}不能小于 {figure.minimum}{figure.unit}。",
                    "max_value": f"{figure.label}不能大于 {figure.maximum}{figure.unit}。",
                    "max_decimal_places": f"{figure.label}最多保留两位小数（整数天数、分数不带小数）。",
                    "max_digits": f"{figure.label}不能大于 {figure.maximum}{figure.unit}。",
                },
                widget=forms.NumberInput(attrs={"step": "0.5" if figure.unit == "小时" else "1"}),
            )
            if figure.name not in figures.held:
                self.fields[figure.name].disabled = True
                self.fields[figure.name].required = False
                self.fields[
                    figure.name
                ].help_text = (
                    f"本期任务清单中没有“{figure.evidence.label}”事项，按默认值 {figure.default}{figure.unit}。"
                )
        self.fields[REMINDER_DAYS.name] = forms.CharField(
            label=f"{REMINDER_DAYS.label}（天）",
            max_length=40,
            help_text=f"截止前第几天提醒未报送单位，用逗号分隔，默认 {','.join(map(str, REMINDER_DAYS.default))}；"
            f"每个 {REMINDER_DAYS.minimum}–{REMINDER_DAYS.maximum} 天，最多 {REMINDER_DAYS.most} 个。",
            error_messages={"required": f"请填写{REMINDER_DAYS.label}，如“7,3,1”。"},
        )

    def clean_reminder_days(self):
        from .figures import REMINDER_DAYS, clean_days

        return clean_days(REMINDER_DAYS, self.cleaned_data["reminder_days"])
