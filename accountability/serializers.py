"""The API's view of the accountability actions, and what drafting one takes (the service checks the rest)."""

from rest_framework import serializers

from accounts.models import Organization

from .forms import unit_options
from .models import AccountabilityAction, AccountabilityMeasure, ActionKind, ActionTarget


class TargetSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name", read_only=True)
    kind = serializers.CharField(source="organization.kind", read_only=True)

    class Meta:
        model = ActionTarget
        fields = ["organization", "name", "kind"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    #: the units named, as a person reads them (东峰煤矿、西岭煤矿); `targets` has their ids
    target = serializers.SerializerMethodField()
    targets = TargetSerializer(many=True, read_only=True)
    measure_display = serializers.CharField(source="get_measure_display", read_only=True)

    class Meta:
        model = AccountabilityAction
        fields = [
            "id",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "number",
            "title",
            "target",
            "targets",
            "persons",
            "reason",
            "requirements",
            "measure",
            "measure_display",
            "issued_on",
            "summoned_by",
            "summoned_at",
            "place",
            "problems",
            "commitments",
            "follow_up_on",
            "follow_up_done_on",
            "follow_up_result",
            "source",
            "evidence_url",
            "row_version",
        ]
        read_only_fields = fields

    def get_target(self, action) -> str:
        return "、".join(t.organization.name for t in action.targets.all())


class _UnitField(serializers.PrimaryKeyRelatedField):
    """A mine or enterprise the requesting user sees (anyone else's "does not exist")."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Organization.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return unit_options(request.user) if request else Organization.objects.none()


class ActionWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    targets = serializers.ListField(child=_UnitField(), allow_empty=False, max_length=50)
    title = serializers.CharField(max_length=200)
    persons = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    reason = serializers.CharField(max_length=5000)
    requirements = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    measure = serializers.ChoiceField(choices=AccountabilityMeasure.choices, required=False, allow_blank=True)
    summoned_by = serializers.CharField(required=False, allow_blank=True, max_length=200)
    summoned_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=100)
    problems = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    commitments = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    source = serializers.CharField(required=False, allow_blank=True, max_length=40)
    evidence_url = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ActionIssueSerializer(serializers.Serializer):
    issued_on = serializers.DateField(required=False, allow_null=True)
    row_version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class ActionFollowUpSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    result = serializers.CharField(max_length=5000)
    row_version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
