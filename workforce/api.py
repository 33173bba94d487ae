from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from core.api import CreateWithServiceViewSet, VisibleReadOnlyViewSet, ledger_import_response, ledger_import_schema
from core.pagination import CappedLedgerPagination

from . import selectors, services
from .filters import (
    CertificateFilter,
    HandoverFilter,
    PersonFilter,
    PositioningFilter,
    SessionFilter,
    ZeroShiftPlanFilter,
)
from .serializers import (
    CertificateSerializer,
    DispatchHandoverSerializer,
    DispatchHandoverWriteSerializer,
    PersonSerializer,
    PositioningImportSerializer,
    PositioningRecordSerializer,
    RosterImportSerializer,
    TrainingSessionSerializer,
    ZeroShiftPlanSerializer,
    ZeroShiftPlanWriteSerializer,
)


def _import_response(view, request, service, serializer_class):
    serializer = serializer_class(data=request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return ledger_import_response(
        request,
        service=service,
        mine=data.get("mine"),
        upload=data["file"],
        only_valid_rows=data["only_valid_rows"],
        dry_run=data.get("dry_run"),
        mapping=data.get("mapping"),
    )


@extend_schema(tags=["workforce"])
class PersonViewSet(VisibleReadOnlyViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    selector = staticmethod(selectors.person_list)

    @extend_schema(request={"multipart/form-data": RosterImportSerializer}, responses=ledger_import_schema())
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_roster(self, request):
        return _import_response(self, request, services.roster_import, RosterImportSerializer)


@extend_schema(tags=["workforce"])
class TrainingSessionViewSet(VisibleReadOnlyViewSet):
    serializer_class = TrainingSessionSerializer
    filterset_class = SessionFilter

    selector = staticmethod(selectors.session_list)


@extend_schema(tags=["workforce"])
class CertificateViewSet(VisibleReadOnlyViewSet):
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter

    selector = staticmethod(selectors.certificate_list)


@extend_schema(tags=["workforce"])
class PositioningRecordViewSet(VisibleReadOnlyViewSet):
    serializer_class = PositioningRecordSerializer
    pagination_class = CappedLedgerPagination  # page numbers count to 10,000; `?cursor=` pages by position
    filterset_class = PositioningFilter

    selector = staticmethod(selectors.positioning_list)

    @extend_schema(request={"multipart/form-data": PositioningImportSerializer}, responses=ledger_import_schema())
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_records(self, request):
        return _import_response(self, request, services.positioning_import, PositioningImportSerializer)


@extend_schema(tags=["workforce"])
class ZeroShiftPlanViewSet(CreateWithServiceViewSet):
    serializer_class = ZeroShiftPlanSerializer
    write_serializer_class = ZeroShiftPlanWriteSerializer
    filterset_class = ZeroShiftPlanFilter
    service = staticmethod(services.zero_shift_plan_create)

    selector = staticmethod(selectors.zero_shift_plan_list)

    @extend_schema(request=ZeroShiftPlanWriteSerializer, responses={201: ZeroShiftPlanSerializer})
    def create(self, request):
        return super().create(request)


@extend_schema(tags=["workforce"])
class DispatchHandoverViewSet(CreateWithServiceViewSet):
    serializer_class = DispatchHandoverSerializer
    write_serializer_class = DispatchHandoverWriteSerializer
    filterset_class = HandoverFilter
    service = staticmethod(services.dispatch_handover_record)

    selector = staticmethod(selectors.handover_list)

    @extend_schema(request=DispatchHandoverWriteSerializer, responses={201: DispatchHandoverSerializer})
    def create(self, request):
        return super().create(request)
