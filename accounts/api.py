import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.authtoken.views import ObtainAuthToken

from core.api import VisibleReadOnlyViewSet
from core.filter_fields import IdFilter

from .models import Mine, MineStatus
from .serializers import MeSerializer, MineSerializer


class TokenView(ObtainAuthToken):
    """POST username and password, get the token. No session authentication here: a browser that is signed in
    must not need a CSRF token to ask for an API token."""

    authentication_classes = []


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
