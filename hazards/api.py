from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import VisibleQuerysetMixin, ledger_import_response, ledger_import_schema
from core.concurrency import RowVersionAPIMixin
from core.pagination import LedgerPagination
from core.replica import reads_from_replica
from core.serializers import NoteSerializer, ReasonSerializer
from core.views import export_title, xlsx_response

from . import selectors, services
from .criteria import match as criteria
from .exports import hazard_ledger_workbook
from .filters import HazardFilter, InspectionFilter
from .models import ExamResult, Hazard
from .serializers import (
    CriteriaMatchInputSerializer,
    CriteriaMatchResultSerializer,
    HazardImportSerializer,
    HazardSerializer,
    HazardWriteSerializer,
    InspectionSerializer,
    InspectionUpdateSerializer,
    InspectionWriteSerializer,
    SubmitForAcceptanceSerializer,
)


@extend_schema(tags=["hazards"])
class HazardViewSet(
    RowVersionAPIMixin,
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = HazardSerializer
    filterset_class = HazardFilter
    pagination_class = LedgerPagination  # `?cursor=` pages a bureau's million hazards by position
    #: its rows are the user's hazards narrowed by HazardFilter alone: page numbers' exact count may be the
    #: dashboards' tallies when the filters are their dimensions (core.counts)
    counts_from_figures = True
    selector = staticmethod(selectors.hazard_list)
    #: a city's regulator registers the findings of its own inspection (the service refuses the rest: 403)
    regulator_actions = ("create",)

    def _respond(self, hazard, code=status.HTTP_200_OK):
        hazard = self.get_queryset().get(pk=hazard.pk)
        return Response(HazardSerializer(hazard, context=self.get_serializer_context()).data, status=code)

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=HazardWriteSerializer, responses={201: HazardSerializer})
    def create(self, request):
        data = self._input(HazardWriteSerializer)
        return self._respond(services.hazard_create(actor=request.user, **data), status.HTTP_201_CREATED)

    def _act(self, service, serializer_class, **extra):
        """A write on one hazard: the input, then the service with the version the client based it on
        (If-Match or body `row_version`; none: not checked)."""
        hazard = self.get_object()
        data = dict(self._input(serializer_class, **extra))
        row_version = self.expected_row_version(hazard, data)
        return self._respond(service(actor=self.request.user, hazard=hazard, row_version=row_version, **data))

    @extend_schema(request=HazardWriteSerializer, responses=HazardSerializer)
    def partial_update(self, request, pk=None):
        return self._act(services.hazard_update, HazardWriteSerializer, partial=True)

    @extend_schema(request=NoteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path="start-rectification")
    def start_rectification(self, request, pk=None):
        return self._act(services.hazard_start_rectification, NoteSerializer)

    @extend_schema(request=SubmitForAcceptanceSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path="submit-for-acceptance")
    def submit_for_acceptance(self, request, pk=None):
        return self._act(services.hazard_submit_for_acceptance, SubmitForAcceptanceSerializer)

    @extend_schema(request=NoteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(services.hazard_accept, NoteSerializer)

    @extend_schema(request=ReasonSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(services.hazard_reject, ReasonSerializer)

    @extend_schema(
        request={"multipart/form-data": HazardImportSerializer},
        responses=ledger_import_schema(),
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_ledger(self, request):
        data = self._input(HazardImportSerializer)
        return ledger_import_response(
            request,
            service=services.hazards_import,
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
        title = export_title(request, "事故隐患排查治理台账")
        return xlsx_response(hazard_ledger_workbook(qs, title=title), f"{title}{timezone.localdate():%Y%m%d}")


@extend_schema(tags=["inspections"])
class InspectionViewSet(
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    #: a city's (province's) own inspection of a mine below it, and its record corrected (the service checks the mine,
    #: the mode, and that the inspection is the city's own: the county's answer 403)
    regulator_actions = ("create", "partial_update")

    def get_queryset(self):
        # The page's list, with what the API shows of each: its findings through the visibility rule too (see
        # selectors.inspection_detail).
        hazards = Prefetch("hazards", queryset=Hazard.objects.visible_to(self.request.user))
        return selectors.inspection_list(user=self.request.user).prefetch_related(
            Prefetch("exams", queryset=ExamResult.objects.select_related("paper")), hazards, "inspectors"
        )

    @extend_schema(request=InspectionWriteSerializer, responses={201: InspectionSerializer})
    def create(self, request):
        serializer = InspectionWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        inspection = services.inspection_create(actor=request.user, **serializer.validated_data)
        inspection = self.get_queryset().get(pk=inspection.pk)
        return Response(InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InspectionUpdateSerializer, responses={200: InspectionSerializer})
    def partial_update(self, request, pk=None):
        """Correct 检查情况 and 其他检查人员 of one's own inspection."""
        inspection = self.get_object()
        serializer = InspectionUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.inspection_update(actor=request.user, inspection=inspection, **serializer.validated_data)
        return Response(InspectionSerializer(self.get_queryset().get(pk=inspection.pk)).data)


@extend_schema(tags=["hazards"])
class CriteriaMatchView(APIView):
    """The situations (情形) of 《煤矿重大事故隐患判定标准》 a description most likely falls under, best first, and
    whether it likely is a major hazard (hazards.criteria.match; its measured quality: docs/criteria-matcher.md).

    Any signed-in user, the read-only roles too: it reads nothing of anyone's and writes nothing; POST only because
    the description is the body."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="按《煤矿重大事故隐患判定标准》匹配隐患内容",
        request=CriteriaMatchInputSerializer,
        responses=CriteriaMatchResultSerializer,
    )
    def post(self, request):
        serializer = CriteriaMatchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = criteria.match(data["text"], location=data["location"], specialty=data["specialty"])
        matches = [
            {"category": m.category, "item": m.item, "article": m.article, "text": m.text, "score": m.score}
            for m in result.matches
        ]
        return Response({"likely_major": result.likely_major, "matches": matches})
