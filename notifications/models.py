from django.conf import settings
from django.db import models

from core import bounds
from core.scoping import ScopedQuerySet

from .kinds import NoticeKind


class Level(models.TextChoices):
    INFO = "info", "提示"
    WARNING = "warning", "提醒"
    DANGER = "danger", "警告"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    SKIPPED = "skipped", "不发送"
    FAILED = "failed", "发送失败"


class Notification(models.Model):
    """A notice to one user. `key` names what it is about and which step (e.g. the 3-day reminder of one
    deadline for one organisation); the unique constraint makes every sweep safe to run twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    topic = models.CharField("类别", max_length=40)
    key = models.CharField("唯一键", max_length=200)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True, validators=[bounds.long_text()])
    url = models.CharField("链接", max_length=300, blank=True)
    level = models.CharField("级别", max_length=10, choices=Level.choices, default=Level.INFO)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True, validators=[bounds.past_date])
    email_status = models.CharField("邮件", max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True, validators=[bounds.past_date])

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_status", "id"], name="notification_outbox"),
            models.Index(fields=["key"], name="notification_key"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"


# ---------------------------------------------------------------- channels beyond the bell (issue 23 item 2)


class Channel(models.TextChoices):
    SMS = "sms", "短信"
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


#: the channels that post to a group robot of an organisation (one message per notice, whoever it went to)
ROBOT_CHANNELS = (Channel.WECOM, Channel.DINGTALK)


class RobotKind(models.TextChoices):
    WECOM = "wecom", "企业微信"
    DINGTALK = "dingtalk", "钉钉"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "失败"
    SKIPPED = "skipped", "已跳过"


class OrganizationRowQuerySet(ScopedQuerySet):
    """Rows an organisation owns (its robots, its deliveries): a bureau sees its own and its units'."""

    scope_path = "organization"
    scope_owned = True


class Robot(models.Model):
    """A group robot (企业微信 or 钉钉) of an organisation: its webhook address and, for 钉钉, the 加签 secret. The
    secret is shown on no page and written to no log; the address is checked against NOTICE_WEBHOOK_ALLOWED_HOSTS
    when saved and again when used, so it cannot be pointed at a machine inside the network."""

    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="所属单位", on_delete=models.CASCADE, related_name="notice_robots"
    )
    kind = models.CharField("类型", max_length=10, choices=RobotKind.choices)
    name = models.CharField("名称", max_length=60)
    webhook_url = models.URLField("Webhook 地址", max_length=500)
    secret = models.CharField("加签密钥", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = OrganizationRowQuerySet.as_manager()

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["organization_id", "kind", "name", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.name}"

    @property
    def channel(self):
        return Channel.WECOM if self.kind == RobotKind.WECOM else Channel.DINGTALK

    @property
    def masked_url(self):
        from core.masking import mask

        return mask(self.webhook_url)


class QuietHours(models.Model):
    """An organisation's quiet hours (local time): non-urgent notices wait for their end. Without a row the settings'
    defaults (NOTICE_QUIET_HOURS_START / _END) apply; start = end means no quiet hours."""

    organization = models.OneToOneField(
        "accounts.Organization", verbose_name="单位", on_delete=models.CASCADE, related_name="quiet_hours"
    )
    start = models.TimeField("免打扰开始")
    end = models.TimeField("免打扰结束")

    class Meta:
        verbose_name = "免打扰时段"
        verbose_name_plural = "免打扰时段"

    def __str__(self):
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


class ChannelPreference(models.Model):
    """Which channels a kind of notice goes to, beyond the bell (and e-mail, kept by the user's own switch): of one
    user (短信 to the user's phone) or of one organisation (its robots, and 短信 for its people who chose nothing)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="channel_preferences",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="channel_preferences",
    )
    kind = models.CharField("通知类别", max_length=20, choices=NoticeKind.choices)
    channels = models.JSONField("渠道", default=list, blank=True)

    class Meta:
        verbose_name = "通知渠道设置"
        verbose_name_plural = "通知渠道设置"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=True, organization__isnull=False)
                | models.Q(user__isnull=False, organization__isnull=True),
                name="channel_preference_one_owner",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"], condition=models.Q(user__isnull=False), name="channel_preference_user_kind"
            ),
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=models.Q(organization__isnull=False),
                name="channel_preference_org_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{'、'.join(self.channels) or '仅站内'}"


class Delivery(models.Model):
    """One notice by one channel to one target (a phone number, a robot): the outbox row a worker sends, retries
    with backoff and finally marks sent, failed or skipped. A robot's row is unique per notice key, so a notice that
    went to five inspectors of a bureau reaches its group once."""

    notification = models.ForeignKey(
        Notification, verbose_name="通知", on_delete=models.CASCADE, related_name="deliveries"
    )
    key = models.CharField("通知唯一键", max_length=200)
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="单位", on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    target = models.CharField("发送对象", max_length=60)
    robot = models.ForeignKey(
        Robot, verbose_name="群机器人", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    urgent = models.BooleanField("紧急", default=False)
    status = models.CharField("状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0, editable=False)
    next_attempt_at = models.DateTimeField("下次发送时间", editable=False)
    last_attempt_at = models.DateTimeField("上次尝试时间", null=True, blank=True, editable=False)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    objects = OrganizationRowQuerySet.as_manager()

    class Meta:
        verbose_name = "通知发送记录"
        verbose_name_plural = "通知发送记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel", "target"], name="delivery_once_per_target"),
            models.UniqueConstraint(
                fields=["key", "channel", "target"],
                condition=models.Q(channel__in=["wecom", "dingtalk"]),
                name="delivery_robot_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_outbox"),
            models.Index(fields=["target", "last_attempt_at"], name="delivery_rate"),
            models.Index(fields=["organization", "-created_at"], name="delivery_org_recent"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.get_status_display()}"

    @property
    def masked_target(self):
        from core.masking import mask

        if self.robot_id and self.robot is not None:
            return self.robot.name
        return mask(self.target)
