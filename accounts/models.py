from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from core import bounds
from core.concurrency import RowVersioned
from core.history import AuditTrail
from core.scoping import ScopedQuerySet


class OrganizationKind(models.TextChoices):
    PROVINCE = "province", "省应急管理厅"
    CITY = "city", "市应急管理局"
    BUREAU = "bureau", "县应急管理局"  # the county: the API value stays "bureau" (the contract since the first release)
    ENTERPRISE = "enterprise", "主体企业"
    MINE = "mine", "煤矿"


#: the regulators (province → city → county): each is its own `bureau`, and a higher one sees the rows below it
REGULATOR_KINDS = (OrganizationKind.PROVINCE, OrganizationKind.CITY, OrganizationKind.BUREAU)
#: the kinds above the county
HIGHER_KINDS = (OrganizationKind.PROVINCE, OrganizationKind.CITY)
#: the kind a parent must have, per kind (None: no parent allowed). A county or a city may stand alone.
PARENT_KIND = {
    OrganizationKind.PROVINCE: None,
    OrganizationKind.CITY: OrganizationKind.PROVINCE,
    OrganizationKind.BUREAU: OrganizationKind.CITY,
    OrganizationKind.ENTERPRISE: OrganizationKind.BUREAU,
    OrganizationKind.MINE: OrganizationKind.ENTERPRISE,
}

division_code_format = RegexValidator(r"^[0-9]{6}\Z", "行政区划代码应为 6 位数字（GB/T 2260），如 140522。")


def division_code_problem(kind, code, parent_code=""):
    """Why `code` (行政区划代码, GB/T 2260) does not fit an organisation of `kind` under a parent coded `parent_code`,
    in Chinese; None when it fits. The code's levels: 2 digits of province, 2 of city, 2 of county — a province ends in
    0000, a city in 00 (not 0000), a county never in 00; a county repeats its city's first four digits, a city its
    province's first two (a county directly under a province, such as 济源, is not modelled: its parent is a city).
    Enterprises and mines may carry the code of where they are: any six digits."""
    if not code:
        return None
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return "行政区划代码应为 6 位数字（GB/T 2260），如 140522。"
    if kind == OrganizationKind.PROVINCE and not code.endswith("0000"):
        return "省级行政区划代码的后四位应为 0000，如 140000。"
    if kind == OrganizationKind.CITY and (not code.endswith("00") or code.endswith("0000")):
        return "市级行政区划代码的后两位应为 00（且后四位不全为 0），如 140500。"
    if kind == OrganizationKind.BUREAU and code.endswith("00"):
        return "县级行政区划代码的后两位不能为 00，如 140522。"
    if parent_code and kind == OrganizationKind.BUREAU and code[:4] != parent_code[:4]:
        return f"县级行政区划代码的前四位应与所属市的代码（{parent_code}）前四位相同。"
    if parent_code and kind == OrganizationKind.CITY and code[:2] != parent_code[:2]:
        return f"市级行政区划代码的前两位应与所属省的代码（{parent_code}）前两位相同。"
    return None


class MineStatus(models.TextChoices):
    NORMAL = "normal", "正常生产"
    SUSPENDED = "suspended", "停产整顿"
    CONSTRUCTION = "construction", "基建"
    IDLE = "idle", "长期停产"


class OrganizationQuerySet(ScopedQuerySet):
    """Organisations the user may see: its own, and those under it."""

    scope_path = ""  # the row is the organisation
    scope_owned = True


