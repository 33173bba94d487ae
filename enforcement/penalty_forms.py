"""The forms of the penalty pages. They parse; the rules (order of stages, periods, amounts, who) are the services'."""

from django import forms
from django.utils import timezone

from core.bounds import validators_of
from core.concurrency import RowVersionFormMixin
from core.mines import visible_mines
from core.widgets import DATE

from .models import (
    MAX_PENALTY_YUAN,
    CaseSource,
    EvidenceKind,
    ExecutionKind,
    LegalProvision,
    PenaltyCase,
    PenaltyRules,
    StatementKind,
)
from .selectors import provision_options
from .services import officer_candidates

#: how many responsible persons (一案双查) the case form offers rows for
PERSON_ROWS = 4

AMOUNT = {"min": 0, "step": "0.01", "inputmode": "decimal"}


def _amount_field(label, **kwargs):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_PENALTY_YUAN,
        decimal_places=2,
        widget=forms.NumberInput(attrs=AMOUNT),
        **kwargs,
    )


def _provision_field(queryset, label="处罚依据"):
    field = forms.ModelChoiceField(label=label, queryset=queryset, required=False, empty_label="（不指定）")
    field.label_from_instance = lambda p: f"{p.citation}（{p.violation[:24]}）"
    return field


class PenaltyCaseForm(RowVersionFormMixin, forms.Form):
    """立案 (and, before the notice is served, its corrections): the facts, the bases, the unit and the persons."""

    mine = forms.ModelChoiceField(label="煤矿", queryset=None, empty_label="请选择煤矿")
    source = forms.ChoiceField(label="案件来源", choices=CaseSource.choices)
    cause = forms.CharField(label="案由", max_length=200, help_text="如：涉嫌未采取措施消除事故隐患案")
    facts = forms.CharField(
        label="违法事实",
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=validators_of(PenaltyCase, "facts"),
        help_text="时间、地点、违法行为、证据；告知书和决定书照此叙述",
    )
    provisions = forms.ModelMultipleChoiceField(
        label="处罚依据",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="从本局处罚依据清单中选择；当事人的依据也会自动列入",
    )
    representative = forms.CharField(label="法定代表人（主要负责人）", max_length=40, required=False)
    filed_on = forms.DateField(label="立案日期", widget=DATE)
    filing_opinion = forms.CharField(
        label="承办人意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(PenaltyCase, "filing_opinion"),
    )
    approver_name = forms.CharField(label="立案审批人", max_length=40, required=False)
    unit_name = forms.CharField(label="单位当事人", max_length=100, required=False, help_text="煤矿企业的全称")
    unit_amount = _amount_field("拟罚款（元）")

    def __init__(self, *args, user, bureau_id=None, mine=None, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        bureau_id = bureau_id or (case.bureau_id if case else None) or getattr(user.organization, "bureau_id", None)
        options = provision_options(user=user, bureau_id=bureau_id)
        self.fields["provisions"].queryset = options
        self.fields["provisions"].label_from_instance = lambda p: f"{p.citation}：{p.violation}"
        self.fields["unit_provision"] = _provision_field(options)
        for i in range(1, PERSON_ROWS + 1):
            self.fields[f"person_{i}_name"] = forms.CharField(label=f"责任人员{i}", max_length=100, required=False)
            self.fields[f"person_{i}_post"] = forms.CharField(label="职务", max_length=60, required=False)
            self.fields[f"person_{i}_amount"] = _amount_field("拟罚款（元）")
            self.fields[f"person_{i}_provision"] = _provision_field(options)
        if case is not None or mine is not None:
            # The mine and the source are the record's the case is filed from (or the case's own).
            del self.fields["mine"], self.fields["source"]
            if case is not None:
                del self.fields["filed_on"]
        else:
            self.fields["mine"].queryset = visible_mines(user)
            self.fields["source"].choices = [(CaseSource.OTHER, CaseSource.OTHER.label)]
            self.fields["source"].help_text = "检查、隐患、“三违”引起的案件，请在其页面点击“立案处罚”，以关联其记录"
        if "filed_on" in self.fields:
            self.fields["filed_on"].initial = timezone.localdate()
        if case is not None and not self.is_bound:
            self._initial_from(case)

    def _initial_from(self, case):
        for name in ("cause", "facts", "representative", "filing_opinion", "approver_name"):
            self.fields[name].initial = getattr(case, name)
        self.fields["provisions"].initial = [p.pk for p in case.provisions.all()]
        persons = 0
        for party in case.parties.all():
            if party.kind == "unit":
                prefix = "unit"
                self.fields["unit_name"].initial = party.name
            else:
                persons += 1
                prefix = f"person_{persons}"
                if persons > PERSON_ROWS:
                    break
                self.fields[f"{prefix}_name"].initial = party.name
                self.fields[f"{prefix}_post"].initial = party.post
            self.fields[f"{prefix}_amount"].initial = party.amount
            self.fields[f"{prefix}_provision"].initial = party.provision_id

    def person_rows(self):
        """The bound fields of each responsible person's row: name, post, amount, basis."""
        return [
            tuple(self[f"person_{i}_{part}"] for part in ("name", "post", "amount", "provision"))
            for i in range(1, PERSON_ROWS + 1)
        ]

    def parties(self):
        data = self.cleaned_data
        rows = []
        if (data.get("unit_name") or "").strip():
            rows.append(
                {
                    "kind": "unit",
                    "name": data["unit_name"],
                    "amount": data.get("unit_amount"),
                    "provision": data.get("unit_provision"),
                }
            )
        for i in range(1, PERSON_ROWS + 1):
            name = (data.get(f"person_{i}_name") or "").strip()
            if name:
                rows.append(
                    {
                        "kind": "person",
                        "name": name,
                        "post": data.get(f"person_{i}_post", ""),
                        "amount": data.get(f"person_{i}_amount"),
                        "provision": data.get(f"person_{i}_provision"),
                    }
                )
        return rows

    def service_kwargs(self):
        data = self.cleaned_data
        kwargs = {
            "cause": data["cause"],
            "facts": data["facts"],
            "representative": data.get("representative", ""),
            "filing_opinion": data.get("filing_opinion", ""),
            "approver_name": data.get("approver_name", ""),
            "provisions": list(data.get("provisions") or []),
            "parties": self.parties(),
        }
        if "filed_on" in data:
            kwargs["filed_on"] = data["filed_on"]
        if "source" in data:
            kwargs["source"] = data["source"]
        if "row_version" in data:
            kwargs["row_version"] = data["row_version"]
        return kwargs


# ---------------------------------------------------------------- the steps


def _officers_field(bureau_id):
    field = forms.ModelMultipleChoiceField(
        label="执法人员",
        queryset=officer_candidates(bureau_id),
        widget=forms.CheckboxSelectMultiple,
        help_text="两名以上持有执法证的执法人员",
    )
    field.label_from_instance = lambda u: f"{u.display_name}（{u.certificate_no}）"
    return field


class StepForm(RowVersionFormMixin, forms.Form):
    """A step's form names the version of the case the page showed: a step on a case someone else moved is 409."""


class InvestigateForm(StepForm):
    started_on = forms.DateField(label="调查取证日期", widget=DATE)


class ServeForm(StepForm):
    """What serving a document needs: who issued it, when it was signed and served, who signed the receipt."""

    issued_on = forms.DateField(label="签发日期", widget=DATE, required=False, help_text="不填则与送达日期相同")
    served_on = forms.DateField(label="送达日期", widget=DATE)
    signer_name = forms.CharField(label="签收人", max_length=40)
    receipt_scan = forms.FileField(label="送达回执扫描件", required=False, help_text="签收后的回执照片或 PDF")

    def __init__(self, *args, bureau_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"] = _officers_field(bureau_id)
        self.order_fields(["officers"])


class NotifyForm(ServeForm):
    pass


class DecideForm(ServeForm):
    """Each party's fine: at most what the notice said."""

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = list(parties)
        for party in self.parties:
            self.fields[f"amount_{party.pk}"] = _amount_field(
                f"对{party.name}罚款（元）", initial=party.amount, help_text=f"告知 {party.amount:,.2f} 元，不得加重"
            )
        self.order_fields([f"amount_{p.pk}" for p in self.parties] + ["officers"])

    def amounts(self):
        return {p.pk: self.cleaned_data.get(f"amount_{p.pk}") for p in self.parties}


class StatementForm(StepForm):
    kind = forms.ChoiceField(label="陈述申辩情况", choices=StatementKind.choices)
    made_on = forms.DateField(label="日期", widget=DATE, help_text="提出、听证、书面放弃或登记逾期的日期")
    text = forms.CharField(
        label="当事人意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=validators_of(PenaltyCase, "statement_text"),
    )
    review_opinion = forms.CharField(
        label="复核意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(PenaltyCase, "review_opinion"),
        help_text="采纳、部分采纳或不采纳，及理由",
    )


class ExecuteForm(StepForm):
    kind = forms.ChoiceField(label="执行方式", choices=ExecutionKind.choices)
    executed_on = forms.DateField(label="执行日期", widget=DATE)
    note = forms.CharField(
        label="执行情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(PenaltyCase, "execution_note"),
    )


class CloseForm(StepForm):
    closed_on = forms.DateField(label="结案日期", widget=DATE)
    summary = forms.CharField(
        label="结案报告",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=validators_of(PenaltyCase, "closing_summary"),
    )


class PaymentForm(StepForm):
    party = forms.TypedChoiceField(label="当事人", coerce=int)
    paid_on = forms.DateField(label="缴纳日期", widget=DATE)
    receipt = forms.FileField(label="缴款凭证", required=False)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(p.pk, f"{p.name}（{p.owed:,.2f} 元）") for p in parties]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=EvidenceKind.choices)
    title = forms.CharField(label="文件名称", max_length=100, help_text="如：对矿长张建国的询问笔录")
    number = forms.CharField(label="文号", max_length=60, required=False)
    dated = forms.DateField(label="日期", widget=DATE)
    pages = forms.IntegerField(label="页数", min_value=1, max_value=500, initial=1, help_text="装订后的页数")
    file = forms.FileField(label="文件", help_text="PDF、图片、Word 或 Excel，10 MB 以内")


# ---------------------------------------------------------------- the bureau's list and figures


class ProvisionForm(forms.ModelForm):
    class Meta:
        model = LegalProvision
        fields = [
            "law",
            "article",
            "violation",
            "summary",
            "penalty_range",
            "unit_max",
            "person_max",
            "checked",
            "active",
            "order",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "unit_max": forms.NumberInput(attrs=AMOUNT),
            "person_max": forms.NumberInput(attrs=AMOUNT),
        }


class RulesForm(forms.ModelForm):
    class Meta:
        model = PenaltyRules
        fields = [
            "statement_days",
            "hearing_request_days",
            "payment_days",
            "hearing_threshold_unit",
            "hearing_threshold_person",
            "holidays",
            "workdays",
        ]
        widgets = {
            "holidays": forms.Textarea(attrs={"rows": 3}),
            "workdays": forms.Textarea(attrs={"rows": 2}),
            "hearing_threshold_unit": forms.NumberInput(attrs=AMOUNT),
            "hearing_threshold_person": forms.NumberInput(attrs=AMOUNT),
        }
