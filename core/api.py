from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .converters import ID_REGEX
from .errors import DATABASE_BUSY_MESSAGE, DomainError, StaleEdit, is_database_busy
from .permissions import may


def exception_handler(exc, context):
    """Domain errors answer with their class's status (400 bad input, 403 not permitted, 404 not visible, 409 the
    object's state forbids it) and the Chinese message; never a 500."""
    if isinstance(exc, OverflowError | DataError):
        # A number too large for the database (a forged filter or id): the request is bad, not the server.
        return Response({"detail": "参数超出允许范围。"}, status=400)
    if is_database_busy(exc):
        return Response({"detail": DATABASE_BUSY_MESSAGE}, status=409)
    if isinstance(exc, DomainError):
        status = _domain_status(exc, context)
        # A bad value names its field; a refusal (403/404/409) is about the request as a whole: `detail`.
        key = exc.field if exc.field and status == 400 else "detail"
        return Response({key: [exc.message] if key != "detail" else exc.message}, status=status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到。")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied("您没有执行该操作的权限。")
    return drf_exception_handler(exc, context)


def _domain_status(exc, context):
    if isinstance(exc, StaleEdit):
        request = context.get("request")
        # Precondition Failed when the client named its version in If-Match; Conflict when it sent it in the body.
        return 412 if request is not None and request.headers.get("If-Match") else 409
    return exc.status


class WritesAllowed(permissions.BasePermission):
    """Read-only roles (the leadership group, the regulators above the county) read everything and write nothing:
    every write of a viewset answers 403 before its input is read (accounts.permissions.can_write); what each write
    needs beyond that, its service says."""

    message = (
        "只读账号（领导组成员、市局和省厅监管人员）只能查看，不能登记、修改或审核"
        "（市局、省厅可编制本局的专项整治、审核下级向本局的报送）。"
    )

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or may(request.user, "accounts.write"):
            return True
        # The few writes a regulator above the county makes of its own (reviewing the reports its counties send it):
        # the viewset names those actions, and each one's service checks the rest.
        return getattr(view, "action", None) in getattr(view, "regulator_actions", ()) and may(
            request.user, "accounts.write_above_county"
        )


class VisibleQuerysetMixin:
    """Every API view over a scoped model starts from `visible_to(request.user)`, and writes only for the roles that
    may write at all (`WritesAllowed`).

    Ids in URLs are 1–18 digits, so they always fit the database's bigint.

    Subclasses define `get_base_queryset()` (with select_related etc.); they cannot forget the rule,
    and "not yours" is the same 404 as "not found".
    """

    lookup_value_regex = ID_REGEX
    permission_classes = [permissions.IsAuthenticated, WritesAllowed]

    #: the app's list selector, `selector(user=…)` (it starts from visible_to): the page's read, so page and API
    #: list, filter and export the same rows. Without one, `get_base_queryset()` narrowed by the rule.
    selector = None

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        if self.selector is not None:
            return type(self).selector(user=self.request.user)
        return self.get_base_queryset().visible_to(self.request.user)


class VisibleReadOnlyViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class CreateWithServiceViewSet(
    VisibleQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A list, a detail and a create that goes through the service `service(actor=…, **validated input)`; the answer
    is the created object as the list shows it (read back through the visibility rule)."""

    write_serializer_class = None
    service = None

    def create(self, request):
        from rest_framework import status

        serializer = self.write_serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        created = type(self).service(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=created.pk)).data, status.HTTP_201_CREATED)


def ledger_import_response(request, *, service, mine, upload, only_valid_rows, dry_run=False, mapping=None):
    """The import endpoint's answer: 201 with the counts, warnings and batch, or 400 with every bad row (nothing
    written); with `dry_run`, 200 with the preview (nothing written); 400 with the sheet's headers when a required
    column is not recognised (send a `mapping`)."""
    from rest_framework import status

    from .excel import MissingColumns
    from .ledger_import import ImportRejected

    if mine is None:
        if may(request.user, "accounts.see_several_mines"):
            raise DomainError("请指定导入到哪个煤矿（mine）。", field="mine")
        mine = request.user.organization
    try:
        result = service(
            actor=request.user,
            mine=mine,
            upload=upload,
            only_valid_rows=only_valid_rows,
            dry_run=bool(dry_run),
            mapping=mapping,
        )
    except ImportRejected as exc:
        return Response(
            {"detail": exc.message, "total_rows": exc.total_rows, "errors": [e.as_dict() for e in exc.errors]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    except MissingColumns as exc:
        return Response(
            {
                "detail": exc.message,
                "missing": [{"field": name, "label": label} for name, label in exc.missing],
                "headers": exc.headers,
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if dry_run:
        return Response(result.as_preview_dict(), status=status.HTTP_200_OK)
    return Response(result.as_dict(), status=status.HTTP_201_CREATED)


def ledger_import_schema():
    """The OpenAPI answers of a ledger import with preview and mapping."""
    from drf_spectacular.utils import OpenApiResponse

    from .serializers import ImportPreviewSerializer, ImportResultSerializer

    return {
        200: OpenApiResponse(ImportPreviewSerializer, description="dry_run=true：预览，未写入任何数据"),
        201: OpenApiResponse(ImportResultSerializer, description="已导入（一个导入批次）"),
        400: OpenApiResponse(
            description="{detail, errors: [{row, column, message}]}：有错误行，未导入；"
            "或 {detail, missing: [{field, label}], headers: [...]}：必填列未识别，可用 mapping 手工对应；"
            "或 {detail}：mapping 不是 JSON 对象、字段名或表头不存在"
        ),
    }
