from django.conf import settings
from django.db import models

from core import bounds
from core.concurrency import RowVersioned
from core.files import StoredFile, random_upload_name
from core.history import AuditTrail
from core.scoping import OrganizationScopedQuerySet

from .content import manual_fields, narrative_fields


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


class SubmittedKeptQuerySet(OrganizationScopedQuerySet):
    """Deletes drafts only: a queryset holding anything ever submitted refuses to delete."""

    def delete(self):
        if self.exclude(versions_submitted=0).exists():
            raise ProtectedRecord("已报送的内容不能删除。")
        return super().delete()


class ProtectedRecord(Exception):
    """Deleting what was submitted is refused: it is evidence of what was sent and when."""


class Submission(RowVersioned, models.Model):
    """What one organisation sends for one deadline (报送). One row per (organisation, deadline);
    every time it is sent a frozen `SubmissionVersion` is kept."""

    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="报送单位", on_delete=models.PROTECT, related_name="submissions"
    )
    deadline = models.ForeignKey(
        "campaign.Deadline", verbose_name="报送事项", on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField("状态", max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    #: how many versions were sent (0: a draft never sent); the API calls it `version`, the number of the latest
    versions_submitted = models.PositiveIntegerField(
        "已报送版本数", default=0, validators=[bounds.at_most(bounds.MAX_ORDER, "已报送版本数")]
    )
    content = models.JSONField("内容（草稿）", default=dict, blank=True)
    submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True, validators=[bounds.past_date])
    late = models.BooleanField("逾期报送", default=False)
    days_late = models.PositiveIntegerField(
        "逾期天数", default=0, validators=[bounds.at_most(bounds.MAX_ORDER, "逾期天数", " 天")]
    )
    return_reason = models.TextField("退回理由", blank=True, validators=[bounds.note_text()])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = SubmittedKeptQuerySet.as_manager()

    history = AuditTrail(verbose_name="报送修改记录")

    class Meta:
        verbose_name = "报送"
        verbose_name_plural = "报送"
        ordering = ["deadline__due_on", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "deadline"], name="submission_one_per_org_deadline")
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="submission_review_queue")]

    def __str__(self):
        return f"{self.organization} · {self.deadline.name}"

    def delete(self, *args, **kwargs):
        if self.versions_submitted:
            raise ProtectedRecord("已报送的内容不能删除。")
        return super().delete(*args, **kwargs)

    @property
    def editable(self):
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)

    def history_change_text(self, field_name, old, new):
        """修改记录 of `content`: which parts changed, by the labels the form shows (core.history asks this)."""
        if field_name != "content":
            return None
        old, new = old or {}, new or {}
        kind = self.deadline.kind
        parts = []
        for section, fields in (
            ("narrative", [(name, label) for name, label, _ in narrative_fields(kind)]),
            ("manual", manual_fields(kind)),
        ):
            before, after = old.get(section) or {}, new.get(section) or {}
            parts += [label for name, label in fields if (before.get(name) or "") != (after.get(name) or "")]
        for section, label in CONTENT_PARTS.items():
            if old.get(section) != new.get(section):
                parts.append(label)
        return f"修改了{'、'.join(parts)}" if parts else "内容未变"


#: the parts of a submission's content the system fills in, as 修改记录 names them
CONTENT_PARTS = {
    "figures": "台账数据（报送时按台账固定）",
    "hazard_list": "问题隐患清单和整改清单",
    "attachments": "附件清单",
}


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "通过"
    RETURNED = "returned", "退回"


class SubmissionVersion(models.Model):
    """A submitted version, frozen: what was sent, when, and what the bureau said of it."""

    submission = models.ForeignKey(Submission, verbose_name="报送", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本", validators=[bounds.at_most(bounds.MAX_ORDER, "版本")])
    content = models.JSONField("内容")
    submitted_at = models.DateTimeField("报送时间", validators=[bounds.past_date])
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_status = models.CharField(
        "审核结果", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_reason = models.TextField("审核意见", blank=True, validators=[bounds.note_text()])
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, validators=[bounds.past_date])

    class Meta:
        verbose_name = "报送版本"
        verbose_name_plural = "报送版本"
        ordering = ["submission", "number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="submission_version_unique")]

    def __str__(self):
        return f"{self.submission} 第{self.number}版"

    def delete(self, *args, **kwargs):
        raise ProtectedRecord("已报送的版本不能删除。")


def attachment_path(instance, filename):
    return random_upload_name("submissions", instance.content_type)


class SubmissionFile(StoredFile):
    submission = models.ForeignKey(Submission, verbose_name="报送", on_delete=models.PROTECT, related_name="files")
    file = models.FileField("文件", upload_to=attachment_path)
    first_version = models.PositiveIntegerField(
        "首次报送于版本", null=True, blank=True, validators=[bounds.at_most(bounds.MAX_ORDER, "版本")]
    )

    class Meta:
        verbose_name = "报送附件"
        verbose_name_plural = "报送附件"
        ordering = ["uploaded_at"]


class SubmissionUrge(models.Model):
    """A 催报: the bureau urged one organisation to send what it owes for one deadline. One row per (deadline,
    organisation, day), the same as the notice's key, so urging again the same day — a second click, a colleague, the
    whole column after one cell — sends and records nothing more. Kept as the record of who urged whom and when."""

    deadline = models.ForeignKey(
        "campaign.Deadline", verbose_name="报送事项", on_delete=models.PROTECT, related_name="urges"
    )
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="被催报单位", on_delete=models.PROTECT, related_name="submission_urges"
    )
    # Set by the service from the clock, never typed, sent or imported: not editable.
    urged_on = models.DateField("催报日期", editable=False)
    urged_at = models.DateTimeField("催报时间", editable=False)
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="催报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.PositiveIntegerField("通知人数", default=0, editable=False)

    objects = OrganizationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "催报记录"
        verbose_name_plural = "催报记录"
        ordering = ["-urged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "organization", "urged_on"], name="submission_urge_once_a_day")
        ]

    def __str__(self):
        return f"{self.organization} · {self.deadline.name} · {self.urged_on:%Y-%m-%d}"
