"""主要负责人检查 (四(四)3): "企业被上级部门查出重大隐患的，在行政处罚的基础上，企业主要负责人向主管部门作出检查".

A row of its own rather than fields on the 一案双查 record (HazardAccountability): that record is the bureau's own
finding, written by its inspectors, one or more per hazard; this is the enterprise's written 检查, owed by a date,
submitted by the mine or its enterprise and received (签收) by the bureau, with its own deadline chased by a sweep.
The row is the duty: it is made when a hazard becomes a major one found by a higher department (source 上级检查), with
its last day set from the campaign's figure then, and carries the 检查 once submitted."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from campaign.figures import LEADER_REVIEW_DAYS, figure_of
from core import bounds
from core.files import random_upload_name, stored_file_response
from core.scoping import MineScopedQuerySet


def leader_review_due(found_on, campaign):
    """The last day of the main leader's 检查: the campaign's days (15 by default) from the day the hazard was found."""
    return found_on + dt.timedelta(days=figure_of(campaign, LEADER_REVIEW_DAYS))


def leader_review_overdue_q(today=None):
    """The one definition of 检查逾期: not submitted and its last day passed (the queryset, the counts, the filter, the
    sweep and the instance property derive from it)."""
    return Q(submitted_at__isnull=True, due_on__lt=today or timezone.localdate())


def leader_review_pending_q():
    """Still the mine's or the bureau's to act on: not submitted, or submitted and not yet received."""
    return Q(received_at__isnull=True)


class LeaderReviewStatus(models.TextChoices):
    AWAITING = "awaiting", "待报送"
    SUBMITTED = "submitted", "待县局签收"
    RECEIVED = "received", "县局已签收"


class LeaderReviewQuerySet(MineScopedQuerySet):
    scope_path = "hazard__mine"

    def overdue(self, today=None):
        return self.filter(leader_review_overdue_q(today))

    def pending(self):
        return self.filter(leader_review_pending_q())


def leader_review_file_path(instance, filename):
    return random_upload_name("leader-reviews", instance.file_type)


class LeaderReview(models.Model):
    hazard = models.OneToOneField(
        "hazards.Hazard", verbose_name="隐患", on_delete=models.CASCADE, related_name="leader_review"
    )
    due_on = models.DateField("报送期限", validators=[bounds.planned_date])
    leader_name = models.CharField("主要负责人", max_length=40, blank=True)
    written_on = models.DateField("检查日期", null=True, blank=True, validators=[bounds.past_date])
    summary = models.TextField("检查要点", blank=True, validators=[bounds.note_text()])
    file = models.FileField("书面检查", upload_to=leader_review_file_path, blank=True)
    file_name = models.CharField("原文件名", max_length=200, blank=True)
    file_type = models.CharField("文件类型", max_length=100, blank=True)
    file_size = models.PositiveIntegerField(
        "文件大小（字节）",
        null=True,
        blank=True,
        validators=[bounds.at_most(bounds.MAX_FILE_BYTES, "文件大小", " 字节")],
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never searched by
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True, validators=[bounds.past_date])
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签收人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never searched by
    )
    received_at = models.DateTimeField("签收时间", null=True, blank=True, validators=[bounds.past_date])
    received_note = models.CharField("签收意见", max_length=500, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = LeaderReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "主要负责人检查"
        verbose_name_plural = "主要负责人检查"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(submitted_at__isnull=True), name="leader_review_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | Q(submitted_at__isnull=False),
                name="leader_review_received_only_when_submitted",
            ),
        ]

    def __str__(self):
        return f"主要负责人检查：{self.hazard}"

    @property
    def status(self):
        if self.received_at:
            return LeaderReviewStatus.RECEIVED
        return LeaderReviewStatus.SUBMITTED if self.submitted_at else LeaderReviewStatus.AWAITING

    def get_status_display(self):
        return self.status.label

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def is_received(self):
        return self.received_at is not None

    def overdue(self, today=None):
        """leader_review_overdue_q for the row in hand."""
        return self.submitted_at is None and (today or timezone.localdate()) > self.due_on

    def response(self):
        return stored_file_response(self.file, content_type=self.file_type, original_name=self.file_name)
