from django import forms
from django.utils import timezone

from accounts.models import User
from accounts.permissions import inspectors_q, is_inspector, is_mine_officer, is_regulator, regulators_q
from campaign.figures import PASS_MARK, figure_of
from core.bounds import validators_of
from core.concurrency import RowVersionFormMixin
from core.forms import LedgerImportForm, fix_to_own_mine
from core.mines import visible_mines
from core.widgets import DATE

from .models import (
    ExamResult,
    Hazard,
    HazardAccountability,
    HazardEvent,
    HazardFileStage,
    HazardLevel,
    HazardListing,
    Inspection,
    InspectionMode,
    LeaderReview,
    MajorHazardItem,
)
from .models.inspection import BUREAU_MODES
from .permissions import FILLABLE_WHEN_BLANK, can_edit_finding
from .selectors import current_major_categories, current_major_items
from .services.exam_papers import OPTION_LETTERS, PAPER_SIZE, PAPER_SIZE_MAX, PAPER_SIZE_MIN, SEED_MAX
from .services.hazards import BUREAU_FIELDS, EDITABLE_FIELDS


def lock_bureau_fields(form, fields, user):
    """On a finding of the bureau, a mine or enterprise officer sees what the bureau found but cannot change it
    (the service refuses it anyway; the page says so instead of failing on save)."""
    instance = form.instance
    if not instance.pk or can_edit_finding(user, instance):
        return
    for name in fields:
        if name not in form.fields:
            continue
        if getattr(instance, name) in (None, "") and name in FILLABLE_WHEN_BLANK:
            continue  # a due date the bureau left for the mine to plan
        form.fields[name].disabled = True
        form.fields[name].help_text = "县局检查认定，不能修改"


