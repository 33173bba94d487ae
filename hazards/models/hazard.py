import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core import bounds
from core.concurrency import RowVersioned
from core.files import StoredFile, random_upload_name
from core.history import AuditTrail
from core.models import import_batch_field, recorded_by_field
from core.scoping import MineScopedQuerySet


class HazardSource(models.TextChoices):
    TEAM_DAILY = "team_daily", "班组日查"
    UNIT_WEEKLY = "unit_weekly", "科队周查"
    ENTERPRISE_MONTHLY = "enterprise_monthly", "企业月查"
    GROUP_QUARTERLY = "group_quarterly", "集团季查"
    BUREAU_INSPECTION = "bureau_inspection", "县局执法检查"
    SUPERIOR_INSPECTION = "superior_inspection", "上级检查"
    REPORT = "report", "举报"


#: sources that are the mine's and its enterprise's own checks (自查), as opposed to inspections by others
SELF_CHECK_SOURCES = (
    HazardSource.TEAM_DAILY,
    HazardSource.UNIT_WEEKLY,
    HazardSource.ENTERPRISE_MONTHLY,
    HazardSource.GROUP_QUARTERLY,
)
#: sources that are inspections by others (the bureau's, a higher level's): what 自查不实 holds the own checks against
INSPECTION_SOURCES = (HazardSource.BUREAU_INSPECTION, HazardSource.SUPERIOR_INSPECTION)


class HazardSpecialty(models.TextChoices):
    VENTILATION = "ventilation", "通风"
    GAS = "gas", "瓦斯"
    OUTBURST = "outburst", "防突"
    WATER = "water", "防治水"
    ROOF = "roof", "顶板"
    MINING = "mining", "采掘"
    ELECTROMECHANICAL = "electromechanical", "机电"
    TRANSPORT = "transport", "运输"
    BLASTING = "blasting", "爆破"
    FIRE = "fire", "防灭火"
    GEOLOGY = "geology", "地测"
    OCCUPATIONAL_HEALTH = "occupational_health", "职业卫生"
    MANAGEMENT = "management", "安全管理"
    OTHER = "other", "其他"


class HazardLevel(models.TextChoices):
    GENERAL = "general", "一般"
    MAJOR = "major", "重大"


class HazardGrade(models.TextChoices):
    A = "A", "A级"
    B = "B", "B级"
    C = "C", "C级"


class HazardStatus(models.TextChoices):
    OPEN = "open", "待整改"
    RECTIFYING = "rectifying", "整改中"
    AWAITING_ACCEPTANCE = "awaiting_acceptance", "待验收"
    CLOSED = "closed", "已销号"


# The predicates of a hazard's life, each stated once (DESIGN.md §2: "Overdue = past due date and not closed"): the
# querysets, the counts of the home page and the dashboards (as Count(filter=…)), the sweeps, the exports and the
# instance properties all derive from these.


def open_q():
    """Not closed (未销号)."""
    return ~Q(status=HazardStatus.CLOSED)


def due_before_q(today=None):
    """Due before `today` (the bureau's day): overdue when not closed. Apart from open_q so that a table holding only
    hazards not closed (dashboards.figures' tallies) asks the same question of its `due_on`."""
    return Q(due_on__lt=today or timezone.localdate())


def overdue_q(today=None):
    """Past its due date and not closed, on `today` (the bureau's day)."""
    return due_before_q(today) & open_q()


def major_open_q():
    """A major hazard not yet closed: it keeps its mine under 停产整顿."""
    return Q(level=HazardLevel.MAJOR) & open_q()


def open_on_q(day):
    """Open on a past `day` (a report's period end): found by then and not closed by then (closed later or not yet)."""
    return Q(found_on__lte=day) & (open_q() | Q(accepted_on__gt=day))


def overdue_on_q(day):
    """Overdue on a past `day`: open on that day and due before it (overdue_q as it read then)."""
    return Q(due_on__lt=day) & open_on_q(day)


def missed_by_self_checks_q():
    """自查不实's one rule: a hazard an inspection found at a place the mine's own checks had not listed by then (no
    self-check hazard of the same mine at the same place found on or before it). Two partial indexes of Hazard serve
    it (the inspections' finds per mine, the own checks' per mine and place), so a county reads its inspections' rows
    and one index probe each, never its whole ledger."""
    self_listed = Hazard.objects.filter(
        mine_id=models.OuterRef("mine_id"),
        location=models.OuterRef("location"),
        source__in=SELF_CHECK_SOURCES,
        found_on__lte=models.OuterRef("found_on"),
    )
    return Q(source__in=INSPECTION_SOURCES) & ~models.Exists(self_listed)


