"""停产整顿 to 复产验收.

An open major hazard suspends its mine at once (hazards.services.mine_refresh_status); the enforcement app records
that as a `Suspension`: since when, which hazards caused it, the status the mine had before (正常生产, 基建, 长期停产),
and the 责令停产整顿指令书 the bureau issues. Closing the last major hazard does not end it: the mine applies for
复产验收 (`ResumptionApplication`) with its self-check and scans; the bureau accepts or refuses it with a
复产验收意见书. Only acceptance ends the suspension and puts back the status the mine had before."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import MineStatus
from core import bounds
from core.concurrency import RowVersioned
from core.files import StoredFile, random_upload_name
from core.history import AuditTrail
from core.scoping import MineScopedQuerySet

#: what a suspension may restore: every status but 停产整顿 itself
RESTORABLE_STATUSES = [(value, label) for value, label in MineStatus.choices if value != MineStatus.SUSPENDED]


class SuspensionStatus(models.TextChoices):
    ACTIVE = "active", "停产整顿中"
    RESUMED = "resumed", "已复产"
    #: an undone import took away the only hazards that caused it before any order was issued (a typing mistake,
    #: not a suspension: see services.suspension)
    WITHDRAWN = "withdrawn", "已撤销"


class SuspensionQuerySet(MineScopedQuerySet):
    def active(self):
        return self.filter(status=SuspensionStatus.ACTIVE)


class Suspension(RowVersioned, models.Model):
    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="suspensions")
    started_on = models.DateField("停产整顿日期")
    reason = models.TextField("停产整顿原因", blank=True, validators=[bounds.long_text()])
    hazards = models.ManyToManyField(
        "hazards.Hazard",
        verbose_name="导致停产整顿的重大事故隐患",
        blank=True,
        related_name="suspensions",
        through="SuspensionHazard",
    )
    previous_status = models.CharField(
        "停产整顿前的生产状态", max_length=16, choices=RESTORABLE_STATUSES, default=MineStatus.NORMAL
    )
    order = models.ForeignKey(
        "enforcement.EnforcementDocument",
        verbose_name="责令停产整顿指令书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    status = models.CharField("状态", max_length=12, choices=SuspensionStatus.choices, default=SuspensionStatus.ACTIVE)
    ended_on = models.DateField("复产日期", null=True, blank=True)
    resumption = models.ForeignKey(
        "enforcement.ResumptionApplication",
        verbose_name="复产验收申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = SuspensionQuerySet.as_manager()
    history = AuditTrail(excluded_fields=["updated_at"], verbose_name="停产整顿修改记录")

    class Meta:
        verbose_name = verbose_name_plural = "停产整顿"
        ordering = ["-started_on", "-id"]
        constraints = [
            # the hazards signal may arrive twice for one mine (two hazards, a retried import): one open record
            models.UniqueConstraint(
                fields=["mine"], condition=Q(status="active"), name="one_active_suspension_per_mine"
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True) | (~Q(status="active") & Q(ended_on__isnull=False)),
                name="suspension_ended_once_not_active",
            ),
        ]
        indexes = [models.Index(fields=["mine", "status"]), models.Index(fields=["status", "-started_on"])]

    def __str__(self):
        return f"{self.mine} 停产整顿（{self.started_on:%Y-%m-%d}起）"

    @property
    def is_active(self):
        return self.status == SuspensionStatus.ACTIVE


class SuspensionHazard(models.Model):
    """A hazard that caused a suspension. The link goes with the hazard when an import is undone (core.ledger_import
    reads `follows_import_undo`): it is the ledger's own consequence, not a step someone took on the hazard; the
    suspension itself is then withdrawn or kept by services.suspension."""

    follows_import_undo = True

    suspension = models.ForeignKey(Suspension, on_delete=models.CASCADE, related_name="+")
    hazard = models.ForeignKey("hazards.Hazard", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "停产整顿隐患"
        constraints = [models.UniqueConstraint(fields=["suspension", "hazard"], name="suspension_hazard_once")]

    def __str__(self):
        return f"{self.suspension_id}:{self.hazard_id}"


class ResumptionStatus(models.TextChoices):
    PENDING = "pending", "待验收"
    ACCEPTED = "accepted", "验收通过"
    REFUSED = "refused", "验收不通过"


class ResumptionQuerySet(MineScopedQuerySet):
    scope_path = "suspension__mine"


class ResumptionApplication(RowVersioned, models.Model):
    """复产验收申请: the mine's request, with its self-check and scans, and the bureau's decision on it."""

    suspension = models.ForeignKey(
        Suspension, verbose_name="停产整顿", on_delete=models.PROTECT, related_name="applications"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_on = models.DateField("申请日期")
    self_check = models.TextField("自查整改情况", validators=[bounds.long_text()])
    status = models.CharField("状态", max_length=10, choices=ResumptionStatus.choices, default=ResumptionStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="验收人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField("验收日期", null=True, blank=True)
    checked = models.TextField("验收情况", blank=True, validators=[bounds.long_text()])
    opinion = models.TextField("验收意见", blank=True, validators=[bounds.long_text()])
    opinion_document = models.ForeignKey(
        "enforcement.EnforcementDocument",
        verbose_name="复产验收意见书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ResumptionQuerySet.as_manager()
    history = AuditTrail(excluded_fields=["updated_at"], verbose_name="复产验收申请修改记录")

    class Meta:
        verbose_name = verbose_name_plural = "复产验收申请"
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suspension"], condition=Q(status="pending"), name="one_pending_resumption_per_suspension"
            ),
        ]

    def __str__(self):
        return f"{self.suspension.mine} 复产验收申请（{self.submitted_on:%Y-%m-%d}）"

    @property
    def is_pending(self):
        return self.status == ResumptionStatus.PENDING

    @property
    def mine(self):
        return self.suspension.mine


def resumption_file_path(instance, filename):
    return random_upload_name("enforcement/resumption", instance.content_type)


class ResumptionFileQuerySet(MineScopedQuerySet):
    scope_path = "application__suspension__mine"


class ResumptionFile(StoredFile):
    """A scan or photo of the mine's application (整改报告、自查验收表、现场照片), its type checked by content."""

    application = models.ForeignKey(
        ResumptionApplication, verbose_name="复产验收申请", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=resumption_file_path)

    objects = ResumptionFileQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "复产验收申请材料"
        ordering = ["uploaded_at", "id"]


class SuspensionEvent(models.Model):
    """One step of a suspension or of one of its applications: who, when, what."""

    suspension = models.ForeignKey(Suspension, verbose_name="停产整顿", on_delete=models.CASCADE, related_name="events")
    application = models.ForeignKey(
        ResumptionApplication,
        verbose_name="复产验收申请",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField("操作", max_length=40)
    note = models.TextField("说明", blank=True, validators=[bounds.note_text()])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "停产整顿办理记录"
        ordering = ["at", "id"]

    def __str__(self):
        return self.action
