from django import forms

from campaign.models import DeadlineKind
from core import bounds
from core.bounds import validators_of
from core.concurrency import RowVersionFormMixin

from .content import manual_fields, narrative_fields
from .models import Submission, SubmissionStatus, SubmissionVersion


def submission_form_class(kind):
    """The form of one kind of report: its narrative fields and the numbers only the unit knows.
    Saving a draft accepts blanks; submitting checks the required ones (the service does)."""
    fields = {}
    for name, label, required in narrative_fields(kind):
        fields[f"n_{name}"] = forms.CharField(
            label=label + ("（报送时必填）" if required else ""),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            validators=[bounds.long_text()],
        )
    for name, label in manual_fields(kind):
        fields[f"m_{name}"] = forms.IntegerField(
            label=label,
            required=False,
            initial=0,
            validators=bounds.figure(label),
            widget=forms.NumberInput(attrs={"min": 0}),
        )
    return type("SubmissionForm", (RowVersionFormMixin, forms.Form), fields)


def split_cleaned(cleaned):
    narrative = {k[2:]: v for k, v in cleaned.items() if k.startswith("n_")}
    manual = {k[2:]: v for k, v in cleaned.items() if k.startswith("m_")}
    return narrative, manual


def initial_from(content):
    initial = {f"n_{k}": v for k, v in content.get("narrative", {}).items()}
    initial.update({f"m_{k}": v for k, v in content.get("manual", {}).items()})
    return initial


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件（签字盖章的 Word/PDF、照片等）")


class ReviewForm(forms.Form):
    """A review names the submitted version the reviewer read: a newer one sent since is not approved unread."""

    version = forms.IntegerField(
        label="",
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"required": "页面已过期，请刷新后重新审核。", "invalid": "页面已过期，请刷新后重新审核。"},
    )
    #: the submission's row version as the page showed it (optional: a page from before it was carried is checked
    #: by `version` alone)
    row_version = forms.IntegerField(
        label="",
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        error_messages={"invalid": "页面已过期，请刷新后重新审核。"},
    )


class ReturnForm(ReviewForm):
    reason = forms.CharField(
        label="退回理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=validators_of(Submission, "return_reason"),
    )


class ApproveForm(ReviewForm):
    note = forms.CharField(
        label="审核意见（可选）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=validators_of(SubmissionVersion, "review_reason"),
    )


class ReviewFilterForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[("", "全部类型"), *DeadlineKind.choices], required=False)
    status = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *SubmissionStatus.choices], required=False)
    enterprise = forms.ModelChoiceField(label="主体企业", queryset=None, required=False, empty_label="全部主体")

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class BatchItemsField(forms.MultipleChoiceField):
    """Ticked rows as "id:version:row_version": any short value is accepted here; which ones the user may approve,
    and whether each is still the version read, is the service's to say, item by item."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return len(str(value)) <= 40


class BatchApproveForm(forms.Form):
    """批量通过: the ticked rows of the review queue, each naming the version and row version the page showed, and
    one note for all. The service reads and checks each item; the form only bounds the input."""

    items = BatchItemsField(
        label="报送", required=False, error_messages={"invalid_choice": "页面已过期，请刷新后重新选择。"}
    )
    note = forms.CharField(
        label="审核意见（可选，适用于所选全部报送）",
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "class": "form-control form-control-sm",
                "placeholder": "如：按期报送，内容符合要求，同意。",
            }
        ),
        validators=validators_of(SubmissionVersion, "review_reason"),
    )
