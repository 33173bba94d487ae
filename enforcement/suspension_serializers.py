"""The API's view of suspensions and 复产验收 applications, and what applying and deciding take."""

from django.apps import apps
from rest_framework import serializers

from core.bounds import validators_of

from .models import ResumptionApplication, Suspension


class SuspensionSerializer(serializers.ModelSerializer):
    mine_name = serializers.CharField(source="mine.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True, default="")
    hazards = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    applications = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Suspension
        fields = [
            "id",
            "mine",
            "mine_name",
            "started_on",
            "status",
            "status_display",
            "previous_status",
            "hazards",
            "order",
            "order_number",
            "ended_on",
            "resumption",
            "applications",
            "row_version",
        ]
        read_only_fields = fields


class ResumptionApplicationSerializer(serializers.ModelSerializer):
    mine = serializers.IntegerField(source="suspension.mine_id", read_only=True)
    mine_name = serializers.CharField(source="suspension.mine.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.display_name", read_only=True, default="")
    decided_by = serializers.CharField(source="decided_by.display_name", read_only=True, default="")
    opinion_number = serializers.CharField(source="opinion_document.number", read_only=True, default="")
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = ResumptionApplication
        fields = [
            "id",
            "suspension",
            "mine",
            "mine_name",
            "submitted_by",
            "submitted_on",
            "self_check",
            "status",
            "status_display",
            "decided_by",
            "decided_on",
            "checked",
            "opinion",
            "opinion_document",
            "opinion_number",
            "attachments",
            "row_version",
        ]
        read_only_fields = fields

    def get_attachments(self, obj) -> list[str]:
        return [f.original_name for f in obj.attachments.all()]


class ApplySerializer(serializers.Serializer):
    suspension = serializers.PrimaryKeyRelatedField(queryset=Suspension.objects.none(), help_text="停产整顿记录 id")
    self_check = serializers.CharField(validators=validators_of(ResumptionApplication, "self_check"))
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # another tenant's suspension "does not exist"
            self.fields["suspension"].queryset = Suspension.objects.visible_to(request.user)


class DecideSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="true 验收通过；false 验收不通过")
    checked = serializers.CharField(help_text="验收情况")
    opinion = serializers.CharField(help_text="验收意见")
    officers = serializers.PrimaryKeyRelatedField(
        many=True, queryset=apps.get_model("accounts", "User").objects.all(), help_text="两名以上执法人员的用户 id"
    )
    signer_name = serializers.CharField(max_length=40, help_text="签收人")
    served_on = serializers.DateField(help_text="送达日期")
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    row_version = serializers.IntegerField(required=False, allow_null=True, default=None)
