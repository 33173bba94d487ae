from rest_framework import serializers

from campaign.models import Deadline
from core import bounds

from .models import Submission, SubmissionVersion


class SubmissionVersionSerializer(serializers.ModelSerializer):
    review_status_display = serializers.CharField(source="get_review_status_display", read_only=True)

    class Meta:
        model = SubmissionVersion
        fields = [
            "number",
            "submitted_at",
            "review_status",
            "review_status_display",
            "review_reason",
            "reviewed_at",
            "content",
        ]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    deadline_name = serializers.CharField(source="deadline.name", read_only=True)
    kind = serializers.CharField(source="deadline.kind", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    versions = SubmissionVersionSerializer(many=True, read_only=True)
    version = serializers.IntegerField(
        source="versions_submitted", read_only=True, help_text="已报送的版本数（最新版本的编号；草稿为 0）"
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "organization",
            "organization_name",
            "deadline",
            "deadline_name",
            "kind",
            "version",
            "versions",
            "status",
            "status_display",
            "submitted_at",
            "late",
            "days_late",
            "return_reason",
            "content",
            "updated_at",
            "row_version",
        ]
        read_only_fields = fields


class SubmissionOpenSerializer(serializers.Serializer):
    deadline = serializers.PrimaryKeyRelatedField(label="报送事项", queryset=Deadline.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["deadline"].queryset = Deadline.objects.visible_to(request.user)


ROW_VERSION_HELP = "修改时可填读取时的 row_version（或用 If-Match 头）：他人已改过则拒绝（409）"


class SubmissionContentSerializer(serializers.Serializer):
    narrative = serializers.DictField(
        label="正文", child=serializers.CharField(allow_blank=True, validators=[bounds.long_text()]), required=False
    )
    manual = serializers.DictField(
        label="填报数字", child=serializers.IntegerField(validators=bounds.figure("填报数字")), required=False
    )
    row_version = serializers.IntegerField(
        label="修改版本号", required=False, min_value=0, max_value=2**31 - 1, help_text=ROW_VERSION_HELP
    )


class _ReviewSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        label="审核的版本",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="所审核的报送版本号（version）：其后又有新版本报送则拒绝（409），不会审核到未读过的版本",
    )


class ApproveSerializer(_ReviewSerializer):
    note = serializers.CharField(
        label="审核意见", required=False, allow_blank=True, default="", validators=[bounds.note_text()]
    )


class ReturnSerializer(_ReviewSerializer):
    reason = serializers.CharField(label="理由", validators=[bounds.note_text()])
