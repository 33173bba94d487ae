from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from core.api import VisibleQuerysetMixin, VisibleReadOnlyViewSet, ledger_import_response, ledger_import_schema
from core.concurrency import RowVersionAPIMixin
from core.errors import DomainError
from core.pagination import LedgerPagination
from core.ratelimit import client_key
from core.replica import reads_from_replica
from core.views import export_title, xlsx_response

from . import selectors, services
from .exports import violation_ledger_workbook
from .filters import ViolationFilter
from .serializers import (
    RepeatOffenderSerializer,
    TipoffCreateSerializer,
    TipoffDeskSerializer,
    TipoffLookupSerializer,
    TipoffStatusSerializer,
    ViolationImportSerializer,
    ViolationSerializer,
    ViolationWriteSerializer,
)
from .views.tipoffs import LOOKUP_RATE_LIMIT, RATE_LIMIT, default_bureau


@extend_schema(tags=["violations"])
class ViolationViewSet(
    RowVersionAPIMixin,
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ViolationSerializer
    filterset_class = ViolationFilter
    pagination_class = LedgerPagination  # `?cursor=` pages a bureau's 三违 by position
    #: its rows are the user's 三违 narrowed by ViolationFilter alone: page numbers' exact count may be the
    #: dashboards' tallies when the filters are their dimensions (core.counts)
    counts_from_figures = True

    selector = staticmethod(selectors.violation_list)
    #: a city's regulator registers the 三违 of its own inspection (the service refuses the rest: 403)
    regulator_actions = ("create",)

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _respond(self, violation, code=status.HTTP_200_OK):
        return Response(ViolationSerializer(self.get_queryset().get(pk=violation.pk)).data, status=code)

    @extend_schema(request=ViolationWriteSerializer, responses={201: ViolationSerializer})
    def create(self, request):
        violation = services.violation_create(actor=request.user, **self._input(ViolationWriteSerializer))
        return self._respond(violation, status.HTTP_201_CREATED)

    @extend_schema(request=ViolationWriteSerializer, responses=ViolationSerializer)
    def partial_update(self, request, pk=None):
        violation = self.get_object()
        data = dict(self._input(ViolationWriteSerializer, partial=True))
        row_version = self.expected_row_version(violation, data)
        return self._respond(
            services.violation_update(actor=request.user, violation=violation, row_version=row_version, **data)
        )

    @extend_schema(
        request={"multipart/form-data": ViolationImportSerializer},
        responses=ledger_import_schema(),
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_ledger(self, request):
        data = self._input(ViolationImportSerializer)
        return ledger_import_response(
            request,
            service=services.violations_import,
            mine=data.get("mine"),
            upload=data["file"],
            only_valid_rows=data["only_valid_rows"],
            dry_run=data["dry_run"],
            mapping=data.get("mapping"),
        )

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes})
    @action(detail=False, methods=["get"])
    @reads_from_replica
    def export(self, request):
        qs = self.filter_queryset(self.get_queryset())
        title = export_title(request, "“三违”人员台账")
        return xlsx_response(violation_ledger_workbook(qs, title=title), f"{title}{timezone.localdate():%Y%m%d}")


class TipoffThrottle(AnonRateThrottle):
    scope = "tipoff"
    rate = "5/10m"
    limit = RATE_LIMIT

    def parse_rate(self, rate):
        # DRF reads "5/10m" as 5 per minute; ten minutes is what we mean.
        return self.limit

    def get_cache_key(self, request, view):
        # A salted hash, not the address itself (DRF's default key holds the raw IP).
        return client_key(request, f"api-{self.scope}")


class TipoffLookupThrottle(TipoffThrottle):
    """Lookups have their own budget: guessing codes must not be free, nor may it use up a reporter's submissions."""

    scope = "tipoff_lookup"
    rate = "20/10m"
    limit = LOOKUP_RATE_LIMIT


@extend_schema(tags=["anonymous-reports"])
class TipoffCreateView(APIView):
    """Public, no login. Stores nothing that identifies the reporter; answers with the tracking code."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [TipoffThrottle]

    @extend_schema(
        summary="提交匿名举报",
        request=TipoffCreateSerializer,
        responses={201: inline_serializer("TipoffCreated", {"tracking_code": serializers.CharField()})},
    )
    def post(self, request):
        serializer = TipoffCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bureau = default_bureau()
        if bureau is None:
            raise DomainError("系统尚未设置受理单位。")
        tipoff = services.tipoff_submit(bureau=bureau, **serializer.validated_data)
        return Response({"tracking_code": tipoff.tracking_code}, status=status.HTTP_201_CREATED)


@extend_schema(tags=["anonymous-reports"])
class TipoffLookupView(APIView):
    """Public, no login: the status of a tip-off and the bureau's reply, by its tracking code.

    The code goes in the JSON body of a POST, never in the URL, so that no access log pairs it with the address of
    whoever asks. Rate limited per address, apart from the tip-off submissions."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [TipoffLookupThrottle]

    @extend_schema(
        summary="凭查询码查看举报办理情况",
        request=TipoffLookupSerializer,
        responses={
            200: TipoffStatusSerializer,
            404: OpenApiResponse(description="没有找到该查询码对应的举报"),
            429: OpenApiResponse(description="查询过于频繁"),
        },
    )
    def post(self, request):
        serializer = TipoffLookupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            tipoff = services.tipoff_lookup(**serializer.validated_data)
        except DomainError as exc:
            return Response({"detail": exc.message}, status=status.HTTP_404_NOT_FOUND)
        return Response(TipoffStatusSerializer(tipoff).data)


@extend_schema(tags=["violations"])
class RepeatOffenderViewSet(VisibleReadOnlyViewSet):
    """屡违人员: the second serious 三违 of one person within a campaign, and its 帮教 steps."""

    serializer_class = RepeatOffenderSerializer
    selector = staticmethod(selectors.repeat_offender_list)

    def get_queryset(self):
        # The page's read, plus the 帮教 steps the API shows inline (one query for the page of rows).
        return super().get_queryset().prefetch_related("steps")


@extend_schema(tags=["violations"])
class TipoffDeskViewSet(VisibleReadOnlyViewSet):
    """匿名举报 as its desk reads them: the bureau those made to it or escalated to it, an enterprise those made to it
    about its mines (Tipoff.objects.visible_to). Read-only: handling is on the pages."""

    serializer_class = TipoffDeskSerializer
    selector = staticmethod(selectors.tipoff_list)