def due_soon_q(today, days):
    """Not closed and due within the next `days` days (today included)."""
    return Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=days)) & open_q()


def days_overdue(*, status, due_on, today=None):
    """Days past the due date while not closed (0 when not overdue): the instance's view of overdue_q."""
    if status == HazardStatus.CLOSED or not due_on:
        return 0
    return max(0, ((today or timezone.localdate()) - due_on).days)


class HazardQuerySet(MineScopedQuerySet):
    def not_closed(self):
        return self.filter(open_q())

    def overdue(self, today=None):
        return self.filter(overdue_q(today))

    def not_overdue(self, today=None):
        return self.exclude(overdue_q(today))

    def open_major(self):
        return self.filter(major_open_q())

    def due_soon(self, today, days):
        return self.filter(due_soon_q(today, days))


def hazard_fingerprint(*, found_on, location, description):
    """What makes two ledger rows the same hazard: a re-import of a file must not duplicate them."""
    text = "|".join(
        [found_on.isoformat() if found_on else "", " ".join(location.split()), " ".join(description.split())]
    )
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Hazard(RowVersioned, models.Model):
    """事故隐患: one line of a mine's 问题隐患清单 / 整改清单."""

    # No index of its own: the ledger indexes and the unique constraint below all start with mine.
    mine = models.ForeignKey(
        "accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="hazards", db_index=False
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
        related_name="hazards",
        db_index=False,  # indexed where set (Meta: hazard_inspection): most lines are the mines' own
    )
    source = models.CharField("排查类型", max_length=24, choices=HazardSource.choices)
    found_on = models.DateField("排查日期", validators=[bounds.past_date])
    location = models.CharField("隐患地点", max_length=200)
    specialty = models.CharField("专业", max_length=24, choices=HazardSpecialty.choices, default=HazardSpecialty.OTHER)
    description = models.TextField("隐患内容", validators=[bounds.long_text()])
    level = models.CharField("隐患等级", max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    grade = models.CharField("一般隐患分级", max_length=1, choices=HazardGrade.choices, blank=True)
    major_category = models.ForeignKey(
        "hazards.MajorHazardCategory",
        verbose_name="重大隐患类别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
        db_index=False,  # never searched by; every index costs each of a million inserts
    )
    # The situation (情形) of the category it was judged under; null on rows recorded before the items were data.
    major_item = models.ForeignKey(
        "hazards.MajorHazardItem",
        verbose_name="重大隐患情形",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
        db_index=False,  # never searched by; every index costs each of a million inserts
    )
    # 五落实: measures, funds, responsibility, time limit, contingency plan.
    measures = models.TextField("整改措施", blank=True, validators=[bounds.long_text()])
    funds = models.DecimalField(
        "整改资金（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.MAX_FUNDS_YUAN, "整改资金", " 元"),
    )
    responsible_unit = models.CharField("整改责任单位", max_length=100, blank=True)
    responsible_person = models.CharField("整改责任人", max_length=40, blank=True)
    due_on = models.DateField("整改期限", null=True, blank=True, validators=[bounds.planned_date])
    contingency_plan = models.TextField("应急预案", blank=True, validators=[bounds.long_text()])

    status = models.CharField("状态", max_length=24, choices=HazardStatus.choices, default=HazardStatus.OPEN)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True, validators=[bounds.past_date])
    # Who asked for the pending acceptance: that person does not accept it (permissions.can_accept). Cleared when the
    # acceptance is refused, so the next request names its own requester.
    acceptance_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请验收人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never searched by
    )
    accepted_by_name = models.CharField("验收人", max_length=40, blank=True)
    accepted_on = models.DateField("销号日期", null=True, blank=True, validators=[bounds.past_date])
    note = models.CharField("备注", max_length=500, blank=True)

    fingerprint = models.CharField(max_length=40, editable=False)
    created_by = recorded_by_field()
    import_batch = import_batch_field()  # indexed below, partially: most rows are typed in
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = HazardQuerySet.as_manager()

    history = AuditTrail(verbose_name="隐患修改记录")

    class Meta:
        verbose_name = "事故隐患"
        verbose_name_plural = "事故隐患"
        ordering = ["-found_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mine", "fingerprint"], name="hazard_unique_per_mine"),
            models.CheckConstraint(
                condition=Q(level="major") | Q(major_category__isnull=True), name="hazard_category_only_if_major"
            ),
            models.CheckConstraint(
                condition=Q(level="major") | Q(major_item__isnull=True), name="hazard_item_only_if_major"
            ),
            models.CheckConstraint(condition=Q(funds__isnull=True) | Q(funds__gte=0), name="hazard_funds_not_negative"),
        ]
        indexes = [
            models.Index(fields=["import_batch"], condition=Q(import_batch__isnull=False), name="hazard_import_batch"),
            models.Index(fields=["mine", "-found_on", "-id"], name="hazard_mine_ledger"),
            # A bureau's or an enterprise's ledger, newest first, without sorting a million rows.
            # The mine beside the key: a page of a county is found in the index alone (the visibility rule joins the
            # mine), and only its 20 rows are read from the table (core.paging).
            models.Index(fields=["-found_on", "-id"], include=["mine"], name="hazard_ledger_time"),
            models.Index(fields=["mine", "status"], name="hazard_mine_status"),
            models.Index(fields=["status", "due_on"], name="hazard_status_due"),
            # An inspection's hazards; the mines' own lines (every imported one) have none and stay out of it.
            models.Index(fields=["inspection"], condition=Q(inspection__isnull=False), name="hazard_inspection"),
            # The dashboards' reads of the few rows they need (issue 24): the major hazards of a county (动态清零
            # series, 四无) — about 1 % of its ledger — and the two sides of 自查不实 (missed_by_self_checks_q).
            models.Index(
                fields=["mine", "found_on"],
                include=["accepted_on", "status"],
                condition=Q(level=HazardLevel.MAJOR),
                name="hazard_mine_major",
            ),
            models.Index(
                fields=["mine"],
                include=["location", "found_on", "level"],
                condition=Q(source__in=INSPECTION_SOURCES),
                name="hazard_mine_inspection",
            ),
            models.Index(
                fields=["mine", "location", "found_on"],
                condition=Q(source__in=SELF_CHECK_SOURCES),
                name="hazard_mine_self_check_place",
            ),
        ]

    def __str__(self):
        return f"{self.location}：{self.description[:30]}"

    def save(self, *args, **kwargs):
        self.fingerprint = hazard_fingerprint(
            found_on=self.found_on, location=self.location, description=self.description
        )
        super().save(*args, **kwargs)

    def clean(self):
        # The rules across fields are hazards.validation's, the service's and the importer's: the page and the admin
        # (ModelForms, which call this) refuse what they refuse, with the same message on the same field.
        from ..validation import hazard_rules

        errors = {}
        for name, message in hazard_rules(self):
            errors.setdefault(name or NON_FIELD_ERRORS, []).append(message)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # How the line was judged when read (level, category, item): hazards.validation.item_required lets a major
        # hazard recorded before the items were data be edited without one while that judgement stands.
        row = dict(zip(field_names, values, strict=True))
        if all(name in row for name in ("level", "major_category_id", "major_item_id")):
            instance._stored_judgement = (row["level"], row["major_category_id"], row["major_item_id"])
        return instance

    @property
    def is_major(self):
        return self.level == HazardLevel.MAJOR

    @property
    def is_closed(self):
        return self.status == HazardStatus.CLOSED

    @property
    def accountability_missing(self):
        """A major hazard of a campaign without its 一案双查 record: it may not be closed (services.hazard_accept).
        Reads `accountability` as prefetched by the detail page."""
        return self.is_major and self.campaign_id is not None and not self.accountability.all()

    def days_overdue(self, today=None):
        """Days past the due date while not closed (0 when not overdue)."""
        return days_overdue(status=self.status, due_on=self.due_on, today=today)

    @property
    def overdue(self):
        return self.days_overdue() > 0

    @property
    def missing_five_implementations(self):
        """The 五落实 a major hazard still lacks (empty when complete or not major)."""
        if not self.is_major:
            return []
        checks = [
            ("整改措施", self.measures),
            ("整改资金", self.funds is not None),
            ("责任单位", self.responsible_unit),
            ("责任人", self.responsible_person),
            ("整改期限", self.due_on),
            ("应急预案", self.contingency_plan),
        ]
        return [label for label, value in checks if not value]


