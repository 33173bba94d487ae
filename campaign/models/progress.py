from django.conf import settings
from django.db import models

from core import bounds
from core.concurrency import RowVersioned
from core.files import StoredFile, random_upload_name
from core.history import AuditTrail
from core.scoping import OrganizationScopedQuerySet


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"
    NOT_APPLICABLE = "not_applicable", "不适用"


class VerificationState(models.TextChoices):
    """Where a self-declared item stands with the bureau (核验). The API's item `state` (DESIGN.md)."""

    NOT_STARTED = "not_started", "未申报"
    DECLARED = "declared", "待核验"
    VERIFIED = "verified", "已核验"
    RETURNED = "returned", "已退回"


#: an item returned this many times is flagged (列表筛选和标记): the unit and the bureau do not agree on it
FLAG_AFTER_RETURNS = 2


class RequirementProgress(RowVersioned, models.Model):
    """One organisation's progress on one item of the notice's task list."""

    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="单位", on_delete=models.PROTECT, related_name="progress"
    )
    requirement = models.ForeignKey(
        "campaign.Requirement", verbose_name="任务事项", on_delete=models.CASCADE, related_name="progress"
    )
    status = models.CharField("状态", max_length=16, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED)
    figure = models.DecimalField(
        "完成数量", max_digits=12, decimal_places=2, null=True, blank=True, validators=bounds.figure("完成数量")
    )
    reason = models.CharField("不适用理由", max_length=300, blank=True)
    note = models.TextField("落实情况", blank=True, validators=[bounds.note_text()])
    filled_from_records = models.BooleanField(
        "系统根据记录填写", default=False, help_text="由培训、人员定位、零点班、调度和“三违”记录自动得出，不能手工修改"
    )
    evidence_url = models.CharField("证据链接", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # 核验 of a self-declared item (campaign.verification): each declaration of 已完成 is a frozen ProgressDeclaration;
    # the bureau verifies it or returns it with a reason. Items proven by records are never verified by hand.
    state = models.CharField(
        "核验状态", max_length=12, choices=VerificationState.choices, default=VerificationState.NOT_STARTED
    )
    declarations = models.PositiveIntegerField(
        "申报版本数", default=0, validators=[bounds.at_most(bounds.MAX_ORDER, "申报版本数")]
    )
    times_returned = models.PositiveIntegerField(
        "退回次数", default=0, validators=[bounds.at_most(bounds.MAX_ORDER, "退回次数")]
    )
    return_reason = models.TextField("退回理由", blank=True, validators=[bounds.note_text()])

    objects = OrganizationScopedQuerySet.as_manager()

    history = AuditTrail(verbose_name="任务落实修改记录")

    class Meta:
        verbose_name = "任务落实情况"
        verbose_name_plural = "任务落实情况"
        constraints = [
            models.UniqueConstraint(fields=["organization", "requirement"], name="progress_one_per_org_item"),
            models.CheckConstraint(
                condition=~models.Q(status="not_applicable") | ~models.Q(reason=""), name="progress_na_needs_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["requirement", "status"], name="progress_item_status"),
            models.Index(fields=["state", "updated_at"], name="progress_verification_queue"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.requirement.code} {self.get_status_display()}"

    @property
    def flagged(self):
        """Returned twice or more (多次退回): shown with a badge and offered as a filter."""
        return self.times_returned >= FLAG_AFTER_RETURNS

    @property
    def meets_target(self):
        """Whether the figure satisfies the item's numeric target (None when the item has none)."""
        r = self.requirement
        if r.target_min is None and r.target_max is None:
            return None
        if self.figure is None:
            return False
        return (r.target_min is None or self.figure >= r.target_min) and (
            r.target_max is None or self.figure <= r.target_max
        )


def evidence_path(instance, filename):
    return random_upload_name("progress", instance.content_type)


class ProgressEvidence(StoredFile):
    progress = models.ForeignKey(
        RequirementProgress, verbose_name="落实情况", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField("文件", upload_to=evidence_path)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at"]


class DeclarationReview(models.TextChoices):
    PENDING = "pending", "待核验"
    VERIFIED = "verified", "已核验"
    RETURNED = "returned", "已退回"


class DeclarationQuerySet(OrganizationScopedQuerySet):
    scope_path = "progress__organization"


class ProgressDeclaration(models.Model):
    """One declaration of a self-declared item as done, frozen (like a submitted version of a 报送): what the unit
    declared, with which files, and what the bureau said of it. Kept whatever happens next."""

    progress = models.ForeignKey(
        RequirementProgress, verbose_name="落实情况", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本", validators=[bounds.at_most(bounds.MAX_ORDER, "版本")])
    status = models.CharField("状态", max_length=16, choices=ProgressStatus.choices)
    figure = models.DecimalField(
        "完成数量", max_digits=12, decimal_places=2, null=True, blank=True, validators=bounds.figure("完成数量")
    )
    note = models.TextField("落实情况", blank=True, validators=[bounds.note_text()])
    files = models.JSONField("佐证材料", default=list, blank=True, help_text="申报时的佐证材料：[{id, name}]")
    declared_at = models.DateTimeField("申报时间", validators=[bounds.past_date])
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    review = models.CharField(
        "核验结果", max_length=10, choices=DeclarationReview.choices, default=DeclarationReview.PENDING
    )
    review_reason = models.TextField("核验意见", blank=True, validators=[bounds.note_text()])
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核验人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("核验时间", null=True, blank=True, validators=[bounds.past_date])

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = "任务申报版本"
        verbose_name_plural = "任务申报版本"
        ordering = ["progress", "number"]
        constraints = [models.UniqueConstraint(fields=["progress", "number"], name="progress_declaration_unique")]

    def __str__(self):
        return f"{self.progress} 第{self.number}版"
