from rest_framework import serializers

from .models import Organization, User


class OrganizationBriefSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "kind", "kind_display", "name"]


class MeSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "role_display", "organization"]


class MineSerializer(serializers.ModelSerializer):
    enterprise = serializers.IntegerField(source="parent_id", read_only=True)
    enterprise_name = serializers.CharField(source="parent.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "enterprise",
            "enterprise_name",
            "licence_no",
            "capacity_mt",
            "status",
            "status_display",
            "address",
            "contact_phone",
        ]