class HazardEvent(models.Model):
    """One step in a hazard's life, kept for its history (who did what, when, and why)."""

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=40)
    from_status = models.CharField("原状态", max_length=24, choices=HazardStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=24, choices=HazardStatus.choices, blank=True)
    note = models.TextField("说明", blank=True, validators=[bounds.note_text()])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never searched by (users are deactivated, not deleted); written at every step of every hazard
    )
    at = models.DateTimeField("时间", default=timezone.now, validators=[bounds.past_date])

    class Meta:
        verbose_name = "隐患处理记录"
        verbose_name_plural = "隐患处理记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class HazardFileStage(models.TextChoices):
    BEFORE = "before", "整改前"
    AFTER = "after", "整改后"
    OTHER = "other", "其他资料"


def hazard_file_path(instance, filename):
    return random_upload_name("hazards", instance.content_type)


class HazardFile(StoredFile):
    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.CASCADE, related_name="files")
    stage = models.CharField("阶段", max_length=10, choices=HazardFileStage.choices)
    file = models.FileField("文件", upload_to=hazard_file_path)

    class Meta:
        verbose_name = "隐患照片与资料"
        verbose_name_plural = "隐患照片与资料"
        ordering = ["stage", "uploaded_at"]


class ListingStatus(models.TextChoices):
    """A listing's own state, apart from the hazard's: a closed hazard stays 挂牌中 until the bureau takes it down."""

    LISTED = "listed", "挂牌中"
    DELISTED = "delisted", "已摘牌"


