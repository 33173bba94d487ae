from rest_framework import serializers

from campaign.models import Deadline
from core import bounds
from core.scoping import scope_of

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
        ]
        read_only_fields = fields


class SubmissionOpenSerializer(serializers.Serializer):
    deadline = serializers.PrimaryKeyRelatedField(label="报送事项", queryset=Deadline.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["deadline"].queryset = Deadline.objects.filter(
                scope_of(request.user).bureau_q("campaign__bureau")
            )


class SubmissionContentSerializer(serializers.Serializer):
    narrative = serializers.DictField(
        label="正文", child=serializers.CharField(allow_blank=True, validators=[bounds.long_text()]), required=False
    )
    manual = serializers.DictField(
        label="填报数字", child=serializers.IntegerField(validators=bounds.figure("填报数字")), required=False
    )
