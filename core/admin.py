"""The admin of the third-party apps, in Chinese where no catalogue can reach: labels that come from the name of a
method, a property or an untranslated field (the translatable ones are in locale/zh_Hans). Registered again over
their own admins (this app comes after them in INSTALLED_APPS, so theirs are registered by now)."""

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

TASK = "任务名称"


def _register_again(model, admin_class):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, admin_class)


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.display(description="过期时间")
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.display(description="状态")
    def status(self, obj):
        return super().status(obj)


class TaskFilter(admin.AllValuesFieldListFilter):
    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = TASK


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_filter = ["enabled", "one_off", ("task", TaskFilter), "start_time", "last_run_at"]

    @admin.display(description="执行计划说明")
    def crontab_translation(self, obj):
        return super().crontab_translation(obj)


class PeriodicTaskInline(beat_admin.PeriodicTaskInline):
    fields = ("name", "task_name", "args", "kwargs")
    readonly_fields = fields

    @admin.display(description=TASK)
    def task_name(self, obj):
        return obj.task


class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    inlines = [PeriodicTaskInline]
    list_display = ("__str__", "readable")
    fields = ("readable", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("readable",)

    @admin.display(description="说明")
    def readable(self, obj):
        return obj.human_readable


if admin.site.is_registered(AccessAttempt):  # AXES_ENABLE_ADMIN
    _register_again(AccessAttempt, AccessAttemptAdmin)
_register_again(PeriodicTask, PeriodicTaskAdmin)
_register_again(CrontabSchedule, CrontabScheduleAdmin)
for model, base in (
    (ClockedSchedule, beat_admin.ClockedScheduleAdmin),
    (SolarSchedule, beat_admin.SolarScheduleAdmin),
    (IntervalSchedule, beat_admin.IntervalScheduleAdmin),
):
    _register_again(model, type(base.__name__, (base,), {"inlines": [PeriodicTaskInline]}))
