from django.conf import settings
from django.db import models
from django.db.models import Q

from core.scoping import mine_scope_q


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An organisation's own submissions; an enterprise also its mines'; the bureau all under it."""
        if not user or not user.is_authenticated:
            return self.none()
        if user.organization_id is None:
            return self.all() if user.is_superuser else self.none()
        org = user.organization
        if org.kind == "mine":
            return self.filter(organization_id=org.pk)
        if org.kind == "enterprise":
            return self.filter(Q(organization_id=org.pk) | Q(organization__parent_id=org.pk))
        return self.filter(mine_scope_q(user, "organization"))


class Submission(models.Model):
    """What one organisation sends for one deadline (报送). One row per (organisation, deadline)."""

    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="报送单位", on_delete=models.PROTECT, related_name="submissions"
    )
    deadline = models.ForeignKey(
        "campaign.Deadline", verbose_name="报送事项", on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField("状态", max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    version = models.PositiveIntegerField("已报送版本数", default=0)
    content = models.JSONField("内容", default=dict, blank=True)
    submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
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

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "报送"
        verbose_name_plural = "报送"
        ordering = ["deadline__due_on", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "deadline"], name="submission_one_per_org_deadline")
        ]

    def __str__(self):
        return f"{self.organization} · {self.deadline.name}"
