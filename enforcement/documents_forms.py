"""The forms of the document pages. They parse what was typed; the rules (which content a kind needs, who may be an
officer, which deadlines) are kinds.py's and the services'.

A document form is built from its kind's fields (kinds.py), the officers the bureau has, and a few rows of items:
the rows drafted from the record it follows (findings of an inspection, a hazard, the items of an order) and empty
ones to add more."""

from django import forms

from core.concurrency import RowVersionFormMixin
from core.mines import visible_mines
from core.widgets import DATE

from .kinds import CHOICE, CHOICES, DEADLINES, FINDINGS, REVIEWED, TEXT, spec_of
from .models import DocumentKind, EnforcementSettings, NumberFormat
from .services import officer_candidates

#: empty item rows offered below the drafted ones
SPARE_ROWS = 3
MAX_ROWS = 60
PASSED_CHOICES = (("", "请选择"), ("yes", "合格"), ("no", "不合格"))


def officers_field(bureau_id, label="执法人员"):
    field = forms.ModelMultipleChoiceField(
        label=label,
        queryset=officer_candidates(bureau_id),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="签发时须有两名以上持执法证的执法人员；名单见“执法人员”页",
    )
    field.label_from_instance = lambda u: f"{u.display_name}（执法证号 {u.certificate_no}）"
    return field


def content_field(field):
    if field.type == CHOICE:
        return forms.ChoiceField(
            label=field.label,
            choices=[("", "请选择"), *field.choices],
            required=field.required,
            help_text=field.help,
        )
    if field.type == CHOICES:
        return forms.MultipleChoiceField(
            label=field.label,
            choices=field.choices,
            required=field.required,
            widget=forms.CheckboxSelectMultiple,
            help_text=field.help,
        )
    widget = forms.TextInput() if field.rows <= 1 else forms.Textarea(attrs={"rows": field.rows})
    return forms.CharField(label=field.label, required=field.required, widget=widget, help_text=field.help)


class DocumentForm(RowVersionFormMixin, forms.Form):
    """A draft's content, officers and items. `items`: the rows drafted for it (dicts as the service takes them)."""

    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_ROWS)

    def __init__(self, *args, kind, bureau_id, user, items=(), choose_mine=False, hazards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec_of(kind)
        self.kind = DocumentKind(kind)
        if choose_mine:
            self.fields["mine"] = forms.ModelChoiceField(
                label="煤矿", queryset=visible_mines(user), empty_label="请选择煤矿"
            )
        for field in self.spec.typed_fields:
            self.fields[field.key] = content_field(field)
        self.fields["officers"] = officers_field(bureau_id)
        self.hazards = hazards
        drafted = list(items)
        if self.is_bound:
            try:
                count = max(0, min(int(self.data.get("rows", 0)), MAX_ROWS))
            except (TypeError, ValueError):
                count = 0
        else:
            count = 0 if self.spec.items == "none" else len(drafted) + SPARE_ROWS
        self.fields["rows"].initial = count
        self.item_count = count
        for i in range(1, count + 1):
            self._item_fields(i, drafted[i - 1] if i <= len(drafted) else {})

    def _item_fields(self, i, initial):
        items = self.spec.items
        hazard = forms.ModelChoiceField(
            queryset=self.hazards if self.hazards is not None else _no_hazards(),
            required=False,
            widget=forms.HiddenInput,
            initial=getattr(initial.get("hazard"), "pk", None),
            error_messages={
                "invalid_choice": f"第{i}项关联的隐患不存在或不在本文书可关联的范围内，请从检查记录或隐患重新起草。"
            },
        )
        self.fields[f"item_{i}_hazard"] = hazard
        self.fields[f"item_{i}_text"] = forms.CharField(
            label=f"第{i}项",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            initial=initial.get("text", ""),
        )
        if items == DEADLINES:
            self.fields[f"item_{i}_due_on"] = forms.DateField(
                label="整改期限", required=False, widget=DATE, initial=initial.get("due_on")
            )
        if items == REVIEWED:
            passed = initial.get("passed")
            self.fields[f"item_{i}_passed"] = forms.ChoiceField(
                label="复查结果",
                choices=PASSED_CHOICES,
                required=False,
                initial="" if passed is None else ("yes" if passed else "no"),
            )
            self.fields[f"item_{i}_note"] = forms.CharField(
                label="说明", required=False, max_length=500, initial=initial.get("note", "")
            )

    def clean(self):
        cleaned = super().clean()
        # A row's hazard travels in a hidden field, where an error would not be shown: say it above the form.
        for name in [n for n in self.errors if n.startswith("item_") and n.endswith("_hazard")]:
            for message in self.errors[name]:
                self.add_error(None, message)
        return cleaned

    def content_fields(self):
        return [self[f.key] for f in self.spec.typed_fields]

    def item_rows(self):
        """The bound fields of each item row, for the template."""
        names = ["text", "due_on", "passed", "note", "hazard"]
        return [
            [self[f"item_{i}_{n}"] for n in names if f"item_{i}_{n}" in self.fields]
            for i in range(1, self.item_count + 1)
        ]

    @property
    def has_items(self):
        return self.spec.items in (FINDINGS, DEADLINES, REVIEWED)

    def content(self):
        data = self.cleaned_data
        content = {}
        for field in self.spec.typed_fields:
            value = data.get(field.key)
            if field.type == CHOICES:
                content[field.key] = list(value or [])
            elif field.type == TEXT or field.type == CHOICE:
                content[field.key] = value or ""
        return content

    def items(self):
        """The rows with something in them, as the service takes them."""
        data = self.cleaned_data
        rows = []
        for i in range(1, self.item_count + 1):
            text = (data.get(f"item_{i}_text") or "").strip()
            hazard = data.get(f"item_{i}_hazard")
            if not text and hazard is None:
                continue
            row = {"text": text, "hazard": hazard}
            if f"item_{i}_due_on" in data:
                row["due_on"] = data.get(f"item_{i}_due_on")
            if f"item_{i}_passed" in data:
                passed = data.get(f"item_{i}_passed")
                row["passed"] = None if not passed else passed == "yes"
                row["note"] = data.get(f"item_{i}_note", "")
            rows.append(row)
        return rows

    def service_kwargs(self):
        kwargs = {"officers": list(self.cleaned_data.get("officers") or []), "content": self.content()}
        if self.has_items:
            kwargs["items"] = self.items()
        return kwargs


def _no_hazards():
    from hazards.models import Hazard

    return Hazard.objects.none()


class IssueForm(RowVersionFormMixin, forms.Form):
    issued_on = forms.DateField(label="签发日期", widget=DATE)


class ReceiptForm(RowVersionFormMixin, forms.Form):
    signer_name = forms.CharField(label="签收人", max_length=40)
    received_on = forms.DateField(label="签收日期", widget=DATE)
    scan = forms.FileField(label="签收回执扫描件", required=False, help_text="签字后的送达回执照片或 PDF")


class DeleteForm(RowVersionFormMixin, forms.Form):
    pass


class SettingsForm(forms.ModelForm):
    class Meta:
        model = EnforcementSettings
        fields = ["number_prefix", "authority_name"]


class NumberFormatForm(forms.Form):
    kind = forms.ChoiceField(label="文书种类", choices=DocumentKind.choices)
    code = forms.CharField(label="文书代字", max_length=10)
    pattern = forms.CharField(
        label="文号格式", max_length=60, help_text=NumberFormat._meta.get_field("pattern").help_text
    )


class CertificateForm(forms.Form):
    certificate_no = forms.CharField(label="执法证号", max_length=30, required=False)