class Organization(models.Model):
    """A regulator (province, city, county bureau), an enterprise (主体) or a mine: one table, so submissions and
    users point at one thing.

    `parent` is the enterprise of a mine, the county bureau of an enterprise, the city of a county bureau (none for a
    standalone county) and the province of a city (none for a standalone city); `bureau` is stored on every row
    (itself for a regulator of any level; the county bureau for enterprises and mines) so that the bureau-wide
    visibility rule is a single indexed column — a city's or province's users see the rows whose `bureau` is one of
    the few regulators at or below theirs (core.scoping).
    """

    kind = models.CharField("类型", max_length=16, choices=OrganizationKind.choices)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    bureau = models.ForeignKey(
        "self", verbose_name="所属应急管理局", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Mine attributes (blank for bureaus and enterprises).
    licence_no = models.CharField("安全生产许可证号", max_length=60, blank=True)
    capacity_mt = models.DecimalField(
        "核定生产能力（万吨/年）",
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.MAX_CAPACITY_MT, "核定生产能力", " 万吨/年"),
    )
    status = models.CharField("生产状态", max_length=16, choices=MineStatus.choices, default=MineStatus.NORMAL)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    contact_email = models.EmailField("电子邮箱", max_length=100, blank=True)
    # A bureau's name in public addresses (/public/listed-hazards/?bureau=yangcheng): set by the administrator; a
    # bureau without one is still found by its id.
    # 行政区划代码 (GB/T 2260): how imports from other systems match a regulator; unique among regulators.
    division_code = models.CharField(
        "行政区划代码",
        max_length=6,
        blank=True,
        validators=[division_code_format],
        help_text="GB/T 2260 六位行政区划代码，如阳城县 140522、晋城市 140500、山西省 140000",
    )
    public_code = models.SlugField(
        "公开代码",
        max_length=40,
        blank=True,
        db_index=False,  # the unique constraint below is its index
        help_text="县应急管理局在公开页面地址中的代码，如 yangcheng（小写字母、数字、连字符）",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name", "parent"], name="org_unique_name_under_parent"),
            models.CheckConstraint(
                condition=Q(kind__in=["province", "city", "bureau"]) | Q(parent__isnull=False),
                name="org_parent_required_below_bureau",
            ),
            models.CheckConstraint(condition=~Q(kind="province", parent__isnull=False), name="org_province_at_top"),
            models.UniqueConstraint(
                fields=["division_code"],
                condition=Q(kind__in=["province", "city", "bureau"]) & ~Q(division_code=""),
                name="org_division_code_unique_among_regulators",
                violation_error_message="已有监管部门使用该行政区划代码。",
            ),
            models.UniqueConstraint(
                fields=["public_code"], condition=~Q(public_code=""), name="org_public_code_unique"
            ),
        ]
        indexes = [models.Index(fields=["bureau", "kind"]), models.Index(fields=["parent", "kind"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.is_regulator and self.parent_id:
            self.bureau_id = self.parent.bureau_id if not self.parent.is_regulator else self.parent_id
        super().save(*args, **kwargs)
        if self.is_regulator and self.bureau_id != self.pk:
            type(self).objects.filter(pk=self.pk).update(bureau_id=self.pk)
            self.bureau_id = self.pk

    def clean(self):
        super().clean()
        parent = self.parent if self.parent_id else None
        wanted = PARENT_KIND.get(self.kind)
        if parent is not None and (wanted is None or parent.kind != wanted):
            if wanted is None:
                raise ValidationError({"parent": f"{self.get_kind_display()}没有上级单位。"})
            wanted_label = OrganizationKind(wanted).label
            raise ValidationError({"parent": f"{self.get_kind_display()}的上级单位应为{wanted_label}。"})
        problem = division_code_problem(self.kind, self.division_code, parent.division_code if parent else "")
        if problem:
            raise ValidationError({"division_code": problem})

    @property
    def is_regulator(self):
        return self.kind in REGULATOR_KINDS

    @property
    def public_key(self):
        """How a public address names this bureau (?bureau=…): its public code, else its id."""
        return self.public_code or str(self.pk)

    @property
    def is_suspended(self):
        return self.status == MineStatus.SUSPENDED

    @property
    def enterprise(self):
        return self.parent if self.kind == OrganizationKind.MINE else None


class KindManager(models.Manager.from_queryset(OrganizationQuerySet)):
    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


class Bureau(Organization):
    objects = KindManager(OrganizationKind.BUREAU)

    class Meta:
        proxy = True
        verbose_name = "县应急管理局"
        verbose_name_plural = "县应急管理局"

    def save(self, *args, **kwargs):
        self.kind = OrganizationKind.BUREAU
        super().save(*args, **kwargs)


class City(Organization):
    """市应急管理局: above its counties; its users see them read-only."""

    objects = KindManager(OrganizationKind.CITY)

    class Meta:
        proxy = True
        verbose_name = "市应急管理局"
        verbose_name_plural = "市应急管理局"

    def save(self, *args, **kwargs):
        self.kind = OrganizationKind.CITY
        super().save(*args, **kwargs)


class Province(Organization):
    """省应急管理厅: above its cities."""

    objects = KindManager(OrganizationKind.PROVINCE)

    class Meta:
        proxy = True
        verbose_name = "省应急管理厅"
        verbose_name_plural = "省应急管理厅"

    def save(self, *args, **kwargs):
        self.kind = OrganizationKind.PROVINCE
        super().save(*args, **kwargs)


class Enterprise(Organization):
    objects = KindManager(OrganizationKind.ENTERPRISE)

    class Meta:
        proxy = True
        verbose_name = "主体企业"
        verbose_name_plural = "主体企业"

    def save(self, *args, **kwargs):
        self.kind = OrganizationKind.ENTERPRISE
        super().save(*args, **kwargs)


class Mine(Organization):
    objects = KindManager(OrganizationKind.MINE)

    class Meta:
        proxy = True
        verbose_name = "煤矿"
        verbose_name_plural = "煤矿"

    def save(self, *args, **kwargs):
        self.kind = OrganizationKind.MINE
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    MINE_OFFICER = "mine_officer", "煤矿安全管理人员"
    ENTERPRISE_OFFICER = "enterprise_officer", "主体安全管理人员"
    INSPECTOR = "inspector", "县局执法人员"
    LEADER = "leader", "领导组成员"
    ADMIN = "admin", "系统管理员"
    # A role of its own rather than inspector/leader at a city: every write predicate already names the county's
    # writers (inspector, unit officers), so a regulator is refused everything below without any predicate learning
    # about levels, and a county role wrongly given to a city account sees nothing (core.scoping) instead of writing
    # in every county below. What a city writes of its own (its campaigns, inspections) will be granted by name.
    REGULATOR = "regulator", "市局/省厅监管人员"


#: which kinds of organisation each role belongs to (User.clean)
ROLE_ORGANIZATION_KIND = {
    Role.MINE_OFFICER: (OrganizationKind.MINE,),
    Role.ENTERPRISE_OFFICER: (OrganizationKind.ENTERPRISE,),
    Role.INSPECTOR: (OrganizationKind.BUREAU,),
    Role.LEADER: (OrganizationKind.BUREAU,),
    Role.ADMIN: (OrganizationKind.BUREAU,),
    Role.REGULATOR: HIGHER_KINDS,
}


class AccountManager(UserManager):
    def get_queryset(self):
        # Every request loads its user; the organisation comes in the same query.
        return super().get_queryset().select_related("organization")


class User(AbstractUser):
    role = models.CharField("角色", max_length=24, choices=Role.choices, default=Role.MINE_OFFICER)
    organization = models.ForeignKey(
        Organization, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    full_name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    title = models.CharField("职务", max_length=40, blank=True)
    certificate_no = models.CharField(
        "执法证号", max_length=30, blank=True, help_text="县局执法人员的行政执法证号，签发执法文书时写入文书"
    )
    email_notices = models.BooleanField("接收邮件通知", default=True)
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=False, help_text="管理员创建或重置密码的账号，首次登录时必须自行设置新密码"
    )

    objects = AccountManager()

    history = AuditTrail(excluded_fields=["password", "last_login"], verbose_name="用户修改记录")

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        kinds = ROLE_ORGANIZATION_KIND.get(self.role, ())
        if self.organization_id and self.organization.kind not in kinds:
            labels = "或".join(OrganizationKind(k).label for k in kinds)
            raise ValidationError({"organization": f"{self.get_role_display()}应属于{labels}。"})

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_bureau_user(self):
        """Building block of the visibility rules of bureau-owned rows (bulletins, tip-offs, campaigns);
        the rule itself is accounts.permissions.is_bureau_user."""
        from .permissions import is_bureau_user

        return is_bureau_user(self)

    @property
    def sees_below(self):
        """Building block of core.scoping: a user whose organisation's level (city, province) lets it see the counties
        below; the rule itself is accounts.permissions.is_regulator."""
        from .permissions import is_regulator

        return is_regulator(self)

    @property
    def bureau_id(self):
        return self.organization.bureau_id if self.organization_id else None


class SupervisorDuty(models.TextChoices):
    LEAD = "lead", "主包"
    ASSIST = "assist", "协包"


class MineSupervisorQuerySet(ScopedQuerySet):
    """The 包保 of the mines the user sees: a mine sees who supervises it, the bureau every mine's."""

    scope_path = "mine"

    def active(self):
        """Assignments of people still at work (a deactivated account keeps its rows, but supervises no one)."""
        return self.filter(supervisor__is_active=True)


class MineSupervisor(RowVersioned, models.Model):
    """监管专员包保: a bureau inspector answering for a mine. One mine may have several, a user many mines.

    A standing record of the bureau, not of one campaign: the notice's 检查工作组 takes in "全体监管专员", who are
    there before the campaign starts and after it ends."""

    mine = models.ForeignKey(
        Organization,
        verbose_name="煤矿",
        on_delete=models.CASCADE,
        related_name="supervisions",
        limit_choices_to={"kind": OrganizationKind.MINE},
    )
    supervisor = models.ForeignKey(
        User, verbose_name="监管专员", on_delete=models.PROTECT, related_name="supervised_mines"
    )
    duty = models.CharField("包保分工", max_length=16, choices=SupervisorDuty.choices, default=SupervisorDuty.LEAD)
    since = models.DateField("包保起始日期", null=True, blank=True, validators=[bounds.planned_date])
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = MineSupervisorQuerySet.as_manager()

    history = AuditTrail(verbose_name="包保修改记录")

    class Meta:
        verbose_name = "监管专员包保"
        verbose_name_plural = "监管专员包保"
        ordering = ["mine", "duty", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mine", "supervisor"], name="supervisor_once_per_mine"),
        ]

    def __str__(self):
        return f"{self.supervisor} 包保 {self.mine}（{self.get_duty_display()}）"
