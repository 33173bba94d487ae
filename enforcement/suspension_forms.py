"""The forms of the suspension pages. They parse; the rules (who, when, in which state) are the services'."""

from django import forms

from core.bounds import validators_of
from core.concurrency import RowVersionFormMixin
from core.uploads import ALLOWED_HELP
from core.widgets import DATE

from .models import ResumptionApplication
from .services import officer_candidates
from .services.suspension import MAX_FILES

#: what an order of 停产整顿 usually says, for the inspector to adjust
DEFAULT_BASIS = (
    "《中华人民共和国安全生产法》第六十五条、第一百一十三条，《煤矿重大事故隐患判定标准》，"
    "《国务院关于预防煤矿生产安全事故的特别规定》第十条"
)
DEFAULT_REQUIREMENTS = (
    "自接到本指令书之日起停止生产，撤出作业人员，对上述重大事故隐患按“五落实”要求进行整改；"
    "整改完成并经企业自查合格后，向我局提出复产验收申请，经验收合格后方可恢复生产。"
    "停产整顿期间不得擅自组织生产。"
)


def _officers_field(bureau_id):
    field = forms.ModelMultipleChoiceField(
        label="执法人员",
        queryset=officer_candidates(bureau_id),
        widget=forms.CheckboxSelectMultiple,
        help_text="两名以上持有执法证的执法人员",
    )
    field.label_from_instance = lambda u: f"{u.display_name}（{u.certificate_no}）"
    return field


class _ServeForm(RowVersionFormMixin, forms.Form):
    """What issuing and serving a document needs: its officers, the days, who signed the receipt."""

    issued_on = forms.DateField(label="签发日期", widget=DATE, required=False, help_text="不填则与送达日期相同")
    served_on = forms.DateField(label="送达日期", widget=DATE)
    signer_name = forms.CharField(label="签收人", max_length=40, help_text="煤矿签收文书的人员")
    receipt_scan = forms.FileField(label="送达回执扫描件", required=False, help_text="签收后的回执照片或 PDF")

    def __init__(self, *args, bureau_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"] = _officers_field(bureau_id)
        self.order_fields(self.field_order or [])

    def serve_kwargs(self):
        data = self.cleaned_data
        return {
            "officers": list(data["officers"]),
            "issued_on": data.get("issued_on"),
            "served_on": data["served_on"],
            "signer_name": data["signer_name"],
            "receipt_scan": data.get("receipt_scan"),
            "row_version": data.get("row_version"),
        }


class OrderForm(_ServeForm):
    """责令停产整顿指令书: the facts (the hazards), the basis, the requirements."""

    facts = forms.CharField(label="存在的重大事故隐患或违法行为", widget=forms.Textarea(attrs={"rows": 4}))
    basis = forms.CharField(label="依据", widget=forms.Textarea(attrs={"rows": 2}))
    requirements = forms.CharField(label="停产整顿要求", widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["facts", "basis", "requirements", "officers", "issued_on", "served_on", "signer_name"]

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "facts": data["facts"],
            "basis": data["basis"],
            "requirements": data["requirements"],
            **self.serve_kwargs(),
        }


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(_MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ApplyForm(forms.Form):
    """复产验收申请: the mine's self-check and its scans."""

    self_check = forms.CharField(
        label="自查整改情况",
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=validators_of(ResumptionApplication, "self_check"),
        help_text="各项重大事故隐患的整改情况、企业自查验收结论、停产整顿期间的安全措施",
    )
    files = _MultipleFileField(
        label="申请材料",
        required=False,
        help_text=f"整改报告、自查验收表、现场照片等，最多 {MAX_FILES} 个；{ALLOWED_HELP}",
    )


CONCLUSIONS = [("accepted", "验收通过，同意复产"), ("refused", "验收不通过，继续停产整顿")]


class DecideForm(_ServeForm):
    """复产验收: the conclusion, what was checked, the opinion, in the 复产验收意见书."""

    conclusion = forms.ChoiceField(label="验收结论", choices=CONCLUSIONS, widget=forms.RadioSelect)
    checked = forms.CharField(
        label="验收情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="验收组现场核查的内容：各项隐患整改、系统、设备、人员培训等",
    )
    opinion = forms.CharField(
        label="验收意见",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不通过的，写明存在的问题和继续整改的要求",
    )
    field_order = ["conclusion", "checked", "opinion", "officers", "issued_on", "served_on", "signer_name"]

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "accepted": data["conclusion"] == "accepted",
            "checked": data["checked"],
            "opinion": data["opinion"],
            **self.serve_kwargs(),
        }
