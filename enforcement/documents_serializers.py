"""The API's view of enforcement documents, and what drafting one takes."""

from rest_framework import serializers

from accounts.models import User
from core.serializers import VisibleMineField

from .models import DocumentItem, DocumentKind, DocumentOfficer, EnforcementDocument
from .penalty_serializers import _VisibleField
from .selectors import visible_documents
from .services import officer_candidates


class DocumentOfficerSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentOfficer
        fields = ["user", "name", "certificate_no"]
        read_only_fields = fields


class DocumentItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentItem
        fields = ["order", "hazard", "text", "due_on", "passed", "note"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    mine_name = serializers.CharField(source="mine.name", read_only=True)
    follows_number = serializers.CharField(source="follows.number", read_only=True, default="")
    officers = DocumentOfficerSerializer(many=True, read_only=True)
    items = DocumentItemSerializer(many=True, read_only=True)

    class Meta:
        model = EnforcementDocument
        fields = [
            "id",
            "kind",
            "kind_display",
            "number",
            "mine",
            "mine_name",
            "inspection",
            "follows",
            "follows_number",
            "status",
            "status_display",
            "issued_on",
            "deadline",
            "signer_name",
            "received_on",
            "content",
            "officers",
            "items",
            "row_version",
        ]
        read_only_fields = fields


class _VisibleDocumentField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        super().__init__(queryset=EnforcementDocument.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return visible_documents(request.user) if request else EnforcementDocument.objects.none()


class _OfficerField(serializers.PrimaryKeyRelatedField):
    """An officer among the requesting user's bureau's certified inspectors (anyone else "does not exist")."""

    def __init__(self, **kwargs):
        super().__init__(queryset=User.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        bureau_id = getattr(getattr(request.user, "organization", None), "bureau_id", None) if request else None
        return officer_candidates(bureau_id) if bureau_id else User.objects.none()


class ItemInputSerializer(serializers.Serializer):
    hazard = _VisibleField("hazards.Hazard", label="隐患", required=False, allow_null=True)
    text = serializers.CharField(label="内容", required=False, allow_blank=True, default="")
    due_on = serializers.DateField(label="整改期限", required=False, allow_null=True)
    passed = serializers.BooleanField(label="复查合格", required=False, allow_null=True, default=None)
    note = serializers.CharField(label="说明", max_length=500, required=False, allow_blank=True, default="")


class DocumentWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="文书种类", choices=DocumentKind.choices)
    mine = VisibleMineField(label="煤矿")
    inspection = _VisibleField("hazards.Inspection", label="检查", required=False, allow_null=True)
    follows = _VisibleDocumentField(label="依据文书", required=False, allow_null=True)
    officers = _OfficerField(label="执法人员", many=True, required=False)
    items = ItemInputSerializer(label="条目", many=True, required=False)
    content = serializers.DictField(label="内容", required=False)


class IssueSerializer(serializers.Serializer):
    issued_on = serializers.DateField(label="签发日期", required=False, allow_null=True)
    row_version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
