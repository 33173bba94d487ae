from django.conf import settings
from django.db import models

from core.concurrency import RowVersioned
from core.history import AuditTrail
from core.models import import_batch_field
from core.scoping import MineScopedQuerySet


class UnitKind(models.TextChoices):
    WORKSHOP = "workshop", "车间（科队）"
    TEAM = "team", "班组"


class WorkUnit(models.Model):
    """A workshop (科队) or a team (班组) of the mine's roster: what 警示教育 must cover, 100% of them."""

    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="work_units")
    kind = models.CharField("类别", max_length=10, choices=UnitKind.choices)
    name = models.CharField("名称", max_length=60)
    workshop = models.ForeignKey(
        "self",
        verbose_name="所属车间（科队）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
        limit_choices_to={"kind": UnitKind.WORKSHOP},
    )
    is_active = models.BooleanField("在用", default=True)
    #: the roster import that created it for its people (core.models.ImportBatch), none when typed in: an undo of
    #: the batch removes it again unless something else uses it by then
    import_batch = import_batch_field()  # indexed below, partially: most rows are typed in

    objects = MineScopedQuerySet.as_manager()
    history = AuditTrail(verbose_name="班组车间修改记录")

    class Meta:
        verbose_name = "车间（科队）/班组"
        verbose_name_plural = "车间（科队）/班组"
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["mine", "kind", "name"], name="work_unit_unique_name")]
        indexes = [
            models.Index(
                fields=["import_batch"], condition=models.Q(import_batch__isnull=False), name="unit_import_batch"
            )
        ]

    def __str__(self):
        return self.name


class PersonRole(models.TextChoices):
    MAIN_LEADER = "main_leader", "主要负责人"
    MANAGER = "manager", "管理人员"
    WORKER = "worker", "从业人员"


class Employment(models.TextChoices):
    STAFF = "staff", "本矿职工"
    OUTSOURCED = "outsourced", "外包外租单位人员"
    DISPATCHED = "dispatched", "劳务派遣人员"
    FLEXIBLE = "flexible", "灵活用工人员"


#: the notice, 三(二)2: these are trained, held responsible and checked like the mine's own staff
NOT_OWN_STAFF = (Employment.OUTSOURCED, Employment.DISPATCHED, Employment.FLEXIBLE)


class PersonQuerySet(MineScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Person(RowVersioned, models.Model):
    """One person on the mine's roster (人员名册), outsourced and dispatched workers included."""

    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="people")
    name = models.CharField("姓名", max_length=40)
    employee_no = models.CharField("工号", max_length=30, blank=True)
    role = models.CharField("人员类别", max_length=12, choices=PersonRole.choices, default=PersonRole.WORKER)
    post = models.CharField("岗位（工种）", max_length=60, blank=True)
    unit = models.ForeignKey(
        WorkUnit, verbose_name="所在班组/车间", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    employment = models.CharField("用工形式", max_length=12, choices=Employment.choices, default=Employment.STAFF)
    employer = models.CharField("外包/派遣单位", max_length=100, blank=True)
    is_active = models.BooleanField("在岗", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    #: the roster import that brought the person in (core.models.ImportBatch), none when typed in
    import_batch = import_batch_field()  # indexed below, partially: most rows are typed in

    objects = PersonQuerySet.as_manager()
    history = AuditTrail(verbose_name="人员名册修改记录")

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员名册"
        ordering = ["role", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["mine", "name", "employee_no"], name="person_unique_per_mine")]
        indexes = [
            models.Index(fields=["mine", "role", "name"], name="person_roster"),
            models.Index(
                fields=["import_batch"], condition=models.Q(import_batch__isnull=False), name="person_import_batch"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.employee_no}）" if self.employee_no else self.name

    @property
    def is_own_staff(self):
        return self.employment == Employment.STAFF
