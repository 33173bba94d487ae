"""通报批评, 约谈 and 问责: the bureau's accountability actions (notice 五(二): 依规依纪通报批评、组织约谈、严肃问责;
4.3: 工作进展缓慢…予以通报，问题严重的约谈有关责任人).

An action names its targets — one or more units (mines, enterprises) and, for a 问责 or a 约谈, the persons — and is
drafted, then issued by the bureau (numbered in its series for the kind and year, like the 执法文书). Who sees it: the
bureau's users all of their county's (drafts too); a unit the issued actions that name it or one of its mines (an
enterprise sees those of its mines, a mine only those naming itself). A 约谈 carries its follow-up date, swept like
every deadline until the follow-up is recorded; a 通报批评 shows on the home pages of the units it names until read."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from core import bounds
from core.concurrency import RowVersioned
from core.files import random_upload_name
from core.history import AuditTrail
from core.scoping import OrganizationScopedQuerySet, scope_of


class ActionKind(models.TextChoices):
    NOTICE_CRITICISM = "notice_criticism", "通报批评"
    SUMMONS = "summons", "约谈"
    ACCOUNTABILITY = "accountability", "问责"


class ActionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已签发"


class AccountabilityMeasure(models.TextChoices):
    """问责 measures the bureau decides or asks the unit (or the authority over the person) to take."""

    SELF_CRITICISM = "self_criticism", "责令作出书面检查"
    CRITICISM_EDUCATION = "criticism_education", "批评教育"
    REMINDER_TALK = "reminder_talk", "提醒谈话"
    WARNING = "warning", "警告"
    DEMERIT = "demerit", "记过"
    DEMOTION = "demotion", "降级、撤职"
    REMOVAL = "removal", "建议调离岗位或免职"
    PENALTY = "penalty", "依法实施行政处罚"
    REFERRAL = "referral", "移送纪检监察机关"
    OTHER = "other", "其他"


#: the short code of each kind in a number (阳应急通〔2026〕3号)
KIND_CODES = {
    ActionKind.NOTICE_CRITICISM: "通",
    ActionKind.SUMMONS: "约谈",
    ActionKind.ACCOUNTABILITY: "问责",
}


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The bureau's users: every action of their bureau, drafts too. A unit: the issued actions naming a unit it
        sees (itself, or for an enterprise also its mines), by the one rule on `ActionTarget`."""
        scope = scope_of(user)
        if scope.bureau_desk:
            return self.filter(scope.bureau_q("bureau"))
        named = ActionTarget.objects.visible_to(user).filter(action_id=OuterRef("pk"))
        return self.filter(scope.bureau_q("bureau"), Exists(named), status=ActionStatus.ISSUED)

    def issued(self):
        return self.filter(status=ActionStatus.ISSUED)


def minutes_path(instance, filename):
    return random_upload_name("accountability/minutes", instance.minutes_type)


