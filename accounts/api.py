import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from core.api import VisibleReadOnlyViewSet
from core.filter_fields import IdFilter

from .authentication import refuse_until_password_changed
from .models import Mine, MineStatus
from .serializers import MeSerializer, MineSerializer


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
        return Mine.objects.select_related("parent").order_by("name", "pk")
