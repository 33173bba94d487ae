"""`/api/v1/penalty-cases/`: the cases as the pages show them (a mine its own, once served; another tenant's is 404),
and 立案 for the bureau's inspectors (a mine 403)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core.api import VisibleQuerysetMixin
from core.concurrency import RowVersionAPIMixin
from core.errors import NotPermitted
from core.permissions import may

from . import services
from .penalty_filters import PenaltyCaseFilter
from .penalty_serializers import PenaltyCaseSerializer, PenaltyCaseWriteSerializer
from .selectors import penalty_case_list


@extend_schema(tags=["enforcement"])
class PenaltyCaseViewSet(
    RowVersionAPIMixin,
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PenaltyCaseSerializer
    filterset_class = PenaltyCaseFilter
    selector = staticmethod(penalty_case_list)

    @extend_schema(request=PenaltyCaseWriteSerializer, responses={201: PenaltyCaseSerializer})
    def create(self, request):
        if not may(request.user, "enforcement.handle_penalty"):
            raise NotPermitted("行政处罚案件由县局执法人员立案。")
        serializer = PenaltyCaseWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        case = services.penalty_case_open(actor=request.user, **serializer.validated_data)
        case = self.get_queryset().get(pk=case.pk)
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)
