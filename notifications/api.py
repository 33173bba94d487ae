"""`/api/v1/notifications/`: the signed-in user's own notices, newest first (DESIGN §4)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import WritesAllowed
from core.converters import ID_REGEX

from . import services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="topic", read_only=True, help_text="通知类别，如 submission_reviewed")
    read = serializers.SerializerMethodField(help_text="是否已读")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "level", "read", "created_at"]

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Only the user's own notices: anybody else's is the same 404 as one that does not exist. Like every API
    viewset, it writes nothing for the read-only leader (who marks notices read on the page)."""

    serializer_class = NotificationSerializer
    lookup_value_regex = ID_REGEX
    queryset = Notification.objects.none()  # for the schema; the real rows are the user's own, below
    permission_classes = [*viewsets.GenericViewSet.permission_classes, WritesAllowed]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema is drawn without a user
            return Notification.objects.none()
        return Notification.objects.filter(recipient=self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.notification_mark_read(user=request.user, notification_id=notification.pk)
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)
