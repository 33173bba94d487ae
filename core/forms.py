"""Form pieces every ledger shares."""

from django import forms

from .mines import visible_mines


def fix_to_own_mine(field, user):
    # A mine officer has one mine: the field is not shown, and whatever is posted for it is ignored.
    field.initial = user.organization_id
    field.disabled = True
    field.widget = forms.HiddenInput()


class LedgerImportForm(forms.Form):
    """A mine's ledger workbook to import; subclasses name the ledger in `file_label`."""

    file_label = "台账（.xlsx）"
    mine = forms.ModelChoiceField(label="导入到煤矿", queryset=None, empty_label="请选择煤矿")
    file = forms.FileField(help_text="按列名识别，标题行、合计行会自动跳过；10 MB、1 万行以内")
    only_valid_rows = forms.BooleanField(
        label="有错误的行跳过，只导入正确的行", required=False, help_text="不勾选时：只要有一行错误，就不导入任何数据"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = self.file_label
        self.fields["mine"].queryset = visible_mines(user)
        if getattr(user.organization, "kind", None) == "mine":  # a mine's user imports into that mine only
            fix_to_own_mine(self.fields["mine"], user)
