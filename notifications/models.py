from django.conf import settings
from django.db import models

from core import bounds


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
