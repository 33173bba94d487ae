"""Repeat offenders: a second serious 三违 of the same person within one campaign."""

from django.conf import settings
from django.db import models

from core import bounds
from core.history import AuditTrail
from core.scoping import MineScopedQuerySet


class MentoringKind(models.TextChoices):
    TALK = "talk", "谈话教育"
    SUSPENSION_TRAINING = "suspension_training", "停工培训"
    FAMILY_PLEDGE = "family_pledge", "家属联保"


class RepeatOffenderQuerySet(MineScopedQuerySet):
    def mentoring_open(self):
        return self.filter(mentoring_completed_on__isnull=True)


class RepeatOffender(models.Model):
    """Raised once per person, mine and campaign when the second serious 三违 is recorded; escalated to the
    enterprise, and closed when the three 帮教 steps are on record."""

    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name="专项整治", on_delete=models.PROTECT, related_name="+"
    )
    person_name = models.CharField("姓名", max_length=40)
    first_violation = models.ForeignKey(
        "violations.Violation", verbose_name="第一次严重“三违”", on_delete=models.PROTECT, related_name="+"
    )
    second_violation = models.ForeignKey(
        "violations.Violation", verbose_name="第二次严重“三违”", on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField("上报主体企业时间", auto_now_add=True)
    mentoring_completed_on = models.DateField(
        "帮教完成日期", null=True, blank=True, editable=False, validators=[bounds.past_date]
    )

    objects = RepeatOffenderQuerySet.as_manager()
    history = AuditTrail(verbose_name="屡违人员修改记录")

    class Meta:
        verbose_name = "屡违人员"
        verbose_name_plural = "屡违人员"
        ordering = ["-escalated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mine", "campaign", "person_name"], name="repeat_offender_once"),
        ]

    def __str__(self):
        return f"{self.person_name}（{self.mine}）"


class MentoringStep(models.Model):
    offender = models.ForeignKey(
        RepeatOffender, verbose_name="屡违人员", on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField("帮教措施", max_length=20, choices=MentoringKind.choices)
    done_on = models.DateField("日期", validators=[bounds.past_date])
    content = models.TextField("帮教情况", validators=[bounds.note_text()])
    responsible = models.CharField("帮教人", max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    history = AuditTrail(verbose_name="帮教修改记录")

    class Meta:
        verbose_name = "帮教措施"
        verbose_name_plural = "帮教措施"
        ordering = ["offender", "done_on", "id"]
        constraints = [models.UniqueConstraint(fields=["offender", "kind"], name="mentoring_step_once")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.content[:30]}"
