"""疑似重大隐患: a general hazard whose description the 判定标准 matcher rates as likely major (issue 25 item 3).

One finding per hazard. It is computed by the services that record a general hazard (hazards.services.suspected),
and then decided by the bureau: confirmed (the hazard is re-graded to 重大 with the item and follows the major-hazard
rules) or dismissed with a reason. Once raised, a pending finding stays until it is decided: an edit of the hazard
never deletes or changes it (the hiding the finding is about is exactly rewording a major hazard as an ordinary one);
re-grading the hazard to 重大 by hand closes it as confirmed. A decided finding is never re-opened by a later
re-check: the inspector's word stands."""

from django.conf import settings
from django.db import models

from core import bounds
from core.scoping import MineScopedQuerySet

from .hazard import SELF_CHECK_SOURCES

#: the hazard's event (HazardEvent.action) when its description is edited while a finding on it is 待核实: the bureau's
#: list shows "描述已修改" and the event keeps the words the finding was raised on
EDITED_WHILE_PENDING = "待核实期间修改隐患内容"

#: the finding's note when the hazard itself is re-graded to 重大 while the finding is 待核实
REGRADED_BY_MINE = "煤矿自行改判为重大隐患"
REGRADED_BY_BUREAU = "县局执法人员改判为重大隐患"


class SuspectedState(models.TextChoices):
    PENDING = "pending", "待核实"
    CONFIRMED = "confirmed", "已确认"
    DISMISSED = "dismissed", "已排除"


class SuspectedMajorQuerySet(MineScopedQuerySet):
    scope_path = "hazard__mine"

    def pending(self):
        """The findings the bureau has not decided yet: what the risk ranking and 自查不实 count (a dismissed one is
        not a hazard; a confirmed one is a major hazard, counted as such)."""
        return self.filter(state=SuspectedState.PENDING)

    def self_recorded(self):
        """Findings on hazards the mine's own checks recorded (班组日查 … 集团季查): a mine that writes down as 一般
        what reads as a major hazard has not checked itself truly (自查不实). An inspector's own finding is not."""
        return self.filter(hazard__source__in=SELF_CHECK_SOURCES)


class SuspectedMajorHazard(models.Model):
    hazard = models.OneToOneField(
        "hazards.Hazard", verbose_name="隐患", on_delete=models.CASCADE, related_name="suspected_major"
    )
    item = models.ForeignKey(
        "hazards.MajorHazardItem",
        verbose_name="疑似情形",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # never searched by
    )
    # score and times are set by the services, never typed, sent or imported (core.bounds: no bound needed)
    score = models.FloatField("匹配得分", editable=False)
    found_at = models.DateTimeField("发现时间", editable=False)
    state = models.CharField("核实状态", max_length=12, choices=SuspectedState.choices, default=SuspectedState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField("核实时间", null=True, blank=True, editable=False)
    # the decision's words: why it was dismissed (required then), or the note of its confirmation
    reason = models.TextField(
        "核实说明", blank=True, validators=[bounds.long_text()], help_text="排除的理由，或确认为重大隐患时的说明"
    )

    objects = SuspectedMajorQuerySet.as_manager()

    class Meta:
        verbose_name = "疑似重大隐患"
        verbose_name_plural = "疑似重大隐患"
        ordering = ["-found_at", "-id"]
        indexes = [models.Index(fields=["state", "-found_at"], name="suspected_state_found")]

    def __str__(self):
        return f"疑似重大隐患：{self.hazard_id}（{self.get_state_display()}）"

    @property
    def is_pending(self):
        return self.state == SuspectedState.PENDING
