from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import VisibleReadOnlyViewSet

from .models import Campaign
from .serializers import CampaignSerializer, RequirementSerializer


@extend_schema(tags=["campaigns"])
class CampaignViewSet(VisibleReadOnlyViewSet):
    serializer_class = CampaignSerializer
    filterset_fields = ["is_template"]

    def get_base_queryset(self):
        return Campaign.objects.prefetch_related("phases", "deadlines").order_by("-starts_on", "pk")

    @extend_schema(responses=RequirementSerializer(many=True))
    @action(detail=True)
    def requirements(self, request, pk=None):
        campaign = self.get_object()
        return Response(RequirementSerializer(campaign.requirements.order_by("order"), many=True).data)
