"""`/api/v1/enforcement-documents/`: the documents as the pages show them (a mine its own, once issued; another
tenant's is 404), each one's .docx, drafting and issuing for the bureau's inspectors (a mine 403)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import VisibleQuerysetMixin
from core.concurrency import RowVersionAPIMixin
from core.documents import DOCX_CONTENT_TYPE
from core.errors import DomainError, NotPermitted
from core.pagination import LedgerPagination
from core.permissions import may
from core.views import docx_response

from . import services
from .documents_filters import DocumentFilter
from .documents_serializers import DocumentSerializer, DocumentWriteSerializer, IssueSerializer
from .docx import document_docx
from .kinds import spec_of
from .selectors import document_list
from .views.documents import NOT_ISSUER, document_filename


@extend_schema(tags=["enforcement"])
class EnforcementDocumentViewSet(
    RowVersionAPIMixin,
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    pagination_class = LedgerPagination  # `?cursor=` pages by position
    selector = staticmethod(document_list)
    #: a city's (province's) regulators draft and issue the city's own documents (at its own inspections); the
    #: service refuses them everything of the counties' (403)
    regulator_actions = ("create", "issue")

    @extend_schema(request=DocumentWriteSerializer, responses={201: DocumentSerializer})
    def create(self, request):
        """A draft (no number until it is issued)."""
        if not (may(request.user, "enforcement.issue") or may(request.user, "accounts.write_above_county")):
            raise NotPermitted(NOT_ISSUER)
        serializer = DocumentWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not spec_of(data["kind"]).drafted_here:
            raise DomainError(f"{spec_of(data['kind']).label}在其办理流程中制作，不在此处起草。", field="kind")
        document = services.document_draft(
            actor=request.user,
            kind=data["kind"],
            mine=data["mine"],
            inspection=data.get("inspection"),
            follows=data.get("follows"),
            officers=data.get("officers", []),
            items=data.get("items", []),
            content=data.get("content"),
        )
        document = self.get_queryset().get(pk=document.pk)
        return Response(self.get_serializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IssueSerializer, responses={200: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Number, date and issue the draft."""
        document = self.get_object()
        serializer = IssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.document_issue(
            actor=request.user,
            document=document,
            issued_on=data.get("issued_on"),
            row_version=self.expected_row_version(document, data),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=document.pk)).data)

    @extend_schema(responses={(200, DOCX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        document = self.get_object()
        return docx_response(document_docx(document), document_filename(document))
