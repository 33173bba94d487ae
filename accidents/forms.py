from django import forms
from django.utils import timezone

from accounts.permissions import is_mine_officer
from core.concurrency import RowVersionFormMixin
from core.forms import LedgerImportForm, fix_to_own_mine
from core.mines import visible_mines
from core.widgets import DATE

from .models import Accident, Investigation
from .services import EDITABLE_FIELDS, INVESTIGATION_FIELDS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AccidentForm(RowVersionFormMixin, forms.ModelForm):
    mine = forms.ModelChoiceField(label="煤矿", queryset=None, empty_label="请选择煤矿")

    class Meta:
        model = Accident
        fields = ["mine", *EDITABLE_FIELDS]
        widgets = {
            "occurred_at": DATETIME,
            "reported_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 4}),
            "deaths": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "serious_injuries": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "minor_injuries": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "direct_loss": forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
        }
        help_texts = {
            "reported_at": "向县局报告的时间；超过事故发生后 1 小时的标为迟报"
            "（《生产安全事故报告和调查处理条例》第九条）",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mine"].queryset = visible_mines(user)
        self.fields["kind"].choices = [("", "请选择事故类别")] + list(self.fields["kind"].choices)[1:]
        for name in ("occurred_at", "reported_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        if is_mine_officer(user):
            fix_to_own_mine(self.fields["mine"], user)
        if self.instance.pk:
            del self.fields["mine"]
        else:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("reported_at", now)

    def _post_clean(self):
        # The rules are the service's (accidents.validation), said once on the service's DomainError.
        pass


class InvestigationForm(RowVersionFormMixin, forms.ModelForm):
    class Meta:
        model = Investigation
        fields = list(INVESTIGATION_FIELDS)
        widgets = {
            "team": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "responsible_persons": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }


class InvestigationCloseForm(forms.Form):
    closed_on = forms.DateField(label="结案日期", widget=DATE)
    report = forms.FileField(label="调查报告", help_text="PDF、Word 或图片")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()


class AccidentImportForm(LedgerImportForm):
    file_label = "事故/工伤台账（.xlsx）"
