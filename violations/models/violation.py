import datetime as dt
import hashlib
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from campaign.figures import ACCOUNTABILITY_DAYS, BACKTRACK_DAYS, figure_of
from core import bounds
from core.concurrency import RowVersioned
from core.history import AuditTrail
from core.models import import_batch_field, recorded_by_field
from core.scoping import MineScopedQuerySet


def backtrack_due(occurred_on, campaign):
    """The notice: every 三违 is back-tracked three ways, within the campaign's back-track days (7 by default)."""
    return occurred_on + dt.timedelta(days=figure_of(campaign, BACKTRACK_DAYS))


def accountability_due(occurred_on, campaign):
    """四(四)3: a team's 三违 holds its 科队长 responsible and the enterprise's 分管负责人 makes a 检查, within the
    campaign's accountability days (7 by default)."""
    return occurred_on + dt.timedelta(days=figure_of(campaign, ACCOUNTABILITY_DAYS))


class ViolationType(models.TextChoices):
    COMMAND = "command", "违章指挥"
    OPERATION = "operation", "违章作业"
    DISCIPLINE = "discipline", "违反劳动纪律"


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    SERIOUS = "serious", "严重"


class Shift(models.TextChoices):
    ZERO = "zero", "零点班"
    MORNING = "morning", "早班"
    MIDDLE = "middle", "中班"
    NIGHT = "night", "夜班"
    DAY = "day", "白班"
    OTHER = "other", "其他"


class FoundBy(models.TextChoices):
    SELF = "self", "本矿查处"
    ENTERPRISE = "enterprise", "主体企业查处"
    BUREAU = "bureau", "县局检查查处"
    OTHER = "other", "其他"


def backtrack_overdue_q(today=None):
    """The one definition of 倒查超期: the three back-tracks not all done and their last day (`backtrack_due_on`, set
    by the campaign's figure when recorded) passed. The queryset, the home page's count, the sweep and the instance
    property derive from it."""
    return Q(backtracks_completed_on__isnull=True, backtrack_due_on__lt=today or timezone.localdate())


def accountability_overdue_q(today=None):
    """The one definition of 问责超期 (the flag of 四(四)3): no record yet of the 科队长's accountability and the
    分管负责人's 检查 (`accountability_recorded_on`, set with the record) and their last day
    (`accountability_due_on`, set by the campaign's figure when recorded) passed. The queryset, the filter, the home
    page's count, the sweep and the instance method derive from it."""
    return Q(accountability_recorded_on__isnull=True, accountability_due_on__lt=today or timezone.localdate())


class ViolationQuerySet(MineScopedQuerySet):
    def backtrack_overdue(self, today=None):
        """Violations whose three back-tracks were not all done by their due day."""
        return self.filter(backtrack_overdue_q(today))

    def accountability_overdue(self, today=None):
        """Violations without their 科队长 accountability and 分管负责人 检查 past their due day."""
        return self.filter(accountability_overdue_q(today))


