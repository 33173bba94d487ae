import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from core import bounds
from core.history import AuditTrail
from core.scoping import MineScopedQuerySet

#: a certificate is announced this many days before it expires
CERTIFICATE_WARNING_DAYS = 30


class SessionKind(models.TextChoices):
    WARNING_EDUCATION = "warning_education", "事故警示教育"
    MAIN_LEADER_LECTURE = "main_leader_lecture", "主要负责人警示教育课"
    REFLECTION = "reflection", "全员安全生产大反思"
    TRAINING = "training", "安全生产教育培训"
    PRE_JOB = "pre_job", "岗前培训（先培训后上岗）"
    RETRAINING = "retraining", "脱产重新培训"


#: the sessions that count for the notice's 警示教育 coverage and need 1–2 accident cases
WARNING_KINDS = (SessionKind.WARNING_EDUCATION, SessionKind.MAIN_LEADER_LECTURE)


class TrainingSession(models.Model):
    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="sessions")
    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name="专项整治", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=20, choices=SessionKind.choices)
    held_on = models.DateField("日期", validators=[bounds.past_date])
    topic = models.CharField("主题", max_length=200)
    case_one = models.CharField("事故案例一", max_length=200, blank=True)
    case_two = models.CharField("事故案例二", max_length=200, blank=True)
    lecturer_name = models.CharField("授课人", max_length=40)
    lecturer = models.ForeignKey(
        "workforce.Person",
        verbose_name="授课人（名册）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lectures",
    )
    hours = models.DecimalField(
        "学时",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.MAX_SESSION_HOURS, "学时", " 小时"),
    )
    location = models.CharField("地点", max_length=100, blank=True)
    note = models.TextField("内容摘要", blank=True, validators=[bounds.note_text()])
    covers_major_hazard_standard = models.BooleanField(
        "讲授重大事故隐患判定标准", default=False, help_text="通知要求将重大事故隐患判定标准作为培训、考核的重要内容"
    )
    covers_red_lines = models.BooleanField("讲授红线清单和追责问责清单", default=False)
    pass_mark = models.DecimalField(
        "考核合格分",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounds.score("考核合格分"),
        help_text="组织考核的填写，如 80；不考核的不填",
    )
    units = models.ManyToManyField("workforce.WorkUnit", verbose_name="参加的班组/车间", blank=True, related_name="+")
    attendees = models.ManyToManyField(
        "workforce.Person", verbose_name="参加人员", blank=True, through="Attendance", related_name="sessions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = MineScopedQuerySet.as_manager()
    history = AuditTrail(verbose_name="培训记录修改记录")

    class Meta:
        verbose_name = "警示教育与培训"
        verbose_name_plural = "警示教育与培训"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["mine", "kind", "-held_on"], name="session_mine_kind")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"

    @property
    def cases(self):
        return [c for c in (self.case_one, self.case_two) if c]

    @property
    def has_exam(self):
        return self.pass_mark is not None


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, verbose_name="培训", on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        "workforce.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="attendance"
    )
    score = models.DecimalField(
        "考核成绩", max_digits=5, decimal_places=1, null=True, blank=True, validators=bounds.score("考核成绩")
    )

    history = AuditTrail(verbose_name="参加人员与成绩修改记录")

    class Meta:
        verbose_name = "参加人员"
        verbose_name_plural = "参加人员"
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | (models.Q(score__gte=0) & models.Q(score__lte=100)),
                name="attendance_score_0_100",
            ),
        ]
        indexes = [models.Index(fields=["person", "session"], name="attendance_person")]

    def __str__(self):
        return f"{self.person_id} @ {self.session_id}"

    @property
    def passed(self):
        """None when no exam was held or no score recorded."""
        if self.score is None or self.session.pass_mark is None:
            return None
        return self.score >= self.session.pass_mark


class CertificateKind(models.TextChoices):
    ELECTRICAL = "electrical", "煤矿井下电气作业"
    BLASTING = "blasting", "煤矿井下爆破作业"
    MONITORING = "monitoring", "煤矿安全监测监控作业"
    GAS_CHECK = "gas_check", "煤矿瓦斯检查作业"
    SAFETY_CHECK = "safety_check", "煤矿安全检查作业"
    HOIST = "hoist", "煤矿提升机操作作业"
    SHEARER = "shearer", "煤矿采煤机（掘进机）操作作业"
    GAS_DRAINAGE = "gas_drainage", "煤矿瓦斯抽采作业"
    OUTBURST = "outburst", "煤矿防突作业"
    WATER = "water", "煤矿探放水作业"
    WELDING = "welding", "焊接与热切割作业"
    HEIGHT = "height", "高处作业"
    FIRE_SYSTEM = "fire_system", "自动消防系统操作"
    OTHER = "other", "其他"


class CertificateQuerySet(MineScopedQuerySet):
    def expiring(self, today=None, days=CERTIFICATE_WARNING_DAYS):
        today = today or timezone.localdate()
        return self.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=days))

    def expired(self, today=None):
        return self.filter(expires_on__lt=today or timezone.localdate())


class Certificate(models.Model):
    """持证上岗: a special-operation (or automatic fire system) certificate of a person on the roster."""

    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "workforce.Person", verbose_name="持证人", on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField("作业类别", max_length=16, choices=CertificateKind.choices)
    number = models.CharField("证书编号", max_length=40)
    issued_on = models.DateField("发证日期", null=True, blank=True, validators=[bounds.past_date])
    expires_on = models.DateField("有效期至", validators=[bounds.expiry_date])
    issuer = models.CharField("发证机关", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = CertificateQuerySet.as_manager()
    history = AuditTrail(verbose_name="证书修改记录")

    class Meta:
        verbose_name = "特种作业证书"
        verbose_name_plural = "特种作业证书"
        ordering = ["expires_on", "id"]
        constraints = [models.UniqueConstraint(fields=["mine", "kind", "number"], name="certificate_unique_number")]
        indexes = [models.Index(fields=["mine", "expires_on"], name="certificate_expiry")]

    def __str__(self):
        return f"{self.person.name} {self.get_kind_display()} {self.number}"

    def state(self, today=None):
        today = today or timezone.localdate()
        if self.expires_on < today:
            return "expired"
        if self.expires_on <= today + dt.timedelta(days=CERTIFICATE_WARNING_DAYS):
            return "expiring"
        return "valid"