class AccountabilityAction(RowVersioned, models.Model):
    bureau = models.ForeignKey(
        "accounts.Organization", verbose_name="决定机关", on_delete=models.PROTECT, related_name="+", editable=False
    )
    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name="专项整治", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类别", max_length=20, choices=ActionKind.choices)
    status = models.CharField("状态", max_length=10, choices=ActionStatus.choices, default=ActionStatus.DRAFT)
    title = models.CharField("标题", max_length=200)
    #: the persons held to account or summoned (one a line: 姓名、单位职务), beside the units in `targets`
    persons = models.TextField("涉及人员", blank=True, validators=[bounds.note_text()])
    reason = models.TextField("事由", validators=[bounds.long_text()])
    #: 通报批评: the requirements; 问责: the measure's details; 约谈: what the bureau asks
    requirements = models.TextField("处理意见和要求", blank=True, validators=[bounds.long_text()])
    measure = models.CharField("问责方式", max_length=30, choices=AccountabilityMeasure.choices, blank=True)
    # numbering, as the 执法文书: given when issued, in the issuing transaction
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True, editable=False)
    serial = models.PositiveIntegerField("序号", null=True, blank=True, editable=False)
    number = models.CharField("文号", max_length=60, blank=True, editable=False)
    issued_on = models.DateField("签发日期", null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # 约谈
    summoned_by = models.CharField("约谈人", max_length=200, blank=True, help_text="县局参加约谈的领导和人员")
    summoned_at = models.DateTimeField("约谈时间", null=True, blank=True, validators=[bounds.past_date])
    place = models.CharField("约谈地点", max_length=100, blank=True)
    problems = models.TextField("约谈指出的问题", blank=True, validators=[bounds.long_text()])
    commitments = models.TextField("被约谈方的整改承诺", blank=True, validators=[bounds.long_text()])
    follow_up_on = models.DateField("跟踪复查日期", null=True, blank=True, validators=[bounds.planned_date])
    follow_up_done_on = models.DateField("复查完成日期", null=True, blank=True, validators=[bounds.past_date])
    follow_up_result = models.TextField("复查结果", blank=True, validators=[bounds.long_text()])
    minutes = models.FileField("约谈记录", upload_to=minutes_path, blank=True)
    minutes_type = models.CharField("约谈记录类型", max_length=100, blank=True)
    minutes_name = models.CharField("约谈记录原文件名", max_length=200, blank=True)
    # where the proposal came from (a candidate of the dashboard), so the record names its evidence
    source = models.CharField("提出依据", max_length=40, blank=True)
    evidence_url = models.CharField("依据链接", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ActionQuerySet.as_manager()
    history = AuditTrail(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "督查问责"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "kind", "year", "serial"],
                condition=Q(serial__isnull=False),
                name="accountability_number_unique_in_series",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", serial__isnull=True) | (~Q(status="draft") & Q(serial__isnull=False)),
                name="accountability_numbered_once_issued",
            ),
        ]
        indexes = [
            models.Index(fields=["bureau", "kind", "status"], name="acct_bureau_kind_status"),
            models.Index(fields=["kind", "status", "follow_up_on"], name="acct_follow_up"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number or '（草稿）'}"

    @property
    def is_draft(self):
        return self.status == ActionStatus.DRAFT

    @property
    def is_summons(self):
        return self.kind == ActionKind.SUMMONS

    @property
    def follow_up_open(self):
        return self.is_summons and not self.is_draft and self.follow_up_on and not self.follow_up_done_on


class ActionTargetQuerySet(OrganizationScopedQuerySet):
    """The one path from an action to the units it names: `organization` (a mine or an enterprise)."""


class ActionTarget(models.Model):
    action = models.ForeignKey(
        AccountabilityAction, verbose_name="督查问责", on_delete=models.CASCADE, related_name="targets"
    )
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="单位", on_delete=models.PROTECT, related_name="accountability_targets"
    )
    order = models.PositiveSmallIntegerField(
        "顺序", default=0, validators=[bounds.at_most(bounds.MAX_ORDER, "顺序")], editable=False
    )

    objects = ActionTargetQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "督查问责对象单位"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["action", "organization"], name="action_target_once")]

    def __str__(self):
        return str(self.organization)


class ActionNumberSeries(models.Model):
    """The last number given in one series (bureau, kind, year). Locked while an action is issued."""

    bureau = models.ForeignKey(
        "accounts.Organization", verbose_name="决定机关", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("类别", max_length=20, choices=ActionKind.choices)
    year = models.PositiveSmallIntegerField("年份", editable=False)
    last_number = models.PositiveIntegerField("已用到的序号", default=0, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "督查问责编号序列"
        constraints = [
            models.UniqueConstraint(fields=["bureau", "kind", "year"], name="one_accountability_series_per_year")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}：{self.last_number}"


class ActionRead(models.Model):
    """A person of a named unit opened the issued action (the read receipt the bureau sees, as for bulletins)."""

    action = models.ForeignKey(
        AccountabilityAction, verbose_name="督查问责", on_delete=models.CASCADE, related_name="reads"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("阅读时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "督查问责阅读记录"
        constraints = [models.UniqueConstraint(fields=["action", "user"], name="accountability_read_once")]

    def __str__(self):
        return f"{self.user} 已读 {self.action}"


class ActionEvent(models.Model):
    record = models.ForeignKey(
        AccountabilityAction, verbose_name="督查问责", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=40)
    note = models.TextField("说明", blank=True, validators=[bounds.note_text()])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "督查问责办理记录"
        ordering = ["at", "id"]

    def __str__(self):
        return self.action