class HazardListingQuerySet(models.QuerySet):
    def current(self):
        """Still on the board (挂牌中): not yet taken down."""
        return self.filter(delisted_on__isnull=True)

    def published(self):
        """Closed cases the bureau chose to make public (曝光) and has not withdrawn."""
        return self.filter(published_on__isnull=False)

    def public(self, *, bureau_id):
        """What the public page of a bureau shows: its current listings and its published cases, nothing else."""
        return self.filter(hazard__mine__bureau_id=bureau_id).filter(
            Q(delisted_on__isnull=True) | Q(published_on__isnull=False)
        )


class HazardListing(models.Model):
    """挂牌督办: the bureau lists a major hazard publicly; once the hazard is closed (验收销号) the bureau takes it down
    (摘牌) as a step of its own, and may then publish the case (曝光) with a summary written for the public."""

    hazard = models.OneToOneField(Hazard, verbose_name="隐患", on_delete=models.CASCADE, related_name="listing")
    listed_on = models.DateField("挂牌日期", validators=[bounds.past_date])
    supervising_unit = models.CharField("督办单位", max_length=100)
    notice_text = models.TextField("公告内容", validators=[bounds.long_text()])
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="挂牌人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    # 摘牌: the bureau's verdict that the listed hazard is dealt with (after 验收销号), with its opinion.
    delisted_on = models.DateField("摘牌日期", null=True, blank=True, validators=[bounds.past_date])
    delisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="摘牌人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never searched by
    )
    delisting_note = models.TextField("摘牌意见", blank=True, validators=[bounds.note_text()])
    # 曝光: a delisted case the bureau chose to publish. The summary is written for the public; the page shows it and
    # the few public fields of the hazard, never the internal record (people, money, notes, files).
    public_summary = models.TextField("公开说明", blank=True, validators=[bounds.note_text()])
    published_on = models.DateField("曝光日期", null=True, blank=True, validators=[bounds.past_date])
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="曝光人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never searched by
    )

    objects = HazardListingQuerySet.as_manager()

    class Meta:
        verbose_name = "挂牌督办"
        verbose_name_plural = "挂牌督办"
        ordering = ["-listed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(delisted_on__isnull=False),
                name="listing_published_only_when_delisted",
            ),
        ]

    def __str__(self):
        return f"挂牌督办 {self.listed_on:%Y-%m-%d}：{self.hazard}"

    @property
    def is_delisted(self):
        return self.delisted_on is not None

    @property
    def is_published(self):
        return self.published_on is not None

    @property
    def status(self):
        return ListingStatus.DELISTED if self.is_delisted else ListingStatus.LISTED

    def get_status_display(self):
        return self.status.label

    @property
    def awaiting_delisting(self):
        """Its hazard is closed and it still hangs: the bureau's 摘牌 is the next step."""
        return not self.is_delisted and self.hazard.is_closed

    @property
    def publishable(self):
        """Taken down and not (or no longer) public: the bureau may publish it (曝光)."""
        return self.is_delisted and not self.is_published


class HazardAccountability(models.Model):
    """一案双查: for a major hazard, the enterprise's and the supervisors' responsibility and the outcome."""

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.CASCADE, related_name="accountability")
    enterprise_responsibility = models.TextField("企业责任调查", validators=[bounds.note_text()])
    supervision_responsibility = models.TextField("监管责任调查", validators=[bounds.note_text()])
    outcome = models.TextField("处理结果", validators=[bounds.note_text()])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "一案双查"
        verbose_name_plural = "一案双查"
        ordering = ["recorded_at"]

    def __str__(self):
        return f"一案双查：{self.hazard}"
