"""`/api/v1/suspensions/` (list, detail) and `/api/v1/resumption-applications/` (list, detail, POST = the mine applies,
`…/{id}/decide/` = the bureau accepts or refuses): the same visibility as the pages (a mine its own, an enterprise
its mines, the bureau its county; another tenant's is 404), a mine that decides 403, a wrong state 409."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api import VisibleQuerysetMixin, VisibleReadOnlyViewSet
from core.concurrency import RowVersionAPIMixin
from core.errors import NotPermitted

from . import services
from .permissions import can_decide_resumption
from .selectors import resumption_list, suspension_list
from .services.suspension import NOT_DECIDER
from .suspension_filters import ResumptionFilter, SuspensionFilter
from .suspension_serializers import (
    ApplySerializer,
    DecideSerializer,
    ResumptionApplicationSerializer,
    SuspensionSerializer,
)


@extend_schema(tags=["enforcement"])
class SuspensionViewSet(VisibleReadOnlyViewSet):
    serializer_class = SuspensionSerializer
    filterset_class = SuspensionFilter
    selector = staticmethod(suspension_list)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("hazards", "applications")


@extend_schema(tags=["enforcement"])
class ResumptionApplicationViewSet(
    RowVersionAPIMixin,
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ResumptionApplicationSerializer
    filterset_class = ResumptionFilter
    selector = staticmethod(resumption_list)
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=ApplySerializer, responses={201: ResumptionApplicationSerializer})
    def create(self, request):
        serializer = ApplySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = services.resumption_apply(
            actor=request.user, suspension=data["suspension"], self_check=data["self_check"], files=data["files"]
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=application.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=DecideSerializer, responses=ResumptionApplicationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        application = self.get_object()
        # Who may decide is answered before the body is read: a mine posting an empty body is told 403, not 400.
        if not can_decide_resumption(request.user, application.suspension.mine):
            raise NotPermitted(NOT_DECIDER)
        serializer = DecideSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        row_version = self.expected_row_version(application, data)
        services.resumption_decide(actor=request.user, application=application, row_version=row_version, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)
