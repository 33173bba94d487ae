import re

from django import forms

from core.bounds import validators_of
from core.concurrency import RowVersionFormMixin
from core.widgets import DATE

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


# ------------------------------------------------------------------ authoring (issue 21)


class ParticipantsField(forms.MultipleChoiceField):
    """The ticked units' ids. Which may take part (the bureau's own mines and enterprises) is the service's to say,
    with its message (campaign.authoring.check_participants): the page, the API and the demo are checked alike."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return bool(re.fullmatch(r"\d{1,18}", str(value)))


SCOPE_ALL, SCOPE_CHOSEN = "all", "chosen"


class ParticipationFormMixin:
    """Who takes part: "全县煤矿和主体企业" or the mines and enterprises ticked, grouped by enterprise (the page draws
    them itself from `participant_groups`). Cleaned as the services take them: `covers_all_units` True/False (None
    when the page did not say: unchanged) and `participants` a list of ids (None: unchanged)."""

    def _add_participation(self, bureau_id):
        self.bureau_id = bureau_id
        self.fields["covers_all_units"] = forms.ChoiceField(
            label="参加单位",
            choices=[(SCOPE_ALL, "全县煤矿和主体企业"), (SCOPE_CHOSEN, "选定的煤矿和主体企业")],
            widget=forms.RadioSelect,
            required=False,
        )
        self.fields["participants"] = ParticipantsField(
            label="选定的单位",
            required=False,
            help_text="选定主体企业即其所属煤矿全部参加；只选煤矿时，其主体企业一并参加（督促所属煤矿）。",
            error_messages={"invalid_choice": "所选单位（编号 %(value)s）不属于本局，不能选为参加单位。"},
        )

    def clean_participation(self, data):
        scope = data.get("covers_all_units")
        ids = [int(v) for v in data.get("participants") or []]
        if scope in (SCOPE_ALL, SCOPE_CHOSEN):
            data["covers_all_units"] = scope == SCOPE_ALL
            # with 全县 chosen the list is hidden: what was ticked in it before does not count
            data["participants"] = [] if scope == SCOPE_ALL else ids
        else:
            data["covers_all_units"] = None
            data["participants"] = ids or None
        return data

    @property
    def participation_changed(self):
        return bool({"covers_all_units", "participants"} & set(self.changed_data))

    def participant_groups(self):
        """The bureau's enterprises, each with its mines, and whether each is ticked (one query): what the page
        lists, enterprise by enterprise."""
        from accounts.models import Organization

        ticked = {str(v) for v in (self["participants"].value() or [])}
        units = list(
            Organization.objects.filter(bureau_id=self.bureau_id, kind__in=["enterprise", "mine"])
            .only("pk", "kind", "name", "short_name", "parent_id")
            .order_by("name", "pk")
        )
        groups = {
            u.pk: {"unit": u, "ticked": str(u.pk) in ticked, "mines": []} for u in units if u.kind == "enterprise"
        }
        others = {"unit": None, "ticked": False, "mines": []}  # a mine under no enterprise of the bureau
        for u in units:
            if u.kind == "mine":
                groups.get(u.parent_id, others)["mines"].append({"unit": u, "ticked": str(u.pk) in ticked})
        return [*groups.values(), *([others] if others["mines"] else [])]

    @property
    def scope(self):
        return self["covers_all_units"].value() or SCOPE_ALL


class CampaignCreateForm(ParticipationFormMixin, forms.Form):
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
    issued_on = forms.DateField(label="印发日期", required=False, widget=DATE)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(
        label="结束日期",
        required=False,
        widget=DATE,
        help_text="复制时不填则保持原来的天数",
    )
    goals = forms.CharField(
        label="目标", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="一行一个，如：无亡人事故"
    )

    def __init__(self, *args, sources, bureau_id, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_participation(bureau_id)
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
        return self.clean_participation(data)


class CampaignEditForm(ParticipationFormMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    document_no = forms.CharField(label="文号", max_length=60, required=False)
    issuer = forms.CharField(label="印发单位", max_length=100, required=False)
    issued_on = forms.DateField(label="印发日期", required=False, widget=DATE)
    starts_on = forms.DateField(
        label="开始日期",
        widget=DATE,
        help_text="改开始日期会把结束日期、各阶段和各报送时限一起平移相同的天数。",
    )
    ends_on = forms.DateField(label="结束日期", widget=DATE)
    goals = forms.CharField(
        label="目标", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="一行一个"
    )
    notice_text = forms.CharField(
        label="通知全文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=500_000,
        strip=False,  # kept as saved: a notice ending in a newline is not "changed" by saving the page unchanged
        help_text="每行一段。任务清单导入时会一并保存；各事项按段落号指向其原文，修改时请勿增删段落。",
    )

    def __init__(self, *args, bureau_id, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_participation(bureau_id)

    def clean(self):
        return self.clean_participation(super().clean())


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
