"""The API's view of penalty cases, and what creating one (立案) takes."""

from django.apps import apps
from rest_framework import serializers

from core.bounds import validators_of
from core.serializers import VisibleMineField

from .models import MAX_PENALTY_YUAN, CaseSource, LegalProvision, PartyKind, PenaltyCase, PenaltyParty
from .selectors import provision_list


class PenaltyPartySerializer(serializers.ModelSerializer):
    basis = serializers.CharField(source="provision.citation", read_only=True, default="")

    class Meta:
        model = PenaltyParty
        fields = ["id", "kind", "name", "post", "basis", "amount", "decided_amount", "paid_on"]
        read_only_fields = fields


class PenaltyCaseSerializer(serializers.ModelSerializer):
    mine_name = serializers.CharField(source="mine.name", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    parties = PenaltyPartySerializer(many=True, read_only=True)
    notice_number = serializers.CharField(source="notice.number", read_only=True, default="")
    decision_number = serializers.CharField(source="decision.number", read_only=True, default="")
    paid = serializers.SerializerMethodField(help_text="处罚决定的罚款是否已全部缴纳（未决定时为 null）")

    class Meta:
        model = PenaltyCase
        fields = [
            "id",
            "number",
            "mine",
            "mine_name",
            "cause",
            "source",
            "stage",
            "stage_display",
            "filed_on",
            "investigation_started_on",
            "notice",
            "notice_number",
            "notified_on",
            "statement_due_on",
            "hearing_due_on",
            "statement_kind",
            "statement_on",
            "decision",
            "decision_number",
            "decided_on",
            "payment_due_on",
            "executed_on",
            "execution_kind",
            "closed_on",
            "parties",
            "paid",
            "row_version",
        ]
        read_only_fields = fields

    def get_paid(self, case) -> bool | None:
        if case.decided_on is None:
            return None
        return all(p.is_paid for p in case.parties.all() if p.must_pay)


class _VisibleField(serializers.PrimaryKeyRelatedField):
    """A record among those the requesting user sees (another tenant's is "does not exist")."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(queryset=apps.get_model(*model.split(".")).objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        queryset = apps.get_model(*self.model.split(".")).objects
        return queryset.visible_to(request.user) if request else queryset.none()


class ProvisionField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        super().__init__(queryset=LegalProvision.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return provision_list(user=request.user) if request else LegalProvision.objects.none()


class PartyInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="当事人类别", choices=PartyKind.choices)
    name = serializers.CharField(label="名称或姓名", max_length=100)
    post = serializers.CharField(label="职务", max_length=60, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(
        label="拟罚款金额", max_digits=12, decimal_places=2, min_value=0, max_value=MAX_PENALTY_YUAN, required=False
    )
    provision = ProvisionField(label="处罚依据", required=False, allow_null=True)


class PenaltyCaseWriteSerializer(serializers.Serializer):
    mine = VisibleMineField(label="煤矿")
    source = serializers.ChoiceField(label="案件来源", choices=CaseSource.choices)
    inspection = _VisibleField("hazards.Inspection", label="检查", required=False, allow_null=True)
    hazard = _VisibleField("hazards.Hazard", label="隐患", required=False, allow_null=True)
    violation = _VisibleField("violations.Violation", label="“三违”", required=False, allow_null=True)
    cause = serializers.CharField(label="案由", max_length=200)
    facts = serializers.CharField(label="违法事实", validators=validators_of(PenaltyCase, "facts"))
    filed_on = serializers.DateField(
        label="立案日期", required=False, validators=validators_of(PenaltyCase, "filed_on")
    )
    representative = serializers.CharField(label="法定代表人", max_length=40, required=False, allow_blank=True)
    filing_opinion = serializers.CharField(
        label="承办人意见", required=False, allow_blank=True, validators=validators_of(PenaltyCase, "filing_opinion")
    )
    approver_name = serializers.CharField(label="立案审批人", max_length=40, required=False, allow_blank=True)
    provisions = ProvisionField(label="处罚依据", many=True, required=False)
    parties = PartyInputSerializer(label="当事人", many=True)
