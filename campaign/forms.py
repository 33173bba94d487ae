from django import forms

from core.bounds import validators_of
from core.concurrency import RowVersionFormMixin

from .models import (
    DeadlineKind,
    GroupKind,
    MemberPost,
    ProgressStatus,
    RequirementPerformer,
    RequirementProgress,
    WorkingGroup,
)


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


# ------------------------------------------------------------------ authoring (issue 21)


class CampaignCreateForm(forms.Form):
    source = forms.ModelChoiceField(
        label="复制自",
        queryset=None,
        required=False,
        empty_label="（空白：从头编制）",
        help_text="选模板或往期专项整治：阶段、报送时限和任务清单一并复制，日期按新的开始日期平移；文号不复制。",
    )
    name = forms.CharField(label="名称", max_length=200, required=False, help_text="复制时不填则沿用原名称")
    document_no = forms.CharField(label="文号", max_length=60, required=False, help_text="如：阳应急发〔2025〕12号")
    issuer = forms.CharField(label="印发单位", max_length=100, required=False)
    issued_on = forms.DateField(label="印发日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label="结束日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="复制时不填则保持原来的天数",
    )
    goals = forms.CharField(
        label="目标", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="一行一个，如：无亡人事故"
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["source"].label_from_instance = lambda c: (
            f"{'【模板】' if c.is_template else ''}{c.name}（{c.starts_on:%Y-%m-%d} 起）"
        )

    def clean(self):
        data = super().clean()
        if not data.get("source"):
            if not data.get("name"):
                self.add_error("name", "请填写名称。")
            if not data.get("ends_on"):
                self.add_error("ends_on", "请填写结束日期。")
        if data.get("goals") is not None and not data.get("goals"):
            data["goals"] = None  # nothing typed: a copy keeps the source's goals
        return data


class CampaignEditForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    document_no = forms.CharField(label="文号", max_length=60, required=False)
    issuer = forms.CharField(label="印发单位", max_length=100, required=False)
    issued_on = forms.DateField(label="印发日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    starts_on = forms.DateField(
        label="开始日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="改开始日期会把结束日期、各阶段和各报送时限一起平移相同的天数。",
    )
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    goals = forms.CharField(
        label="目标", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="一行一个"
    )
    notice_text = forms.CharField(
        label="通知全文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=500_000,
        help_text="每行一段。任务清单导入时会一并保存；各事项按段落号指向其原文，修改时请勿增删段落。",
    )


DATE = forms.DateInput(attrs={"type": "date"})


class PhaseForm(forms.Form):
    name = forms.CharField(label="阶段名称", max_length=60)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)
    summary = forms.CharField(
        label="工作内容", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    order = forms.IntegerField(label="顺序", required=False, min_value=1, max_value=100, help_text="不填时排在最后")


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=DeadlineKind.choices)
    name = forms.CharField(label="名称", max_length=100, help_text="如：11月工作进展情况")
    due_on = forms.DateField(label="截止日期", widget=DATE, help_text="当天 23:59:59 前报送为按时")
    owed_by_mines = forms.BooleanField(label="煤矿需报送", required=False)
    owed_by_enterprises = forms.BooleanField(label="主体企业需报送", required=False)
    owed_by_bureau = forms.BooleanField(label="县局向上级报送", required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


def evidence_choices():
    from .models import RecordEvidence

    return [("", "自行填报（单位填报状态、说明和佐证材料）"), *RecordEvidence.choices]


class RequirementForm(forms.Form):
    name = forms.CharField(
        label="内容", max_length=300, required=False, help_text="不超过 300 字；不填时取原文的第一句"
    )
    text = forms.CharField(label="原文全文", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    paragraph = forms.IntegerField(
        label="出自通知第几段", required=False, min_value=1, max_value=1_000_000, help_text="通知全文中的段落（行）号"
    )
    performed_by = forms.ChoiceField(label="落实主体", choices=RequirementPerformer.choices)
    target_min = forms.DecimalField(label="目标下限", required=False, min_value=0, max_digits=10, decimal_places=2)
    target_max = forms.DecimalField(label="目标上限", required=False, min_value=0, max_digits=10, decimal_places=2)
    target_unit = forms.CharField(label="单位", max_length=20, required=False, help_text="如：次、%、个案例")
    evidence = forms.ChoiceField(label="证明方式", choices=(), required=False)

    def __init__(self, *args, item=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = evidence_choices()
        if not item:  # a section or a measure: its text, not an owner or a target
            for name in ("performed_by", "target_min", "target_max", "target_unit", "evidence"):
                del self.fields[name]


class TaskListUploadForm(forms.Form):
    file = forms.FileField(
        label="上传文件", required=False, help_text=".docx（通知正文）、.xlsx（编号、内容两列）或 .txt"
    )
    text = forms.CharField(
        label="或粘贴文字", required=False, widget=forms.Textarea(attrs={"rows": 8}), max_length=500_000, strip=False
    )
    part = forms.IntegerField(required=False, min_value=1, max_value=99, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("请上传通知文件或粘贴任务清单的文字。")
        return data
