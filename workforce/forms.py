from django import forms

from accounts.permissions import is_mine_officer
from campaign.figures import HANDOVER_LEAD_HOURS, figures_in_force
from core.bounds import long_text, validators_of
from core.concurrency import RowVersionFormMixin
from core.forms import LedgerImportForm, fix_to_own_mine
from core.mines import visible_mines
from core.widgets import DATE

from .models import Certificate, DispatchHandover, Person, TrainingSession, UnitKind, WorkUnit, ZeroShiftPlan
from .services.roster import PERSON_FIELDS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MineFormMixin:
    """The mine field: the officer's own mine (fixed), or one of the mines the user sees."""

    def setup_mine(self, user):
        self.fields["mine"] = forms.ModelChoiceField(
            label="煤矿", queryset=visible_mines(user), empty_label="请选择煤矿"
        )
        self.order_fields(["mine"])
        if is_mine_officer(user):
            fix_to_own_mine(self.fields["mine"], user)

    def mine_for_choices(self, user):
        """The mine whose roster fills the choices: the posted one, the officer's, or none yet."""
        if is_mine_officer(user):
            return user.organization_id
        value = self.data.get("mine") or self.initial.get("mine")
        return value if str(value or "").isdigit() else None


class WorkUnitForm(MineFormMixin, forms.ModelForm):
    class Meta:
        model = WorkUnit
        fields = ["kind", "name", "workshop"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_mine(user)
        mine_id = self.mine_for_choices(user)
        self.fields["workshop"].queryset = WorkUnit.objects.visible_to(user).filter(
            mine_id=mine_id, kind=UnitKind.WORKSHOP
        )
        self.fields["workshop"].help_text = "班组填写所属车间（科队）"


class PersonForm(RowVersionFormMixin, MineFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        mine_id = self.instance.mine_id if self.instance.pk else None
        if not self.instance.pk:
            self.setup_mine(user)
            mine_id = self.mine_for_choices(user)
        self.fields["unit"].queryset = WorkUnit.objects.visible_to(user).filter(mine_id=mine_id)
        self.fields["employer"].help_text = "外包外租、劳务派遣、灵活用工人员必填"


class SessionForm(MineFormMixin, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "kind",
            "held_on",
            "topic",
            "case_one",
            "case_two",
            "lecturer",
            "lecturer_name",
            "hours",
            "location",
            "note",
            "covers_major_hazard_standard",
            "covers_red_lines",
            "pass_mark",
            "units",
            "attendees",
        ]
        widgets = {
            "held_on": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
            "units": forms.SelectMultiple(attrs={"size": 8}),
            "attendees": forms.SelectMultiple(attrs={"size": 12}),
        }
        help_texts = {
            "case_one": "警示教育须选取今年以来省内外本行业 1–2 个典型事故案例",
            "lecturer": "主要负责人警示教育课须选名册中的主要负责人",
            "lecturer_name": "不在名册中的外请讲师填姓名",
            "units": "整建制参加的班组/车间（按住 Ctrl 多选）",
            "attendees": "按人签到的参加人员（按住 Ctrl 多选）",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_mine(user)
        mine_id = self.mine_for_choices(user)
        people = Person.objects.visible_to(user).filter(mine_id=mine_id, is_active=True).select_related("unit")
        self.fields["lecturer"].queryset = people
        self.fields["attendees"].queryset = people
        self.fields["units"].queryset = WorkUnit.objects.visible_to(user).filter(mine_id=mine_id, is_active=True)
        self.fields["lecturer_name"].required = False


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["kind", "number", "issued_on", "expires_on", "issuer"]
        widgets = {"issued_on": DATE, "expires_on": DATE}


class PositioningImportForm(LedgerImportForm):
    file_label = "人员定位系统导出的下井记录（.xlsx 或 .csv）"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = "按列名识别（姓名、卡号、班组、下井时间、升井时间、工作面时长）；10 MB、5 万行以内"


class ZeroShiftPlanForm(MineFormMixin, forms.Form):
    shift_date = forms.DateField(label="零点班日期", widget=DATE, validators=validators_of(ZeroShiftPlan, "shift_date"))
    leader_one = forms.CharField(label="带班领导一", max_length=40)
    leader_two = forms.CharField(label="带班领导二", max_length=40, help_text="零点班实行“双带班”")
    tasks = forms.CharField(
        label="作业安排",
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "每行一项：地点：作业内容\n如：3105 工作面：割煤、支护"}
        ),
        help_text="零点班不得安排爆破、动火、揭煤、启封密闭、有限空间、吊装、高处作业等危险作业",
        validators=[long_text()],
    )
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_mine(user)

    def clean_tasks(self):
        tasks = []
        for line in self.cleaned_data["tasks"].splitlines():
            line = line.strip()
            if not line:
                continue
            location, sep, content = line.partition("：") if "：" in line else line.partition(":")
            tasks.append({"location": location.strip(), "content": content.strip()} if sep else {"content": line})
        if not tasks:
            raise forms.ValidationError("请填写零点班的作业安排。")
        return tasks


class HandoverForm(MineFormMixin, forms.ModelForm):
    class Meta:
        model = DispatchHandover
        fields = [
            "shift",
            "shift_starts_at",
            "dispatched_at",
            "dispatcher",
            "tasks",
            "tight_schedule",
            "following_leader",
            "leader_notified_at",
        ]
        widgets = {
            "shift_starts_at": DATETIME,
            "dispatched_at": DATETIME,
            "leader_notified_at": DATETIME,
            "tasks": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"following_leader": "作业任务紧张时必填"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_mine(user)
        self.fields["dispatched_at"].help_text = f"应在接班前 {figures_in_force(user)[HANDOVER_LEAD_HOURS]} 小时调度"
        for name in ("shift_starts_at", "dispatched_at", "leader_notified_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class RosterImportForm(LedgerImportForm):
    file_label = "人员名册（.xlsx 或 .csv）"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = "按列名识别，标题行、合计行会自动跳过；10 MB、5000 人以内"
