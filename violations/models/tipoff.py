from django.conf import settings
from django.db import models

from core import bounds
from core.scoping import scope_of


class TipoffCategory(models.TextChoices):
    VIOLATION = "violation", "“三违”行为"
    HAZARD = "hazard", "事故隐患"
    OTHER = "other", "其他安全问题"


class TipoffStatus(models.TextChoices):
    RECEIVED = "received", "已受理"
    HANDLING = "handling", "核查中"
    CLOSED = "closed", "已办结"


class TipoffQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tip-offs are the bureau's to triage; mines and enterprises never see who reported what."""
        scope = scope_of(user)
        return self.filter(scope.bureau_q("bureau")) if scope.bureau_desk else self.none()


class Tipoff(models.Model):
    """匿名举报. Deliberately stores nothing about the reporter: no account, no IP address, no exact time."""

    bureau = models.ForeignKey(
        "accounts.Organization", verbose_name="受理单位", on_delete=models.PROTECT, related_name="tipoffs"
    )
    mine = models.ForeignKey(
        "accounts.Mine", verbose_name="被举报煤矿", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mine_text = models.CharField("煤矿（举报人填写）", max_length=100, blank=True)
    category = models.CharField("举报类型", max_length=12, choices=TipoffCategory.choices)
    location = models.CharField("地点", max_length=200, blank=True)
    occurred_on = models.DateField("发生日期", null=True, blank=True, validators=[bounds.past_date])
    content = models.TextField("举报内容", validators=[bounds.note_text()])
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    received_on = models.DateField("受理日期", validators=[bounds.past_date])
    status = models.CharField("办理状态", max_length=10, choices=TipoffStatus.choices, default=TipoffStatus.RECEIVED)
    public_reply = models.TextField("答复（举报人可见）", blank=True, validators=[bounds.note_text()])
    replied_on = models.DateField("答复日期", null=True, blank=True, validators=[bounds.past_date])
    internal_note = models.TextField("内部处理记录", blank=True, validators=[bounds.note_text()])
    violation = models.ForeignKey(
        "violations.Violation",
        verbose_name="转为“三违”",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name="转为隐患", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TipoffQuerySet.as_manager()

    class Meta:
        verbose_name = "匿名举报"
        verbose_name_plural = "匿名举报"
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"举报 {self.tracking_code}"
