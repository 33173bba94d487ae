"""特殊时段管控 (the notice, 三(三)3): time underground and at the face, the zero shift, the dispatch handover."""

import datetime as dt

from django.conf import settings
from django.db import models

from core import bounds
from core.history import AuditTrail
from core.models import import_batch_field
from core.scoping import MineScopedQuerySet
from violations.models import Shift

# The limits (the notice: 出入井时间不得超过10小时，工作面有效作业时间不得超过8小时；调度室交接班时要提前2小时
# 进行调度) are the campaign's figures (campaign.figures); a record stores what they made of it when recorded.


class PositioningQuerySet(MineScopedQuerySet):
    def over_time(self):
        return self.filter(over_time=True)


class PositioningRecord(models.Model):
    """One trip underground as the mine's 人员定位系统 exported it (one row of its 下井记录)."""

    mine = models.ForeignKey(
        "accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person_name = models.CharField("姓名", max_length=40)
    card_no = models.CharField("定位卡号", max_length=30, blank=True)
    team = models.CharField("班组（部门）", max_length=60, blank=True)
    entered_at = models.DateTimeField("下井时间", validators=[bounds.past_date])
    exited_at = models.DateTimeField("升井时间", validators=[bounds.past_date])
    underground_minutes = models.PositiveIntegerField(
        "井下时长（分钟）", validators=[bounds.at_most(bounds.MAX_DAY_MINUTES, "井下时长", " 分钟")]
    )
    face_minutes = models.PositiveIntegerField(
        "工作面时长（分钟）",
        null=True,
        blank=True,
        validators=[bounds.at_most(bounds.MAX_DAY_MINUTES, "工作面时长", " 分钟")],
    )
    # Against the limits of the campaign of the trip's day, at import (campaign.figures).
    over_underground = models.BooleanField("出入井超时", default=False)
    over_face = models.BooleanField("工作面超时", default=False)
    # Either of the two, stored: "all over-time trips" is then one indexed condition, not an OR the planner guesses at.
    over_time = models.BooleanField("超时", default=False, editable=False)
    fingerprint = models.CharField(max_length=40, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    import_batch = import_batch_field()  # indexed below, partially: most rows are typed in
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    objects = PositioningQuerySet.as_manager()

    class Meta:
        verbose_name = "人员定位下井记录"
        verbose_name_plural = "人员定位下井记录"
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mine", "fingerprint"], name="positioning_unique_per_mine"),
            models.CheckConstraint(
                condition=(models.Q(over_time=True) & (models.Q(over_underground=True) | models.Q(over_face=True)))
                | models.Q(over_time=False, over_underground=False, over_face=False),
                name="positioning_over_time_is_either",
            ),
        ]
        indexes = [
            models.Index(
                fields=["import_batch"], condition=models.Q(import_batch__isnull=False), name="positioning_import_batch"
            ),
            models.Index(fields=["mine", "-entered_at", "-id"], name="positioning_mine_time"),
            # A bureau's newest trips first, and its over-time ones, without sorting millions of rows.
            models.Index(fields=["-entered_at", "-id"], include=["mine"], name="positioning_time"),  # mine: core.paging
            models.Index(
                fields=["-entered_at", "-id"],
                name="positioning_over_time",
                condition=models.Q(over_time=True),
            ),
            models.Index(
                fields=["-entered_at", "-id"], name="positioning_over_10h", condition=models.Q(over_underground=True)
            ),
            models.Index(fields=["-entered_at", "-id"], name="positioning_over_8h", condition=models.Q(over_face=True)),
        ]

    def __str__(self):
        return f"{self.person_name} {self.entered_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.over_time = self.over_underground or self.over_face
        super().save(*args, **kwargs)

    @staticmethod
    def hours(minutes):
        return None if minutes is None else f"{minutes // 60}小时{minutes % 60:02d}分"

    @property
    def underground_text(self):
        return self.hours(self.underground_minutes)

    @property
    def face_text(self):
        return self.hours(self.face_minutes)


class ZeroShiftPlan(models.Model):
    """零点班作业计划: no dangerous work, two leaders on the shift (双带班)."""

    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="+")
    shift_date = models.DateField("零点班日期", validators=[bounds.planned_date])
    leader_one = models.CharField("带班领导一", max_length=40)
    leader_two = models.CharField("带班领导二", max_length=40)
    note = models.CharField("备注", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = MineScopedQuerySet.as_manager()
    history = AuditTrail(verbose_name="零点班计划修改记录")

    class Meta:
        verbose_name = "零点班作业计划"
        verbose_name_plural = "零点班作业计划"
        ordering = ["-shift_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["mine", "shift_date"], name="zero_shift_plan_once_a_day")]

    def __str__(self):
        return f"{self.shift_date:%Y-%m-%d} 零点班"

    @property
    def shift_window(self):
        """00:00–08:00 of the shift date, local time."""
        import zoneinfo

        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        start = dt.datetime.combine(self.shift_date, dt.time(0, 0), tzinfo=tz)
        return start, start + dt.timedelta(hours=8)


class ZeroShiftTask(models.Model):
    plan = models.ForeignKey(ZeroShiftPlan, verbose_name="零点班计划", on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField("序号", validators=[bounds.at_most(bounds.MAX_ORDER, "序号")])
    location = models.CharField("作业地点", max_length=100, blank=True)
    content = models.CharField("作业内容", max_length=300)

    class Meta:
        verbose_name = "零点班作业"
        verbose_name_plural = "零点班作业"
        ordering = ["plan", "order"]

    def __str__(self):
        return self.content


class DispatchHandover(models.Model):
    """调度室交接班: dispatched two hours before the shift starts; tight tasks tell the following leader."""

    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="+")
    shift = models.CharField("接班班次", max_length=10, choices=Shift.choices)
    shift_starts_at = models.DateTimeField("接班时间", validators=[bounds.next_day_date])
    dispatched_at = models.DateTimeField("调度时间", validators=[bounds.past_date])
    lead_minutes = models.IntegerField(
        "提前时间（分钟）",
        editable=False,
        validators=bounds.up_to(bounds.MAX_DAY_MINUTES, "提前时间", " 分钟"),
    )
    # Against the lead the campaign of the shift's day asked for, when recorded (campaign.figures): as it happened.
    late = models.BooleanField("提前时间不足", default=False, editable=False)
    dispatcher = models.CharField("调度员", max_length=40)
    tasks = models.TextField("调度内容", validators=[bounds.note_text()])
    tight_schedule = models.BooleanField("作业任务紧张", default=False)
    following_leader = models.CharField("跟班领导", max_length=40, blank=True)
    leader_notified_at = models.DateTimeField(
        "通知跟班领导时间", null=True, blank=True, validators=[bounds.next_day_date]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = MineScopedQuerySet.as_manager()
    history = AuditTrail(verbose_name="调度交接班修改记录")

    class Meta:
        verbose_name = "调度交接班记录"
        verbose_name_plural = "调度交接班记录"
        ordering = ["-shift_starts_at", "-id"]
        indexes = [models.Index(fields=["mine", "-shift_starts_at"], name="handover_mine_time")]

    def __str__(self):
        return f"{self.shift_starts_at:%Y-%m-%d %H:%M} {self.get_shift_display()}交接班"

    @property
    def early_enough(self):
        return not self.late

    @property
    def lead_text(self):
        return PositioningRecord.hours(max(self.lead_minutes, 0))
