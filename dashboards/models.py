"""The dashboards' maintained figures (issue 24 item 1): small tables of counts per bucket, kept equal to the ledgers
by database triggers (dashboards.figures says why triggers and holds their one definition). The dashboards read
these instead of counting a million hazards; `python manage.py rebuild_dashboard_figures` recounts them.

A row is a bucket and its count `n`. Buckets emptied by later writes keep n = 0 (harmless: readers sum). Mines and
county bureaus are referenced without a database constraint: a bucket at 0 must never stop a mine being deleted."""

from django.db import models

from core.scoping import MineScopedQuerySet


def _mine():
    return models.ForeignKey(
        "accounts.Mine",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the bucket's unique index leads with it
        related_name="+",
        verbose_name="煤矿",
    )


def _bureau():
    return models.ForeignKey(
        "accounts.Organization",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the bucket's unique index leads with it
        related_name="+",
        verbose_name="县级应急管理部门",
    )


class _Tally(models.Model):
    n = models.IntegerField("数量", default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}: {self.n}"


class HazardTally(_Tally):
    """Hazards per (mine, status, level, specialty): totals, states, levels, specialties, 重大 not closed. The
    hazards' own field names, so hazards.models' predicates (open_q, major_open_q) filter it as they filter hazards."""

    mine = _mine()
    status = models.CharField("状态", max_length=24)
    level = models.CharField("隐患等级", max_length=10)
    specialty = models.CharField("专业", max_length=24)
    objects = MineScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "隐患计数"
        constraints = [
            models.UniqueConstraint(fields=["mine", "status", "level", "specialty"], name="hazard_tally_bucket")
        ]


class HazardDueTally(_Tally):
    """Hazards NOT closed per (mine, level, due date): overdue on any day is `due_before_q(today)` here, read at
    read time — the day boundary needs no write and no nightly job. No due date: 9999-12-31 (never overdue)."""

    mine = _mine()
    level = models.CharField("隐患等级", max_length=10)
    due_on = models.DateField("整改期限")
    objects = MineScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "未销号隐患计数（按整改期限）"
        constraints = [models.UniqueConstraint(fields=["mine", "level", "due_on"], name="hazard_due_tally_bucket")]


class CountyHazardDueTally(_Tally):
    """HazardDueTally summed per county bureau (the mine's `bureau` when the hazard was written): the boards above the
    county read ~20,000 rows for a province instead of ~300,000."""

    bureau = _bureau()
    level = models.CharField("隐患等级", max_length=10)
    due_on = models.DateField("整改期限")

    class Meta:
        verbose_name = verbose_name_plural = "县级未销号隐患计数"
        constraints = [
            models.UniqueConstraint(fields=["bureau", "level", "due_on"], name="county_hazard_due_tally_bucket")
        ]


class CountyHazardTally(_Tally):
    """HazardTally summed per county bureau (the mine's `bureau`; a mine moved to another county moves its counts):
    the exact count of a bureau's hazards by state, level and specialty is a sum over a few hundred rows a county
    (the hazards API's page numbers for a province: ~10,000 rows instead of ~160,000)."""

    bureau = _bureau()
    status = models.CharField("状态", max_length=24)
    level = models.CharField("隐患等级", max_length=10)
    specialty = models.CharField("专业", max_length=24)

    class Meta:
        verbose_name = verbose_name_plural = "县级隐患计数"
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "status", "level", "specialty"], name="county_hazard_tally_bucket"
            )
        ]


class ViolationTally(_Tally):
    """三违 per (mine, day, type, severity): the month's figures, a campaign's serious ones (its exact dates), the
    monthly chart."""

    mine = _mine()
    occurred_on = models.DateField("日期")
    type = models.CharField("三违类别", max_length=12)
    severity = models.CharField("性质", max_length=10)
    objects = MineScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "三违计数"
        constraints = [
            models.UniqueConstraint(fields=["mine", "occurred_on", "type", "severity"], name="violation_tally_bucket")
        ]


class CountyViolationTally(_Tally):
    """三违 per (county bureau, day, severity), for the boards above the county."""

    bureau = _bureau()
    occurred_on = models.DateField("日期")
    severity = models.CharField("性质", max_length=10)

    class Meta:
        verbose_name = verbose_name_plural = "县级三违计数"
        constraints = [
            models.UniqueConstraint(fields=["bureau", "occurred_on", "severity"], name="county_violation_tally_bucket")
        ]