class MajorItemSelect(forms.Select):
    """The 情形 list, each option carrying its category (`data-category`): the page shows only the items of the
    category chosen (static/js/major_item_filter.js) — 80-odd items are a long list to scroll on a phone at the pit."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-category"] = instance.category_id
        return option


class MajorItemChoiceField(forms.ModelChoiceField):
    """A situation (情形) shown as the standard cites it, with the beginning of its text."""

    widget = MajorItemSelect

    def label_from_instance(self, obj):
        text = obj.text if len(obj.text) <= 40 else obj.text[:40] + "…"
        return f"{obj.category.article}第{obj.label}项 {text}"


class HazardForm(RowVersionFormMixin, forms.ModelForm):
    """A ledger line. Business rules (五落实, permissions, 停产整顿) are the service's; this form only parses."""

    mine = forms.ModelChoiceField(label="煤矿", queryset=None, empty_label="请选择煤矿")
    before_photo = forms.FileField(label="整改前照片/资料", required=False, help_text="可拍照上传，10 MB 以内")

    class Meta:
        model = Hazard
        fields = ["mine", *EDITABLE_FIELDS]
        widgets = {
            "found_on": DATE,
            "due_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "contingency_plan": forms.Textarea(attrs={"rows": 2, "placeholder": "重大事故隐患必填"}),
            "funds": forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
        }
        help_texts = {
            "major_category": "重大事故隐患必选（《煤矿重大事故隐患判定标准》）",
            "major_item": "重大事故隐患所属的具体情形（第X条第（Y）项），选定后类别随之确定",
            "grade": "仅一般隐患分级使用",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mine"].queryset = visible_mines(user)
        self.fields["major_category"].queryset = current_major_categories()
        self.fields["major_category"].empty_label = "（一般隐患不选）"
        # The current standard's items, and the one a hazard judged under an older version already cites.
        items = current_major_items()
        if self.instance.major_item_id:
            items = items | MajorHazardItem.objects.filter(pk=self.instance.major_item_id)
        self.fields["major_item"] = MajorItemChoiceField(
            label="重大隐患情形",
            queryset=items.select_related("category"),
            required=False,
            empty_label="（一般隐患不选）",
            help_text=self._meta.help_texts["major_item"],
        )
        self.fields["grade"].choices = [("", "不分级")] + list(self.fields["grade"].choices)[1:]
        self.fields["source"].choices = [("", "请选择排查类型")] + list(self.fields["source"].choices)[1:]
        # 专业 is chosen, never assumed: a silent 其他 would skew the statistics by specialty. (A ledger file or an
        # API client that says nothing still gets the model's 其他.)
        self.fields["specialty"].choices = [("", "请选择专业")] + [
            choice for choice in self.fields["specialty"].choices if choice[0]
        ]
        if not self.instance.pk:
            self.initial["specialty"] = (kwargs.get("initial") or {}).get("specialty", "")
        if is_mine_officer(user):
            fix_to_own_mine(self.fields["mine"], user)
        if self.instance.pk:
            del self.fields["mine"]
            del self.fields["before_photo"]
            lock_bureau_fields(self, BUREAU_FIELDS, user)
        elif not self.initial.get("found_on"):
            self.initial["found_on"] = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        item = cleaned.get("major_item")
        # Choosing 重大 asks for the situation (第X条第（Y）项): hazards.validation's rule, which Hazard.clean applies
        # here as the service, the API and the import do (tests/core/test_one_rule.py), with the same message.
        if (
            item is not None
            and cleaned.get("level") == HazardLevel.MAJOR
            and cleaned.get("major_category") is None
            and "major_category" in self.fields
        ):
            cleaned["major_category"] = item.category  # the situation chosen names its category
        return cleaned


class SubmitForAcceptanceForm(RowVersionFormMixin, forms.Form):
    rectified_on = forms.DateField(label="整改完成日期", widget=DATE, validators=validators_of(Hazard, "rectified_on"))
    note = forms.CharField(
        label="整改情况说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(HazardEvent, "note"),
    )
    after_photo = forms.FileField(label="整改后照片/资料", required=False)


class NoteForm(RowVersionFormMixin, forms.Form):
    note = forms.CharField(
        label="说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(HazardEvent, "note"),
    )


class RejectForm(RowVersionFormMixin, forms.Form):
    reason = forms.CharField(
        label="退回理由", widget=forms.Textarea(attrs={"rows": 2}), validators=validators_of(HazardEvent, "note")
    )


class HazardFileForm(forms.Form):
    stage = forms.ChoiceField(
        label="阶段",
        choices=HazardFileStage.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    file = forms.FileField(label="照片或资料")


class ListingForm(forms.Form):
    listed_on = forms.DateField(label="挂牌日期", widget=DATE, validators=validators_of(HazardListing, "listed_on"))
    supervising_unit = forms.CharField(label="督办单位", max_length=100)
    notice_text = forms.CharField(
        label="公告内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=validators_of(HazardListing, "notice_text"),
    )


class DelistForm(forms.Form):
    delisted_on = forms.DateField(label="摘牌日期", widget=DATE, validators=validators_of(HazardListing, "delisted_on"))
    note = forms.CharField(
        label="摘牌意见",
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(HazardListing, "delisting_note"),
        help_text="如：经验收，隐患已整改到位，同意摘牌。",
    )


class PublishForm(forms.Form):
    public_summary = forms.CharField(
        label="公开说明",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=validators_of(HazardListing, "public_summary"),
        help_text="面向社会公开的文字：写明隐患情况、整改和处理结果；不要写人员姓名、电话、资金等内部信息。",
    )


class WithdrawPublicationForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(HazardEvent, "note"),
    )


class AccountabilityForm(forms.Form):
    enterprise_responsibility = forms.CharField(
        label="企业责任调查",
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(HazardAccountability, "enterprise_responsibility"),
    )
    supervision_responsibility = forms.CharField(
        label="监管责任调查",
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(HazardAccountability, "supervision_responsibility"),
    )
    outcome = forms.CharField(
        label="处理结果",
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(HazardAccountability, "outcome"),
    )


class LeaderReviewForm(forms.Form):
    """主要负责人检查: who, when, the signed written 检查."""

    leader_name = forms.CharField(label="企业主要负责人", max_length=40)
    written_on = forms.DateField(label="检查日期", widget=DATE)
    summary = forms.CharField(
        label="检查要点（选填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(LeaderReview, "summary"),
    )
    file = forms.FileField(label="书面检查（签字扫描件或照片）")


class LeaderReviewReceiveForm(forms.Form):
    note = forms.CharField(label="签收意见（选填）", max_length=500, required=False)


class HazardImportForm(LedgerImportForm):
    file_label = "隐患台账（.xlsx）"


class InspectionForm(forms.Form):
    mine = forms.ModelChoiceField(label="被检查煤矿", queryset=None, empty_label="请选择煤矿")
    inspected_on = forms.DateField(label="检查日期", widget=DATE, validators=validators_of(Inspection, "inspected_on"))
    mode = forms.ChoiceField(label="检查方式", choices=InspectionMode.choices)
    inspectors = forms.ModelMultipleChoiceField(label="检查人员", queryset=None, required=False)
    team_note = forms.CharField(label="其他检查人员", max_length=200, required=False, help_text="系统外人员、专家")
    notes = forms.CharField(
        label="检查情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=validators_of(Inspection, "notes"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mine"].queryset = visible_mines(user)
        # A city's regulator names its own colleagues (the city's inspection); the county its inspectors.
        people = regulators_q() if is_regulator(user) else inspectors_q()
        self.fields["inspectors"].queryset = User.objects.filter(
            people, organization_id=user.organization_id, is_active=True
        ).order_by("full_name")
        self.initial.setdefault("inspected_on", timezone.localdate())
        if is_regulator(user):
            self.fields["mode"].choices = [(mode.value, mode.label) for mode in BUREAU_MODES]
        elif not is_inspector(user):
            self.fields["mode"].choices = [(InspectionMode.SELF, InspectionMode.SELF.label)]
            del self.fields["inspectors"]


class InspectionNotesForm(forms.Form):
    """What an inspection's record says, corrected from its page (its mine, day and mode stay as recorded)."""

    notes = forms.CharField(
        label="检查情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=validators_of(Inspection, "notes"),
    )
    team_note = forms.CharField(label="其他检查人员", max_length=200, required=False, help_text="系统外人员、专家")


class ExamForm(forms.Form):
    person_name = forms.CharField(label="姓名", max_length=40)
    post = forms.CharField(label="岗位/工种", max_length=60)
    score = forms.DecimalField(
        label="成绩",
        decimal_places=1,
        validators=validators_of(ExamResult, "score"),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.1"}),
    )
    passed = forms.TypedChoiceField(
        label="是否合格",
        choices=[("", "按成绩判定"), ("1", "合格"), ("0", "不合格")],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The pass mark of the inspection's campaign (80 by default), as exam_record applies it.
        pass_mark = figure_of(campaign, PASS_MARK)
        self.fields["passed"].choices = [("", f"按成绩判定（{pass_mark} 分合格）"), ("1", "合格"), ("0", "不合格")]


class ExamPaperForm(forms.Form):
    """逢查必考: draw a paper from the 判定标准's 情形 (hazards.services.exam_papers)."""

    size = forms.IntegerField(
        label="题量", min_value=PAPER_SIZE_MIN, max_value=PAPER_SIZE_MAX, initial=PAPER_SIZE, help_text="每题四选一"
    )
    seed = forms.IntegerField(
        label="试卷编号",
        required=False,
        min_value=0,
        max_value=SEED_MAX,
        help_text="重新打印已发的试卷时填写其编号（同一编号、同一题量抽出同一份试卷）；留空则随机抽题",
    )


class PaperAnswersForm(forms.Form):
    """One person's answers to a paper: a choice A–D per question (left blank: wrong)."""

    person_name = forms.CharField(
        label="姓名", max_length=40, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )
    post = forms.CharField(
        label="岗位/工种", max_length=60, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )

    def __init__(self, *args, paper, **kwargs):
        super().__init__(*args, **kwargs)
        self.paper = paper
        for n, question in enumerate(paper.questions, 1):
            self.fields[f"q{n}"] = forms.TypedChoiceField(
                label=f"第{n}题",
                choices=[(str(i), OPTION_LETTERS[i]) for i in range(len(question["options"]))],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    @property
    def question_fields(self):
        return [self[f"q{n}"] for n in range(1, len(self.paper.questions) + 1)]

    def service_data(self):
        """What exam_paper_grade takes: the person and the answers in the paper's order."""
        data = self.cleaned_data
        answers = [data.get(f"q{n}") for n in range(1, len(self.paper.questions) + 1)]
        return {"person_name": data["person_name"], "post": data["post"], "answers": answers}


class RetrainingForm(forms.Form):
    retrained_on = forms.DateField(
        label="完成脱产培训日期", widget=DATE, validators=validators_of(ExamResult, "retrained_on")
    )
    note = forms.CharField(
        label="培训情况",
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(ExamResult, "retraining_note"),
    )
    evidence = forms.FileField(label="证明材料（签到表、试卷、照片）")
