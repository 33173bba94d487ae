from rest_framework import serializers

from .models import Campaign, Deadline, Phase, Requirement


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "order", "code", "name", "starts_on", "ends_on", "summary"]


class DeadlineSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    due_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "code",
            "kind",
            "kind_display",
            "name",
            "period",
            "due_on",
            "due_at",
            "owed_by_enterprises",
            "owed_by_mines",
        ]


class RequirementSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", read_only=True)

    class Meta:
        model = Requirement
        fields = [
            "id",
            "parent",
            "level",
            "code",
            "name",
            "target_min",
            "target_max",
            "target_unit",
            "performed_by",
            "evidence",
        ]


class CampaignSerializer(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True, read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)
    current_phase = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "code",
            "name",
            "document_no",
            "issuer",
            "issued_on",
            "starts_on",
            "ends_on",
            "goals",
            "is_template",
            "current_phase",
            "phases",
            "deadlines",
        ]

    def get_current_phase(self, obj) -> PhaseSerializer(allow_null=True):
        phase = obj.current_phase
        return PhaseSerializer(phase).data if phase else None
