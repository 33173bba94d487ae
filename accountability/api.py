"""`/api/v1/accountability-actions/`: the actions as the pages show them (a unit the issued ones naming it or its
mines; another tenant's is 404), each one's .docx; drafting, issuing and the 约谈's follow-up for the bureau's
inspectors (a unit 403)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as api_action
from rest_framework.response import Response

from core.api import VisibleQuerysetMixin
from core.concurrency import RowVersionAPIMixin
from core.documents import DOCX_CONTENT_TYPE
from core.errors import NotPermitted
from core.permissions import may
from core.views import docx_response

from . import services
from .docx import action_docx, action_filename
from .filters import ActionFilter
from .selectors import action_list
from .serializers import ActionFollowUpSerializer, ActionIssueSerializer, ActionSerializer, ActionWriteSerializer
from .views import NOT_ISSUER


@extend_schema(tags=["accountability"])
class AccountabilityActionViewSet(
    RowVersionAPIMixin,
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    selector = staticmethod(action_list)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        services.action_mark_read(user=request.user, action=obj)
        return Response(self.get_serializer(obj).data)

    @extend_schema(request=ActionWriteSerializer, responses={201: ActionSerializer})
    def create(self, request):
        """A draft (no number until it is issued)."""
        if not may(request.user, "accountability.issue"):
            raise NotPermitted(NOT_ISSUER)
        serializer = ActionWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        created = services.action_draft(actor=request.user, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=created.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ActionIssueSerializer, responses={200: ActionSerializer})
    @api_action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Number, date and issue the draft."""
        obj = self.get_object()
        serializer = ActionIssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.action_issue(
            actor=request.user,
            action=obj,
            issued_on=data.get("issued_on"),
            row_version=self.expected_row_version(obj, data),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)

    @extend_schema(request=ActionFollowUpSerializer, responses={200: ActionSerializer})
    @api_action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """Record a 约谈's follow-up (跟踪复查): when and what was found."""
        obj = self.get_object()
        serializer = ActionFollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.summons_follow_up(
            actor=request.user,
            action=obj,
            done_on=data["done_on"],
            result=data["result"],
            row_version=self.expected_row_version(obj, data),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)

    @extend_schema(responses={(200, DOCX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @api_action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        obj = self.get_object()
        return docx_response(action_docx(obj), action_filename(obj))
