from rest_framework import serializers

from accounts.models import Mine
from core.bounds import validators_of
from core.serializers import LedgerImportSerializer, VisibleMineField

from .models import (
    FoundBy,
    RepeatOffender,
    Severity,
    Shift,
    Tipoff,
    TipoffAddressee,
    TipoffCategory,
    Violation,
    ViolationType,
)


class ViolationSerializer(serializers.ModelSerializer):
    mine_name = serializers.CharField(source="mine.name", read_only=True)
    occurred_at = serializers.DateTimeField(read_only=True)
    type_display = serializers.CharField(source="get_type_display", read_only=True)
    severity_display = serializers.CharField(source="get_severity_display", read_only=True)
    shift_display = serializers.CharField(source="get_shift_display", read_only=True)
    backtrack_due_on = serializers.DateField(read_only=True)
    backtrack_overdue = serializers.BooleanField(read_only=True)
    accountability_due_on = serializers.DateField(read_only=True)
    accountability_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Violation
        fields = [
            "id",
            "mine",
            "mine_name",
            "campaign",
            "inspection",
            "occurred_on",
            "occurred_time",
            "occurred_at",
            "shift",
            "shift_display",
            "location",
            "person_name",
            "post",
            "team",
            "department",
            "type",
            "type_display",
            "severity",
            "severity_display",
            "description",
            "found_by",
            "found_by_name",
            "fine",
            "suspension_days",
            "retraining",
            "penalty_note",
            "mentoring",
            "typical",
            "backtracks_completed_on",
            "backtrack_due_on",
            "backtrack_overdue",
            "accountability_due_on",
            "accountability_recorded_on",
            "accountability_overdue",
            "note",
            "created_at",
            "row_version",
        ]
        read_only_fields = fields


class ViolationWriteSerializer(serializers.Serializer):
    mine = VisibleMineField(label="煤矿")
    occurred_on = serializers.DateField(label="日期", validators=validators_of(Violation, "occurred_on"))
    occurred_time = serializers.TimeField(label="时间", required=False, allow_null=True)
    shift = serializers.ChoiceField(label="班次", choices=Shift.choices, required=False, allow_blank=True)
    location = serializers.CharField(label="违章地点", max_length=200)
    person_name = serializers.CharField(label="姓名", max_length=40)
    post = serializers.CharField(label="工种", max_length=60, required=False, allow_blank=True)
    team = serializers.CharField(label="班组", max_length=60, required=False, allow_blank=True)
    department = serializers.CharField(label="所在单位", max_length=60, required=False, allow_blank=True)
    type = serializers.ChoiceField(label="三违类别", choices=ViolationType.choices)
    severity = serializers.ChoiceField(label="性质", choices=Severity.choices, default=Severity.GENERAL)
    description = serializers.CharField(label="违章行为", validators=validators_of(Violation, "description"))
    found_by = serializers.ChoiceField(label="查处方", choices=FoundBy.choices, required=False)
    found_by_name = serializers.CharField(label="查处人", max_length=60, required=False, allow_blank=True)
    fine = serializers.DecimalField(
        label="罚款（元）",
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        validators=validators_of(Violation, "fine"),
    )
    suspension_days = serializers.IntegerField(
        label="停工学习（天）", required=False, allow_null=True, validators=validators_of(Violation, "suspension_days")
    )
    retraining = serializers.BooleanField(label="重新培训", required=False)
    penalty_note = serializers.CharField(label="处罚情况", max_length=200, required=False, allow_blank=True)
    mentoring = serializers.CharField(label="帮教情况", max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(label="备注", max_length=500, required=False, allow_blank=True)
    row_version = serializers.IntegerField(
        label="修改版本号",
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="修改时可填读取时的 row_version（或用 If-Match 头）：他人已改过则拒绝（409）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.partial:
            self.fields.pop("mine")
        else:
            self.fields.pop("row_version")  # a new record has no version


class ViolationImportSerializer(LedgerImportSerializer):
    file = serializers.FileField(label="“三违”台账（.xlsx）")


class TipoffCreateSerializer(serializers.Serializer):
    addressee = serializers.ChoiceField(
        label="举报对象", choices=TipoffAddressee.choices, required=False, default=TipoffAddressee.BUREAU
    )
    category = serializers.ChoiceField(label="举报类型", choices=TipoffCategory.choices)
    mine = serializers.PrimaryKeyRelatedField(
        label="煤矿", queryset=Mine.objects.all(), required=False, allow_null=True
    )
    mine_text = serializers.CharField(label="煤矿名称", max_length=100, required=False, allow_blank=True)
    location = serializers.CharField(label="地点", max_length=200, required=False, allow_blank=True)
    occurred_on = serializers.DateField(
        label="发生日期", required=False, allow_null=True, validators=validators_of(Tipoff, "occurred_on")
    )
    content = serializers.CharField(label="举报内容", validators=validators_of(Tipoff, "content"))


class TipoffLookupSerializer(serializers.Serializer):
    tracking_code = serializers.CharField(label="查询码", max_length=20)


class TipoffStatusSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Tipoff
        fields = ["tracking_code", "category", "received_on", "status", "status_display", "public_reply", "replied_on"]
        read_only_fields = fields


class TipoffDeskSerializer(serializers.ModelSerializer):
    """A tip-off as its handling desk reads it (the bureau, or the enterprise it was made to): never anything about
    the reporter, who is not stored; the tracking code stays the reporter's."""

    mine_name = serializers.CharField(source="mine.name", read_only=True, default="")
    addressee_display = serializers.CharField(source="get_addressee_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Tipoff
        fields = [
            "id",
            "addressee",
            "addressee_display",
            "mine",
            "mine_name",
            "mine_text",
            "category",
            "category_display",
            "location",
            "occurred_on",
            "content",
            "received_on",
            "status",
            "status_display",
            "public_reply",
            "replied_on",
            "escalated_on",
            "escalation_reason",
        ]
        read_only_fields = fields


class MentoringStepSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    done_on = serializers.DateField()
    responsible = serializers.CharField()
    content = serializers.CharField()


class RepeatOffenderSerializer(serializers.ModelSerializer):
    steps = MentoringStepSerializer(many=True, read_only=True)

    class Meta:
        model = RepeatOffender
        fields = [
            "id",
            "mine",
            "campaign",
            "person_name",
            "first_violation",
            "second_violation",
            "escalated_at",
            "mentoring_completed_on",
            "steps",
        ]
