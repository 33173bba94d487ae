"""The API's view of the register and its investigations, and what writing them takes."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.bounds import validators_of
from core.serializers import LedgerImportSerializer, VisibleMineField

from .models import Accident, AccidentKind, Investigation
from .rules import InvestigationLevel

ROW_VERSION = {
    "label": "修改版本号",
    "required": False,
    "min_value": 0,
    "max_value": 2**31 - 1,
    "help_text": "修改时可填读取时的 row_version（或用 If-Match 头）：他人已改过则拒绝（409）",
}


class AccidentSerializer(serializers.ModelSerializer):
    mine_name = serializers.CharField(source="mine.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    injuries = serializers.IntegerField(read_only=True, help_text="受伤人数：重伤 + 轻伤")
    grade = serializers.CharField(read_only=True, help_text="事故等级（条例第三条）")
    investigation = serializers.PrimaryKeyRelatedField(read_only=True, help_text="提级调查（专项整治期间的事故）")

    class Meta:
        model = Accident
        fields = [
            "id",
            "mine",
            "mine_name",
            "campaign",
            "occurred_at",
            "place",
            "kind",
            "kind_display",
            "deaths",
            "injuries",
            "serious_injuries",
            "minor_injuries",
            "direct_loss",
            "description",
            "reporter_name",
            "reported_at",
            "late",
            "found_by_bureau",
            "grade",
            "investigation",
            "row_version",
        ]
        read_only_fields = fields


class AccidentWriteSerializer(serializers.Serializer):
    mine = VisibleMineField(label="煤矿")
    occurred_at = serializers.DateTimeField(label="发生时间")
    place = serializers.CharField(label="发生地点", max_length=200)
    kind = serializers.ChoiceField(label="事故类别", choices=AccidentKind.choices)
    deaths = serializers.IntegerField(label="死亡（人）", default=0, validators=validators_of(Accident, "deaths"))
    serious_injuries = serializers.IntegerField(
        label="重伤（人）", default=0, validators=validators_of(Accident, "serious_injuries")
    )
    minor_injuries = serializers.IntegerField(
        label="轻伤（人）", default=0, validators=validators_of(Accident, "minor_injuries")
    )
    direct_loss = serializers.DecimalField(
        label="直接经济损失（元）",
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        validators=validators_of(Accident, "direct_loss"),
    )
    description = serializers.CharField(label="事故经过", validators=validators_of(Accident, "description"))
    reporter_name = serializers.CharField(label="报告人", max_length=60)
    reported_at = serializers.DateTimeField(label="报告县局时间")
    row_version = serializers.IntegerField(**ROW_VERSION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.partial:
            self.fields.pop("mine")
        else:
            self.fields.pop("row_version")


class AccidentImportSerializer(LedgerImportSerializer):
    file = serializers.FileField(label="事故/工伤台账（.xlsx）")


class InvestigationSerializer(serializers.ModelSerializer):
    mine = serializers.IntegerField(source="accident.mine_id", read_only=True)
    report_url = serializers.SerializerMethodField(help_text="调查报告的下载地址（结案后）")

    class Meta:
        model = Investigation
        fields = [
            "id",
            "accident",
            "mine",
            "normal_level",
            "lead_level",
            "lead_organization",
            "team",
            "findings",
            "responsible_persons",
            "measures",
            "status",
            "opened_on",
            "closed_on",
            "report_url",
            "row_version",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_report_url(self, obj):
        from django.urls import reverse

        report = getattr(obj, "report", None)
        return reverse("investigation_report_download", kwargs={"pk": report.pk}) if report else None


class InvestigationWriteSerializer(serializers.Serializer):
    lead_level = serializers.ChoiceField(label="提级后牵头层级", choices=InvestigationLevel.choices, required=False)
    lead_organization = serializers.CharField(label="牵头单位", max_length=100, required=False, allow_blank=True)
    team = serializers.CharField(
        label="调查组组成", required=False, allow_blank=True, validators=validators_of(Investigation, "team")
    )
    findings = serializers.CharField(
        label="调查结论", required=False, allow_blank=True, validators=validators_of(Investigation, "findings")
    )
    responsible_persons = serializers.CharField(
        label="责任人员及处理",
        required=False,
        allow_blank=True,
        validators=validators_of(Investigation, "responsible_persons"),
    )
    measures = serializers.CharField(
        label="整改和防范措施", required=False, allow_blank=True, validators=validators_of(Investigation, "measures")
    )
    row_version = serializers.IntegerField(**ROW_VERSION)


class InvestigationCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(label="结案日期")
    report = serializers.FileField(label="调查报告")
    findings = serializers.CharField(label="调查结论", required=False, allow_blank=True)
