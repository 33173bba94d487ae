from django import forms

from core.bounds import validators_of
from core.concurrency import RowVersionFormMixin

from .models import GroupKind, MemberPost, ProgressStatus, RequirementProgress, WorkingGroup


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
