from rest_framework import serializers

from core.bounds import validators_of
from core.serializers import LedgerImportSerializer, VisibleMineField
from violations.models import Shift

from .models import Certificate, DispatchHandover, Person, PositioningRecord, TrainingSession, ZeroShiftPlan


class PersonSerializer(serializers.ModelSerializer):
    mine_name = serializers.CharField(source="mine.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    employment_display = serializers.CharField(source="get_employment_display", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "mine",
            "mine_name",
            "name",
            "employee_no",
            "role",
            "role_display",
            "post",
            "unit",
            "unit_name",
            "employment",
            "employment_display",
            "employer",
            "is_active",
        ]


class TrainingSessionSerializer(serializers.ModelSerializer):
    mine_name = serializers.CharField(source="mine.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    cases = serializers.ListField(child=serializers.CharField(), read_only=True)
    attendee_count = serializers.IntegerField(read_only=True)
    unit_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "mine",
            "mine_name",
            "campaign",
            "kind",
            "kind_display",
            "held_on",
            "topic",
            "cases",
            "lecturer_name",
            "lecturer",
            "hours",
            "location",
            "note",
            "unit_count",
            "attendee_count",
        ]


class CertificateSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state = serializers.SerializerMethodField(help_text="valid / expiring（30 天内到期）/ expired")

    class Meta:
        model = Certificate
        fields = [
            "id",
            "mine",
            "person",
            "person_name",
            "kind",
            "kind_display",
            "number",
            "issued_on",
            "expires_on",
            "issuer",
            "state",
        ]

    def get_state(self, obj) -> str:
        return obj.state()


class PositioningRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = PositioningRecord
        fields = [
            "id",
            "mine",
            "person_name",
            "card_no",
            "team",
            "entered_at",
            "exited_at",
            "underground_minutes",
            "face_minutes",
            "over_underground",
            "over_face",
        ]


class PositioningImportSerializer(LedgerImportSerializer):
    file = serializers.FileField(label="人员定位系统导出的下井记录（.xlsx 或 .csv）")


class RosterImportSerializer(LedgerImportSerializer):
    file = serializers.FileField(label="人员名册（.xlsx 或 .csv）")


class ZeroShiftTaskInput(serializers.Serializer):
    location = serializers.CharField(label="作业地点", max_length=100, required=False, allow_blank=True)
    content = serializers.CharField(label="作业内容", max_length=300)


class ZeroShiftPlanSerializer(serializers.ModelSerializer):
    tasks = serializers.SerializerMethodField()

    class Meta:
        model = ZeroShiftPlan
        fields = ["id", "mine", "shift_date", "leader_one", "leader_two", "note", "tasks"]

    def get_tasks(self, obj) -> list[dict]:
        return [{"location": t.location, "content": t.content} for t in obj.tasks.all()]


class ZeroShiftPlanWriteSerializer(serializers.Serializer):
    mine = VisibleMineField(label="煤矿")
    shift_date = serializers.DateField(label="零点班日期", validators=validators_of(ZeroShiftPlan, "shift_date"))
    leader_one = serializers.CharField(label="带班领导一", max_length=40)
    leader_two = serializers.CharField(label="带班领导二", max_length=40)
    tasks = ZeroShiftTaskInput(many=True, label="作业安排", max_length=100)
    note = serializers.CharField(label="备注", max_length=300, required=False, allow_blank=True)


class DispatchHandoverSerializer(serializers.ModelSerializer):
    early_enough = serializers.BooleanField(read_only=True)

    class Meta:
        model = DispatchHandover
        fields = [
            "id",
            "mine",
            "shift",
            "shift_starts_at",
            "dispatched_at",
            "lead_minutes",
            "early_enough",
            "dispatcher",
            "tasks",
            "tight_schedule",
            "following_leader",
            "leader_notified_at",
        ]


class DispatchHandoverWriteSerializer(serializers.Serializer):
    mine = VisibleMineField(label="煤矿")
    shift = serializers.ChoiceField(label="接班班次", choices=Shift.choices)
    shift_starts_at = serializers.DateTimeField(
        label="接班时间", validators=validators_of(DispatchHandover, "shift_starts_at")
    )
    dispatched_at = serializers.DateTimeField(
        label="调度时间", validators=validators_of(DispatchHandover, "dispatched_at")
    )
    dispatcher = serializers.CharField(label="调度员", max_length=40)
    tasks = serializers.CharField(label="调度内容", validators=validators_of(DispatchHandover, "tasks"))
    tight_schedule = serializers.BooleanField(label="作业任务紧张", default=False)
    following_leader = serializers.CharField(label="跟班领导", max_length=40, required=False, allow_blank=True)
    leader_notified_at = serializers.DateTimeField(
        label="通知跟班领导时间",
        required=False,
        allow_null=True,
        validators=validators_of(DispatchHandover, "leader_notified_at"),
    )
