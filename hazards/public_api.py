"""The public API of 挂牌督办 (no login, throttled): the same rows and fields as the public page (hazards.public)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from core.ratelimit import client_key

from .models import ListingStatus
from .public import public_bureau, public_listings, public_row


class PublicListingThrottle(AnonRateThrottle):
    scope = "public_listed_hazards"
    rate = "120/min"

    def get_rate(self):
        return self.rate  # its own rate, not one from settings

    def get_cache_key(self, request, view):
        # A salted hash, not the address itself (DRF's default key holds the raw IP).
        return client_key(request, f"api-{self.scope}")


class PublicListingSerializer(serializers.Serializer):
    """Exactly hazards.public.PUBLIC_FIELDS (with the status's Chinese label): nothing internal, no ids."""

    mine = serializers.CharField(label="煤矿")
    description = serializers.CharField(label="隐患内容")
    major_category = serializers.CharField(label="重大隐患类别")
    major_item = serializers.CharField(label="判定依据（《煤矿重大事故隐患判定标准》第X条第（Y）项及情形）")
    listed_on = serializers.DateField(label="挂牌日期")
    supervising_unit = serializers.CharField(label="督办单位")
    due_on = serializers.DateField(label="整改期限", allow_null=True)
    status = serializers.ChoiceField(label="挂牌状态", choices=ListingStatus.choices)
    status_display = serializers.CharField(label="挂牌状态（中文）")
    delisted_on = serializers.DateField(label="摘牌日期", allow_null=True)
    public_summary = serializers.CharField(label="公开说明")

    def to_representation(self, instance):
        return super().to_representation(public_row(instance))


@extend_schema(
    tags=["public"],
    summary="重大事故隐患挂牌督办公示（无需登录）",
    parameters=[OpenApiParameter("bureau", str, description="应急管理局的公开代码或编号；不填为本系统的应急管理局")],
)
class PublicListedHazardsView(ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicListingThrottle]
    serializer_class = PublicListingSerializer
    filter_backends = []

    def get_queryset(self):
        bureau = public_bureau(self.request.query_params.get("bureau"))
        if bureau is None:
            raise NotFound("没有找到该应急管理局。")
        return public_listings(bureau_id=bureau.pk)
