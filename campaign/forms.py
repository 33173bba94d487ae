from django import forms

from core.bounds import validators_of
from core.concurrency import RowVersionFormMixin

from .models import ProgressStatus, RequirementProgress


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
