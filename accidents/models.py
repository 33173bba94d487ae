"""The accident and injury register (事故/工伤台账) and each accident's 提级调查.

An accident belongs to a mine; who may see it follows the mine (core.scoping). Its investigation is opened by the
service in the accident's own transaction when the accident falls in a campaign; it is the bureau's record of the
investigation led one level up (the lead level and organisation are written on it, rules.py says which level)."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from core import bounds
from core.concurrency import RowVersioned
from core.files import StoredFile, random_upload_name
from core.scoping import MineScopedQuerySet

from .rules import AccidentGrade, InvestigationLevel, grade_of

MAX_PEOPLE = 10_000
MAX_LOSS_YUAN = 10_000_000_000  # 100亿元: far above 特别重大 (1亿元)


class AccidentKind(models.TextChoices):
    ROOF = "roof", "顶板"
    GAS = "gas", "瓦斯"
    ELECTROMECHANICAL = "electromechanical", "机电"
    TRANSPORT = "transport", "运输"
    WATER = "water", "水害"
    FIRE = "fire", "火灾"
    BLASTING = "blasting", "放炮"
    OTHER = "other", "其他"


class AccidentQuerySet(MineScopedQuerySet):
    def in_period(self, start, end):
        """Accidents on the local days start..end (both included)."""
        return self.filter(occurred_on__gte=start, occurred_on__lte=end)


def accident_fingerprint(*, mine_id, occurred_at, place):
    """The same accident typed twice (the form and an import) is one line: mine, minute and place."""
    local = timezone.localtime(occurred_at) if timezone.is_aware(occurred_at) else occurred_at
    text = "|".join([str(mine_id), local.strftime("%Y-%m-%d %H:%M"), " ".join((place or "").split())])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Accident(RowVersioned, models.Model):
    """One line of the register: what happened, to whom, and when it was reported."""

    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="accidents")
    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name="专项整治", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField("发生时间")
    #: the local day of `occurred_at`, kept for the period filters and the charts' groupings (one indexed condition)
    occurred_on = models.DateField("发生日期", validators=[bounds.past_date], editable=False)
    place = models.CharField("发生地点", max_length=200)
    kind = models.CharField("事故类别", max_length=20, choices=AccidentKind.choices)
    deaths = models.PositiveIntegerField(
        "死亡（人）", default=0, validators=bounds.up_to(MAX_PEOPLE, "死亡人数", " 人")
    )
    serious_injuries = models.PositiveIntegerField(
        "重伤（人）", default=0, validators=bounds.up_to(MAX_PEOPLE, "重伤人数", " 人")
    )
    minor_injuries = models.PositiveIntegerField(
        "轻伤（人）", default=0, validators=bounds.up_to(MAX_PEOPLE, "轻伤人数", " 人")
    )
    direct_loss = models.DecimalField(
        "直接经济损失（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounds.up_to(MAX_LOSS_YUAN, "直接经济损失", " 元"),
    )
    description = models.TextField("事故经过", validators=[bounds.long_text()])
    reporter_name = models.CharField("报告人", max_length=60)
    reported_at = models.DateTimeField("报告县局时间")
    late = models.BooleanField(
        "迟报", default=False, editable=False, help_text="报告县局的时间晚于规定时限（条例第九条：1小时）"
    )
    found_by_bureau = models.BooleanField(
        "县局发现", default=False, editable=False, help_text="由县局首先登记（非煤矿或企业报告）"
    )
    fingerprint = models.CharField(max_length=40, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AccidentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "事故"
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["mine", "fingerprint"], name="accident_unique_per_mine"),
        ]
        indexes = [models.Index(fields=["mine", "occurred_on"], name="accident_mine_day")]

    def __str__(self):
        return f"{self.mine} {timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M} {self.get_kind_display()}事故"

    @property
    def injuries(self):
        return self.serious_injuries + self.minor_injuries

    @property
    def grade(self):
        return grade_of(
            deaths=self.deaths,
            serious_injuries=self.serious_injuries,
            minor_injuries=self.minor_injuries,
            direct_loss=self.direct_loss,
        )

    def get_grade_display(self):
        return AccidentGrade(self.grade).label


class InvestigationStatus(models.TextChoices):
    OPEN = "open", "调查中"
    CLOSED = "closed", "已结案"


class InvestigationQuerySet(MineScopedQuerySet):
    scope_path = "accident__mine"


def investigation_report_name(instance, filename):
    return random_upload_name("investigations", instance.content_type)


class Investigation(RowVersioned, models.Model):
    """提级调查: the investigation of one accident, led one level above the one that normally would."""

    accident = models.OneToOneField(
        Accident, verbose_name="事故", on_delete=models.PROTECT, related_name="investigation"
    )
    normal_level = models.CharField("原调查层级", max_length=16, choices=InvestigationLevel.choices)
    lead_level = models.CharField("提级后牵头层级", max_length=16, choices=InvestigationLevel.choices)
    lead_organization = models.CharField(
        "牵头单位", max_length=100, blank=True, help_text="如：晋城市应急管理局（县局据实登记）"
    )
    team = models.TextField("调查组组成", blank=True, validators=[bounds.note_text()])
    findings = models.TextField("调查结论（原因和性质）", blank=True, validators=[bounds.long_text()])
    responsible_persons = models.TextField(
        "责任人员及处理", blank=True, validators=[bounds.long_text()], help_text="每行一人：姓名、职务、责任和处理"
    )
    measures = models.TextField("整改和防范措施", blank=True, validators=[bounds.long_text()])
    status = models.CharField(
        "状态", max_length=10, choices=InvestigationStatus.choices, default=InvestigationStatus.OPEN
    )
    opened_on = models.DateField("启动日期", validators=[bounds.past_date])
    closed_on = models.DateField("结案日期", null=True, blank=True, validators=[bounds.past_date])
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = InvestigationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "提级调查"
        ordering = ["-opened_on", "-pk"]

    def __str__(self):
        return f"{self.accident} 提级调查"

    @property
    def is_open(self):
        return self.status == InvestigationStatus.OPEN


class InvestigationReportQuerySet(MineScopedQuerySet):
    scope_path = "investigation__accident__mine"


class InvestigationReport(StoredFile):
    """The investigation report (调查报告) an investigation is closed with."""

    investigation = models.OneToOneField(
        Investigation, verbose_name="提级调查", on_delete=models.CASCADE, related_name="report"
    )
    file = models.FileField("调查报告", upload_to=investigation_report_name, max_length=200)

    objects = InvestigationReportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "调查报告"


class AccidentEvent(models.Model):
    """What was done to an accident or its investigation, by whom and when (办理记录)."""

    accident = models.ForeignKey(Accident, verbose_name="事故", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=40)
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "事故办理记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
