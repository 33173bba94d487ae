from django.conf import settings
from django.db import models
from django.db.models import Q

from core import bounds
from core.concurrency import RowVersioned
from core.scoping import scope_of


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published bulletins reach every unit under the bureau; drafts stay with the bureau."""
        scope = scope_of(user)
        q = scope.bureau_q("bureau")
        if not scope.bureau_desk:
            q &= Q(status=BulletinStatus.PUBLISHED)
        return self.filter(q)


class Bulletin(RowVersioned, models.Model):
    """通报: the bureau's monthly bulletin of typical “三违” cases (the notice: at least 2 a month)."""

    bureau = models.ForeignKey(
        "accounts.Organization", verbose_name="发布单位", on_delete=models.PROTECT, related_name="bulletins"
    )
    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name="专项整治", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField("通报月份", max_length=7, help_text="如 2024-11")
    issue_no = models.CharField("期号", max_length=40, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField(
        "通报正文", validators=[bounds.long_text()], help_text="通报的总体情况与要求；典型案例自动列于正文之后"
    )
    cases = models.ManyToManyField(
        "violations.Violation", verbose_name="典型案例", related_name="bulletins", blank=True
    )
    status = models.CharField("状态", max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, validators=[bounds.past_date])
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = "“三违”通报"
        verbose_name_plural = "“三违”通报"
        ordering = ["-period", "-id"]
        indexes = [models.Index(fields=["bureau", "period", "status"], name="bulletin_bureau_period")]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.status == BulletinStatus.PUBLISHED


class BulletinRead(models.Model):
    bulletin = models.ForeignKey(Bulletin, verbose_name="通报", on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("阅读时间", auto_now_add=True)

    class Meta:
        verbose_name = "通报阅读记录"
        verbose_name_plural = "通报阅读记录"
        constraints = [models.UniqueConstraint(fields=["bulletin", "user"], name="bulletin_read_once")]

    def __str__(self):
        return f"{self.user} 已读 {self.bulletin}"
