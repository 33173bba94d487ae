"""`/api/v1/accidents/` and `/api/v1/accident-investigations/`: the register and its 提级调查 as the pages show them
(another tenant's is 404); writes through the same services (a leader 403; deleting an investigated accident 409)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api import VisibleQuerysetMixin, ledger_import_response, ledger_import_schema
from core.concurrency import RowVersionAPIMixin
from core.errors import NotPermitted
from core.permissions import may
from core.replica import reads_from_replica
from core.views import export_title, xlsx_response

from . import selectors, services
from .exports import accident_ledger_workbook
from .filters import AccidentFilter
from .serializers import (
    AccidentImportSerializer,
    AccidentSerializer,
    AccidentWriteSerializer,
    InvestigationCloseSerializer,
    InvestigationSerializer,
    InvestigationWriteSerializer,
)


class _Input:
    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


@extend_schema(tags=["accidents"])
class AccidentViewSet(
    _Input,
    RowVersionAPIMixin,
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AccidentSerializer
    filterset_class = AccidentFilter
    selector = staticmethod(selectors.accident_list)

    def _respond(self, accident, code=status.HTTP_200_OK):
        return Response(AccidentSerializer(self.get_queryset().get(pk=accident.pk)).data, status=code)

    def _readable(self):
        if not may(self.request.user, "accidents.see_register"):
            raise NotPermitted("事故台账由煤矿、主体企业和县局查看。")

    def list(self, request, *args, **kwargs):
        self._readable()
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AccidentWriteSerializer, responses={201: AccidentSerializer})
    def create(self, request):
        accident = services.accident_create(actor=request.user, **self._input(AccidentWriteSerializer))
        return self._respond(accident, status.HTTP_201_CREATED)

    @extend_schema(request=AccidentWriteSerializer, responses=AccidentSerializer)
    def partial_update(self, request, pk=None):
        accident = self.get_object()
        data = dict(self._input(AccidentWriteSerializer, partial=True))
        row_version = self.expected_row_version(accident, data)
        return self._respond(
            services.accident_update(actor=request.user, accident=accident, row_version=row_version, **data)
        )

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.accident_delete(actor=request.user, accident=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request={"multipart/form-data": AccidentImportSerializer}, responses=ledger_import_schema())
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_ledger(self, request):
        data = self._input(AccidentImportSerializer)
        return ledger_import_response(
            request,
            service=services.accidents_import,
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
        self._readable()
        qs = self.filter_queryset(self.get_queryset())
        title = export_title(request, "事故/工伤台账")
        return xlsx_response(accident_ledger_workbook(qs, title=title), f"{title}{timezone.localdate():%Y%m%d}")


@extend_schema(tags=["accidents"])
class InvestigationViewSet(
    _Input,
    RowVersionAPIMixin,
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = InvestigationSerializer
    selector = staticmethod(selectors.investigation_list)

    def _respond(self, investigation):
        return Response(InvestigationSerializer(self.get_queryset().get(pk=investigation.pk)).data)

    @extend_schema(request=InvestigationWriteSerializer, responses=InvestigationSerializer)
    def partial_update(self, request, pk=None):
        investigation = self.get_object()
        data = dict(self._input(InvestigationWriteSerializer, partial=True))
        row_version = self.expected_row_version(investigation, data)
        return self._respond(
            services.investigation_update(
                actor=request.user, investigation=investigation, row_version=row_version, **data
            )
        )

    @extend_schema(request={"multipart/form-data": InvestigationCloseSerializer}, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def close(self, request, pk=None):
        investigation = self.get_object()
        data = self._input(InvestigationCloseSerializer)
        return self._respond(services.investigation_close(actor=request.user, investigation=investigation, **data))