def violation_fingerprint(*, occurred_on, person_name, description):
    text = "|".join([occurred_on.isoformat(), " ".join(person_name.split()), " ".join(description.split())])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Violation(RowVersioned, models.Model):
    """“三违”: one line of a mine's 三违 ledger."""

    # No index of its own: the ledger index and the unique constraint below start with mine.
    mine = models.ForeignKey(
        "accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="violations", db_index=False
    )
    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name="专项整治", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspection = models.ForeignKey(
        "hazards.Inspection",
        verbose_name="检查",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="violations",
    )
    occurred_on = models.DateField("日期", validators=[bounds.past_date])
    occurred_time = models.TimeField("时间", null=True, blank=True)
    shift = models.CharField("班次", max_length=10, choices=Shift.choices, blank=True)
    location = models.CharField("违章地点", max_length=200)
    person_name = models.CharField("姓名", max_length=40)
    post = models.CharField("工种", max_length=60, blank=True)
    team = models.CharField("班组", max_length=60, blank=True)
    department = models.CharField("所在单位（科队）", max_length=60, blank=True)
    type = models.CharField("三违类别", max_length=12, choices=ViolationType.choices)
    severity = models.CharField("性质", max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    description = models.TextField("违章行为", validators=[bounds.note_text()])
    found_by = models.CharField("查处方", max_length=12, choices=FoundBy.choices, default=FoundBy.SELF)
    found_by_name = models.CharField("查处人", max_length=60, blank=True)
    fine = models.DecimalField(
        "罚款（元）",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.MAX_FINE_YUAN, "罚款", " 元"),
    )
    suspension_days = models.PositiveSmallIntegerField(
        "停工学习（天）",
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.MAX_SUSPENSION_DAYS, "停工学习天数", " 天"),
    )
    retraining = models.BooleanField("重新培训", default=False)
    penalty_note = models.CharField("处罚情况", max_length=200, blank=True)
    mentoring = models.CharField("帮教情况", max_length=200, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    typical = models.BooleanField("典型案例", default=False)
    typical_reason = models.CharField("典型性说明", max_length=300, blank=True)
    backtracks_completed_on = models.DateField(
        "倒查完成日期", null=True, blank=True, editable=False, validators=[bounds.past_date]
    )
    # Set with the back-track days of the campaign of its day when recorded (`backtrack_due`): as it was asked then.
    backtrack_due_on = models.DateField("倒查期限", editable=False, validators=[bounds.planned_date])
    # 四(四)3, like the back-tracks: the last day for the 科队长's accountability and the 分管负责人's 检查, set
    # with the campaign's accountability days when recorded, and the day the record of both was made (None: not yet).
    accountability_due_on = models.DateField("问责期限", null=True, editable=False, validators=[bounds.planned_date])
    accountability_recorded_on = models.DateField("问责登记日期", null=True, blank=True, editable=False)

    fingerprint = models.CharField(max_length=40, editable=False)
    created_by = recorded_by_field()
    import_batch = import_batch_field()  # indexed below, partially: most rows are typed in
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ViolationQuerySet.as_manager()

    history = AuditTrail(verbose_name="“三违”修改记录")

    class Meta:
        verbose_name = "“三违”"
        verbose_name_plural = "“三违”"
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mine", "fingerprint"], name="violation_unique_per_mine"),
            models.CheckConstraint(condition=Q(fine__isnull=True) | Q(fine__gte=0), name="violation_fine_not_negative"),
        ]
        indexes = [
            models.Index(
                fields=["import_batch"], condition=Q(import_batch__isnull=False), name="violation_import_batch"
            ),
            models.Index(fields=["mine", "-occurred_on", "-id"], name="violation_mine_ledger"),
            # across mines, newest first; the mine beside the key for the visibility rule (core.paging)
            models.Index(fields=["-occurred_on", "-id"], include=["mine"], name="violation_ledger_time"),
            models.Index(fields=["typical", "occurred_on"], name="violation_typical"),
            models.Index(fields=["backtracks_completed_on", "backtrack_due_on"], name="violation_backtrack_due"),
            models.Index(
                fields=["accountability_due_on"],
                condition=Q(accountability_recorded_on__isnull=True),
                name="violation_accountability_due",
            ),
            models.Index(fields=["mine", "person_name"], name="violation_person"),
        ]

    def __str__(self):
        return f"{self.occurred_on:%Y-%m-%d} {self.person_name}：{self.description[:30]}"

    def save(self, *args, **kwargs):
        self.fingerprint = violation_fingerprint(
            occurred_on=self.occurred_on, person_name=self.person_name, description=self.description
        )
        if self.backtrack_due_on is None:  # the services set it; anything else gets the campaign's days too
            self.backtrack_due_on = backtrack_due(self.occurred_on, self.campaign)
        if self.accountability_due_on is None:
            self.accountability_due_on = accountability_due(self.occurred_on, self.campaign)
        super().save(*args, **kwargs)

    @property
    def occurred_at(self):
        """The moment as an aware datetime (midnight when only the date is known)."""
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        return dt.datetime.combine(self.occurred_on, self.occurred_time or dt.time(0, 0), tzinfo=tz)

    @property
    def unit_and_team(self):
        """科队 and 班组 as one phrase: a team named after its unit (综采一队3班 of 综采一队) is not named twice."""
        department, team = self.department.strip(), self.team.strip()
        if department and team.startswith(department):
            return team
        return f"{department}{team}"

    @property
    def backtrack_days(self):
        """The days the back-tracks were given (the campaign's figure when recorded)."""
        return (self.backtrack_due_on - self.occurred_on).days

    def backtrack_overdue(self, today=None):
        return self.backtracks_completed_on is None and (today or timezone.localdate()) > self.backtrack_due_on

    @property
    def accountability_days(self):
        """The days the 科队长 accountability and 分管负责人 检查 were given (the campaign's figure when recorded)."""
        return (self.accountability_due_on - self.occurred_on).days if self.accountability_due_on else None

    def accountability_overdue(self, today=None):
        """accountability_overdue_q for the row in hand."""
        return (
            self.accountability_recorded_on is None
            and self.accountability_due_on is not None
            and (today or timezone.localdate()) > self.accountability_due_on
        )


class BackTrackKind(models.TextChoices):
    TRAINING = "training", "培训落实情况"
    WARNING_EDUCATION = "warning_education", "警示教育落实情况"
    MUTUAL_PROTECTION = "mutual_protection", "自保联保互保责任落实情况"


class BackTrack(models.Model):
    """One of the three mandatory back-tracks (倒查) of the notice, section 三(三)3."""

    violation = models.ForeignKey(Violation, verbose_name="“三违”", on_delete=models.CASCADE, related_name="backtracks")
    kind = models.CharField("倒查内容", max_length=20, choices=BackTrackKind.choices)
    finding = models.TextField("倒查结论", validators=[bounds.note_text()])
    responsible = models.CharField("相关责任人", max_length=100, blank=True)
    done_on = models.DateField("倒查日期", validators=[bounds.past_date])
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="倒查人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = AuditTrail(verbose_name="责任倒查修改记录")

    class Meta:
        verbose_name = "责任倒查"
        verbose_name_plural = "责任倒查"
        ordering = ["violation", "kind"]
        constraints = [models.UniqueConstraint(fields=["violation", "kind"], name="backtrack_once_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.finding[:30]}"


class ViolationAccountability(models.Model):
    """问责 (四(四)3): 班组发生“三违”，追究科队长责任，企业分管负责人作检查. The notice asks the main leader
    (主要负责人) for a 检查 only when a higher department finds a major hazard (hazards.LeaderReview), never for
    a 三违: the main leader's handling here is an optional note, whatever the severity."""

    violation = models.OneToOneField(
        Violation, verbose_name="“三违”", on_delete=models.CASCADE, related_name="accountability"
    )
    unit_leader_name = models.CharField("科队长", max_length=40)
    unit_leader_action = models.TextField("对科队长的责任追究", validators=[bounds.note_text()])
    deputy_name = models.CharField("企业分管负责人", max_length=40)
    deputy_review = models.TextField("分管负责人作检查情况", validators=[bounds.note_text()])
    main_leader_action = models.TextField(
        "主要负责人处理情况", blank=True, help_text="选填", validators=[bounds.note_text()]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    history = AuditTrail(verbose_name="问责修改记录")

    class Meta:
        verbose_name = "“三违”问责"
        verbose_name_plural = "“三违”问责"

    def __str__(self):
        return f"问责：{self.violation}"
