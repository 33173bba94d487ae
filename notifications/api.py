"""`/api/v1/notifications/`: the signed-in user's own notices, newest first (DESIGN §4)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from core.api import WritesAllowed
from core.converters import ID_REGEX
from core.permissions import may

from . import services
from .models import Channel, Delivery, DeliveryStatus, Notification
from .selectors import deliveries_for


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


class DeliverySerializer(serializers.ModelSerializer):
    """One delivery of a notice by SMS or a group robot; the target is masked (a phone as 138****1234, a robot by its
    name), the error too."""

    notification_title = serializers.CharField(source="notification.title", read_only=True, help_text="通知标题")
    target = serializers.CharField(source="masked_target", read_only=True, help_text="发送对象（已隐去号码）")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "notification",
            "notification_title",
            "channel",
            "target",
            "urgent",
            "status",
            "attempts",
            "next_attempt_at",
            "sent_at",
            "last_error",
            "created_at",
        ]


class DeliveryReaders(BasePermission):
    message = "通知发送记录只供应急管理部门查看。"

    def has_permission(self, request, view):
        return may(request.user, "notifications.read_deliveries")


class NoticeDeliveryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """`/api/v1/notice-deliveries/?status=&channel=`: the delivery status of the notices of the user's bureau."""

    serializer_class = DeliverySerializer
    queryset = Delivery.objects.none()
    permission_classes = [*viewsets.GenericViewSet.permission_classes, WritesAllowed, DeliveryReaders]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        status = self.request.query_params.get("status", "")
        channel = self.request.query_params.get("channel", "")
        # a filter the API does not know is the client's mistake, said so, not silently answered with everything
        problems = {}
        if status and status not in DeliveryStatus.values:
            problems["status"] = [f"状态只能是：{'、'.join(DeliveryStatus.values)}。"]
        if channel and channel not in Channel.values:
            problems["channel"] = [f"渠道只能是：{'、'.join(Channel.values)}。"]
        if problems:
            raise serializers.ValidationError(problems)
        return deliveries_for(self.request.user, status=status, channel=channel)
