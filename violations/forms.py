from django import forms
from django.utils import timezone

from accounts.models import Mine
from accounts.permissions import is_mine_officer
from campaign.figures import BULLETIN_CASES, figures_in_force
from core.bounds import validators_of
from core.concurrency import RowVersionFormMixin
from core.forms import LedgerImportForm, fix_to_own_mine
from core.mines import visible_mines
from core.widgets import DATE
from hazards.forms import lock_bureau_fields

from .models import (
    BackTrack,
    BackTrackKind,
    Bulletin,
    MentoringKind,
    MentoringStep,
    RedLineList,
    Tipoff,
    TipoffAddressee,
    TipoffCategory,
    TipoffStatus,
    Violation,
    ViolationAccountability,
)
from .permissions import default_found_by
from .selectors import typical_candidates
from .services.violations import BUREAU_FIELDS, EDITABLE_FIELDS

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ViolationForm(RowVersionFormMixin, forms.ModelForm):
    mine = forms.ModelChoiceField(label="煤矿", queryset=None, empty_label="请选择煤矿")

    class Meta:
        model = Violation
        fields = ["mine", *EDITABLE_FIELDS]
        widgets = {
            "occurred_on": DATE,
            "occurred_time": TIME,
            "description": forms.Textarea(attrs={"rows": 3}),
            "fine": forms.NumberInput(attrs={"min": 0, "step": "1", "inputmode": "decimal"}),
            "suspension_days": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mine"].queryset = visible_mines(user)
        self.fields["type"].choices = [("", "请选择三违类别")] + list(self.fields["type"].choices)[1:]
        self.fields["shift"].choices = [("", "不填")] + list(self.fields["shift"].choices)[1:]
        if is_mine_officer(user):
            fix_to_own_mine(self.fields["mine"], user)
        if self.instance.pk:
            del self.fields["mine"]
            lock_bureau_fields(self, BUREAU_FIELDS, user)
        else:
            self.initial.setdefault("occurred_on", timezone.localdate())
            self.fields["found_by"].initial = default_found_by(user)


class BackTrackForm(forms.Form):
    kind = forms.ChoiceField(label="倒查内容", choices=BackTrackKind.choices)
    finding = forms.CharField(
        label="倒查结论", widget=forms.Textarea(attrs={"rows": 2}), validators=validators_of(BackTrack, "finding")
    )
    responsible = forms.CharField(label="相关责任人", max_length=100, required=False)
    done_on = forms.DateField(label="倒查日期", widget=DATE, validators=validators_of(BackTrack, "done_on"))


class AccountabilityForm(forms.Form):
    unit_leader_name = forms.CharField(label="科队长", max_length=40)
    unit_leader_action = forms.CharField(
        label="对科队长的责任追究",
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(ViolationAccountability, "unit_leader_action"),
    )
    deputy_name = forms.CharField(label="企业分管负责人", max_length=40)
    deputy_review = forms.CharField(
        label="分管负责人作检查情况",
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(ViolationAccountability, "deputy_review"),
    )
    main_leader_action = forms.CharField(
        label="主要负责人处理情况（选填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(ViolationAccountability, "main_leader_action"),
    )


class TypicalForm(forms.Form):
    typical = forms.BooleanField(label="列为典型案例", required=False)
    reason = forms.CharField(label="典型性说明", max_length=300, required=False)


class ViolationImportForm(LedgerImportForm):
    file_label = "“三违”台账（.xlsx）"


class BulletinForm(RowVersionFormMixin, forms.Form):
    period = forms.RegexField(
        label="通报月份",
        regex=r"^\d{4}-\d{2}$",
        help_text="如 2024-11",
        error_messages={"invalid": "通报月份格式应为 YYYY-MM，如 2024-11。"},
    )
    issue_no = forms.CharField(
        label="期号",
        max_length=40,
        required=False,
        help_text="如 第3期（Word 文件的发文字号编为 X应急〔年份〕3号），也可直接填写发文字号，如 阳应急〔2024〕280号",
    )
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(
        label="通报正文", widget=forms.Textarea(attrs={"rows": 6}), validators=validators_of(Bulletin, "body")
    )
    cases = forms.ModelMultipleChoiceField(
        label="典型案例",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, selected=(), **kwargs):
        super().__init__(*args, **kwargs)
        required = figures_in_force(user)[BULLETIN_CASES]
        self.fields["cases"].help_text = f"每月至少通报 {required} 起典型“三违”案例"
        candidates = typical_candidates(user=user, selected=selected)
        self.fields["cases"].queryset = candidates.model.objects.filter(pk__in=[c.pk for c in candidates])
        self.fields["cases"].label_from_instance = lambda v: (
            f"{v.occurred_on:%Y-%m-%d} {v.mine.short_name or v.mine.name} {v.person_name}：{v.description[:40]}"
            f"（{v.get_severity_display()}{v.get_type_display()}）"
        )
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("period", f"{today:%Y-%m}")
            self.initial.setdefault("title", f"关于{today.month}月份典型“三违”案例的通报")


class RedLineUploadForm(forms.Form):
    mine = forms.ModelChoiceField(label="煤矿", queryset=None, empty_label="请选择煤矿")
    kind = forms.ChoiceField(label="清单类型", choices=[])
    title = forms.CharField(label="标题", max_length=200)
    effective_on = forms.DateField(label="生效日期", widget=DATE, validators=validators_of(RedLineList, "effective_on"))
    note = forms.CharField(label="修订说明", max_length=300, required=False)
    file = forms.FileField(
        label="清单（.xlsx）", help_text="列：层级、岗位、行为、处理措施。可先导出现行版本修改后上传"
    )

    def __init__(self, *args, user, **kwargs):
        from .models import RedLineKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = RedLineKind.choices
        self.fields["mine"].queryset = visible_mines(user)
        if is_mine_officer(user):
            fix_to_own_mine(self.fields["mine"], user)
        self.initial.setdefault("effective_on", timezone.localdate())


class TipoffForm(forms.Form):
    addressee = forms.ChoiceField(
        label="向谁举报",
        choices=[
            (TipoffAddressee.BUREAU, "县应急管理局（由县局受理）"),
            (TipoffAddressee.ENTERPRISE, "煤矿所属主体企业（由企业受理，须选择煤矿；企业可提交县局）"),
        ],
        initial=TipoffAddressee.BUREAU,
        required=False,  # a form or a poster's link from before: to the bureau, as it always was
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label="举报类型", choices=TipoffCategory.choices)
    mine = forms.ModelChoiceField(
        label="煤矿", queryset=Mine.objects.none(), required=False, empty_label="不清楚/不选择"
    )
    mine_text = forms.CharField(label="煤矿名称（列表中没有时填写）", max_length=100, required=False)
    location = forms.CharField(label="地点（如工作面、巷道）", max_length=200, required=False)
    occurred_on = forms.DateField(
        label="发生日期", required=False, widget=DATE, validators=validators_of(Tipoff, "occurred_on")
    )
    content = forms.CharField(
        label="举报内容",
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        validators=validators_of(Tipoff, "content"),
    )

    def __init__(self, *args, bureau, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mine"].queryset = Mine.objects.filter(bureau=bureau).order_by("name")


class TrackingForm(forms.Form):
    tracking_code = forms.CharField(label="查询码", max_length=20)


class TipoffHandleForm(forms.Form):
    status = forms.ChoiceField(label="办理状态", choices=TipoffStatus.choices)
    public_reply = forms.CharField(
        label="答复（举报人凭查询码可见）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=validators_of(Tipoff, "public_reply"),
    )
    internal_note = forms.CharField(
        label="内部处理记录",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(Tipoff, "internal_note"),
    )


class TipoffEscalateForm(forms.Form):
    reason = forms.CharField(
        label="提交县局的理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(Tipoff, "escalation_reason"),
    )


class MentoringStepForm(forms.Form):
    kind = forms.ChoiceField(label="帮教措施", choices=MentoringKind.choices)
    done_on = forms.DateField(label="日期", widget=DATE, validators=validators_of(MentoringStep, "done_on"))
    responsible = forms.CharField(label="帮教人", max_length=60)
    content = forms.CharField(
        label="帮教情况", widget=forms.Textarea(attrs={"rows": 2}), validators=validators_of(MentoringStep, "content")
    )
