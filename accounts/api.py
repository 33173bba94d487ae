import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from core.api import VisibleQuerysetMixin, VisibleReadOnlyViewSet
from core.concurrency import RowVersionAPIMixin
from core.filter_fields import IdFilter

from . import selectors, services
from .authentication import refuse_until_password_changed
from .models import Mine, MineStatus, MineSupervisor, Organization, OrganizationKind
from .serializers import (
    MeSerializer,
    MineSerializer,
    MineSupervisorSerializer,
    MineSupervisorWriteSerializer,
    OrganizationSerializer,
)


class TokenView(ObtainAuthToken):
    """POST username and password, get the token. No session authentication here: a browser that is signed in
    must not need a CSRF token to ask for an API token.

    An account that must still change its initial password gets no token (403): the password is one an administrator
    chose. The token is the user's one token until the password changes or the account is deactivated; then it is
    deleted (accounts.signals) and the next request here gets a new key."""

    authentication_classes = []

    @extend_schema(
        summary="获取 API 令牌",
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("AuthTokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="用户名或密码不正确（或账号已暂时锁定）"),
            403: OpenApiResponse(description="请先在网页上修改初始密码"),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        refuse_until_password_changed(user)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(generics.RetrieveAPIView):
    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class MineFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="生产状态", choices=MineStatus.choices)
    enterprise = IdFilter(label="主体企业", field_name="parent_id")
    name = django_filters.CharFilter(label="名称", lookup_expr="icontains")

    class Meta:
        model = Mine
        fields = ["status", "enterprise", "name"]


@extend_schema(tags=["mines"])
class MineViewSet(VisibleReadOnlyViewSet):
    serializer_class = MineSerializer
    filterset_class = MineFilter

    def get_base_queryset(self):
        return (
            Mine.objects.select_related("parent")
            .prefetch_related(selectors.active_supervisions())
            .order_by("name", "pk")
        )


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=OrganizationKind.choices)
    parent = IdFilter(label="上级单位", field_name="parent_id")
    division_code = django_filters.CharFilter(label="行政区划代码", max_length=6)
    name = django_filters.CharFilter(label="名称", lookup_expr="icontains")

    class Meta:
        model = Organization
        fields = ["kind", "parent", "division_code", "name"]


@extend_schema(tags=["organizations"])
class OrganizationViewSet(VisibleReadOnlyViewSet):
    """Every organisation the user sees, of every level, top down: a province its cities, their counties and what is
    under them; a county its enterprises and mines; an enterprise itself and its mines; a mine itself. `division_code`
    lets another system match its own records (GB/T 2260)."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter

    def get_base_queryset(self):
        return selectors.organizations_top_down(Organization.objects.all())


class MineSupervisorFilter(django_filters.FilterSet):
    mine = IdFilter(label="煤矿", field_name="mine_id")
    supervisor = django_filters.CharFilter(label="监管专员（用户名）", field_name="supervisor__username")

    class Meta:
        model = MineSupervisor
        fields = ["mine", "supervisor"]


@extend_schema(tags=["mines"])
class MineSupervisorViewSet(
    RowVersionAPIMixin,
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """监管专员包保: everyone reads those of the mines they see; the bureau's inspectors assign, change and remove
    them (the leadership group: 403; another county's: 404)."""

    serializer_class = MineSupervisorSerializer
    filterset_class = MineSupervisorFilter
    selector = staticmethod(selectors.supervisor_list)

    def _respond(self, assignment, code=status.HTTP_200_OK):
        assignment = self.get_queryset().get(pk=assignment.pk)
        return Response(self.get_serializer(assignment).data, status=code)

    def _input(self, **kwargs):
        serializer = MineSupervisorWriteSerializer(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=MineSupervisorWriteSerializer, responses={201: MineSupervisorSerializer})
    def create(self, request):
        data = self._input()
        data.pop("row_version", None)
        return self._respond(services.mine_supervisor_assign(actor=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=MineSupervisorWriteSerializer, responses=MineSupervisorSerializer)
    def partial_update(self, request, pk=None):
        assignment = self.get_object()
        data = self._input(partial=True)
        data.pop("mine", None)  # an assignment stays with its mine: remove it and assign anew
        row_version = self.expected_row_version(assignment, data)
        return self._respond(
            services.mine_supervisor_update(actor=request.user, assignment=assignment, row_version=row_version, **data)
        )

    def destroy(self, request, pk=None):
        assignment = self.get_object()
        row_version = self.expected_row_version(assignment, self._input(partial=True))
        services.mine_supervisor_remove(actor=request.user, assignment=assignment, row_version=row_version)
        return Response(status=status.HTTP_204_NO_CONTENT)
