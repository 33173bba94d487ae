import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core import bounds
from core.scoping import BUREAU, scope_of


def check_thresholds(value):
    from campaign.figures import check_thresholds

    check_thresholds(value)


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Campaigns of the user's bureau; templates only to bureau users (they clone them)."""
        scope = scope_of(user)
        q = scope.bureau_q("bureau") & Q(is_template=False)
        if not scope.bureau_desk:
            # A draft is the bureau's work in progress: mines and enterprises see a campaign once it is published,
            # and only one they take part in.
            from campaign.membership import joined_by_q

            q &= Q(status=CampaignStatus.PUBLISHED) & joined_by_q(scope)
        if scope.bureau_desk:
            q |= Q(is_template=True, bureau__isnull=True) | (Q(is_template=True) & scope.bureau_q("bureau"))
        if scope.kind == BUREAU and scope.bureau_desk:
            q |= self._issued_above_q(scope.org_id)
        return self.filter(q)

    @staticmethod
    def _issued_above_q(county_id):
        """The published campaigns of the city above a county that the county takes part in (it adopts them and owes
        them its reports: campaign.membership.reports_upward). Subqueries, so the county's parent is not read first."""
        from accounts.models import Organization

        named = Campaign.participants.through.objects.filter(organization_id=county_id).values("campaign_id")
        return Q(
            status=CampaignStatus.PUBLISHED,
            is_template=False,
            bureau__in=Organization.objects.filter(pk=county_id).values("parent_id"),
        ) & (Q(covers_all_units=True) | Q(pk__in=named))

    def worked_in_by(self, user):
        """Of these, the campaigns whose records the user works in: its own bureau's (a mine's: its county's); above
        the county, its own and its counties'. A county reads its city's campaign and reports to it, but its
        dashboards, lists and switcher are its own campaigns' (the city's holds no mine)."""
        return self.filter(scope_of(user).bureau_q("bureau"))

    def running_on(self, day):
        """Published campaigns whose dates hold `day` (a draft runs nowhere, whatever its dates)."""
        return self.filter(is_template=False, status=CampaignStatus.PUBLISHED, starts_on__lte=day, ends_on__gte=day)


class CampaignStatus(models.TextChoices):
    """Authoring (issue 21): a campaign is the bureau's draft until published; publishing locks its structure, and a
    change after it is a new version (CampaignRevision). Campaigns that existed before authoring are published."""

    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class CampaignState(models.TextChoices):
    """Where a campaign stands on a day, from its dates (not stored: it changes by itself at midnight)."""

    NOT_STARTED = "not_started", "未开始"
    RUNNING = "running", "进行中"
    ENDED = "ended", "已结束"


class Campaign(models.Model):
    code = models.SlugField("编号", max_length=40, unique=True)
    name = models.CharField("名称", max_length=200)
    document_no = models.CharField("文号", max_length=60, blank=True)
    issuer = models.CharField("印发单位", max_length=100, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True, validators=[bounds.planned_date])
    starts_on = models.DateField("开始日期", validators=[bounds.planned_date])
    ends_on = models.DateField("结束日期", validators=[bounds.planned_date])
    goals = models.JSONField("目标", default=list, blank=True, help_text="如“四无”目标：[{code, name}]")
    bureau = models.ForeignKey(
        "accounts.Organization",
        verbose_name="组织单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        # A county's campaign runs over its mines; a city's (or a province's) over the counties below it, which adopt
        # it (`adopts`) and owe it their own reports (Deadline.owed_by_bureau).
        limit_choices_to={"kind__in": ["bureau", "city", "province"]},
        related_name="campaigns",
    )
    adopts = models.ForeignKey(
        "self",
        verbose_name="落实的上级专项整治",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoptions",
        help_text="县局落实市局（省厅）部署的专项整治时，本期即其在本县的方案：复制上级的阶段、时限和任务清单，再加上本县的",
    )
    is_template = models.BooleanField("模板", default=False, help_text="模板不直接使用，而是复制为新一期专项整治")
    source = models.ForeignKey(
        "self", verbose_name="复制自", null=True, blank=True, on_delete=models.SET_NULL, related_name="clones"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # The campaign's own figures that no task item holds (campaign.figures.CAMPAIGN_FIGURES), e.g. the reporting
    # reminders' days before a deadline: {"reminder_days": [7, 3, 1]}. Missing: the 2024 notice's values.
    thresholds = models.JSONField(
        "阈值设置",
        default=dict,
        blank=True,
        validators=[check_thresholds],
        help_text='本期专项整治自身的数值，如报送提醒提前天数：{"reminder_days": [7, 3, 1]}。不填的按默认值。',
    )
    status = models.CharField(
        "状态", max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.PUBLISHED, db_index=True
    )
    version = models.PositiveIntegerField(
        "版本",
        default=1,
        editable=False,
        help_text="发布时为第 1 版；发布后每次修改结构（阶段、时限、任务清单、日期）增加一版",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who takes part (issue 21, several campaigns at once): every mine and enterprise of the bureau, or only those
    # named here. Naming an enterprise brings in all its mines; naming a mine brings in its enterprise (which
    # oversees it). campaign.membership is the one reading of these two fields.
    covers_all_units = models.BooleanField(
        "全县煤矿和主体企业参加", default=True, help_text="不勾选时，只有选定的煤矿和主体企业参加本期专项整治"
    )
    participants = models.ManyToManyField(
        "accounts.Organization",
        verbose_name="参加单位",
        blank=True,
        related_name="campaigns_joined",
        limit_choices_to={"kind__in": ["mine", "enterprise", "bureau", "city"]},
        help_text="选定主体企业即其所属煤矿全部参加；选定煤矿即其主体企业一并参加（督促所属煤矿）；"
        "市局的专项整治选定下辖县（市、区）",
    )
    notice_text = models.TextField(
        "通知全文",
        blank=True,
        validators=[bounds.text_at_most(500_000)],
        help_text="印发的通知原文，每行一段；任务清单的每一项指向它所出自的段落",
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "专项整治"
        verbose_name_plural = "专项整治"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"),
            # a county adopts a city's campaign once (its second answer would be a second copy of the same work)
            models.UniqueConstraint(
                fields=["bureau", "adopts"], condition=Q(adopts__isnull=False), name="campaign_adopted_once"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_draft(self):
        return self.status == CampaignStatus.DRAFT

    def notice_paragraphs(self):
        """The notice's text as (paragraph number, text) for its non-blank lines: the numbers the task list's
        `paragraph` points at (campaign.task_list reads a text line by line, a .docx paragraph by paragraph)."""
        return [(n, line) for n, line in enumerate(self.notice_text.splitlines(), start=1) if line.strip()]

    def phase_on(self, day):
        """The phase that `day` falls in (from the prefetched phases), or None before or after the campaign."""
        for phase in self.phases.all():
            if phase.starts_on <= day <= phase.ends_on:
                return phase
        return None

    @property
    def current_phase(self):
        return self.phase_on(timezone.localdate())

    def state_on(self, day):
        """未开始 / 进行中 / 已结束 on `day` (the same dates as `CampaignQuerySet.running_on`)."""
        if day < self.starts_on:
            return CampaignState.NOT_STARTED
        return CampaignState.RUNNING if day <= self.ends_on else CampaignState.ENDED

    @property
    def state(self):
        """Today's state (Asia/Shanghai), as a CampaignState: `{{ c.state.label }}` on a page."""
        return CampaignState(self.state_on(timezone.localdate()))

    @property
    def total_days(self):
        return (self.ends_on - self.starts_on).days + 1

    def day_number(self, day):
        """1-based day of the campaign for `day` (0 before it starts)."""
        return max(0, min(self.total_days, (day - self.starts_on).days + 1))


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name="专项整治", on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField("顺序", validators=[bounds.at_most(bounds.MAX_ORDER, "顺序")])
    code = models.SlugField("编号", max_length=40)
    name = models.CharField("名称", max_length=60)
    starts_on = models.DateField("开始日期", validators=[bounds.planned_date])
    ends_on = models.DateField("结束日期", validators=[bounds.planned_date])
    summary = models.TextField("工作内容", blank=True, validators=[bounds.long_text()])

    class Meta:
        verbose_name = "阶段"
        verbose_name_plural = "阶段"
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="phase_unique_order"),
            models.UniqueConstraint(fields=["campaign", "code"], name="phase_unique_code"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"),
        ]

    def __str__(self):
        return self.name


class DeadlineKind(models.TextChoices):
    WORK_PLAN = "work_plan", "工作方案"
    SELF_CHECK = "self_check", "自查清单"
    MONTHLY = "monthly", "月度进展"
    SUMMARY = "summary", "工作总结"


def deadline_passed_q(today):
    """Deadlines whose day has gone by on `today` (a deadline on D falls due at 23:59:59 on D)."""
    return Q(due_on__lt=today)


class DeadlineQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The deadlines of the campaigns the user sees (a unit: only those it takes part in)."""
        return self.filter(campaign__in=Campaign.objects.visible_to(user))


class Deadline(models.Model):
    """A date by which organisations must send something. Due at 23:59:59 Asia/Shanghai of `due_on`."""

    campaign = models.ForeignKey(Campaign, verbose_name="专项整治", on_delete=models.CASCADE, related_name="deadlines")
    code = models.SlugField("编号", max_length=40)
    kind = models.CharField("类型", max_length=16, choices=DeadlineKind.choices)
    name = models.CharField("名称", max_length=100)
    period = models.CharField("所属期间", max_length=7, blank=True, help_text="月度报送的月份，如 2024-11")
    due_on = models.DateField("截止日期", validators=[bounds.planned_date])
    owed_by_enterprises = models.BooleanField("主体企业需报送", default=True)
    owed_by_mines = models.BooleanField("煤矿需报送", default=True)
    owed_by_bureau = models.BooleanField(
        "县局向上级报送",
        default=False,
        help_text="县局向上级报送的，如工作方案、月度进展、总结报市局：市局（省厅）的专项整治由其下各县（市）报送，"
        "县局自己的专项整治由县局本身报送",
    )
    note = models.CharField("说明", max_length=200, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = "报送时限"
        verbose_name_plural = "报送时限"
        ordering = ["campaign", "due_on", "code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="deadline_unique_code")]

    def __str__(self):
        return f"{self.name}（{self.due_on:%Y-%m-%d}前）"

    @property
    def due_at(self):
        """The last moment that is still on time: the end of the due day in the bureau's time zone."""
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        return dt.datetime.combine(self.due_on, dt.time(23, 59, 59), tzinfo=tz)

    def is_owed_by(self, organization):
        """A mine or an enterprise owes the deadline if its kind does and it takes part in the campaign; a regulator
        (a county, a city) if the deadline is owed upward and it reports to the campaign's issuer
        (campaign.membership.reports_upward)."""
        from campaign.membership import reports_upward, takes_part

        if organization.kind in ("bureau", "city"):
            return self.owed_by_bureau and reports_upward(self.campaign, organization)
        owed = (organization.kind == "enterprise" and self.owed_by_enterprises) or (
            organization.kind == "mine" and self.owed_by_mines
        )
        return owed and takes_part(self.campaign, organization)

    def days_left(self, today=None):
        return (self.due_on - (today or timezone.localdate())).days

    @property
    def owed_by_display(self):
        parts = [
            label
            for flag, label in (
                (self.owed_by_enterprises, "主体企业"),
                (self.owed_by_mines, "煤矿"),
                (self.owed_by_bureau, "县局（报上级）"),
            )
            if flag
        ]
        return "、".join(parts) or "无"


class RequirementLevel(models.TextChoices):
    SECTION = "section", "部分"
    MEASURE = "measure", "措施"
    ITEM = "item", "事项"


class RequirementPerformer(models.TextChoices):
    ORGANIZATIONS = "organizations", "主体和煤矿"
    BUREAU = "bureau", "县局"


class RecordEvidence(models.TextChoices):
    """What records prove an item, named by capability, not by the item's number in one notice: a notice that
    renumbers its task list keeps these names on its items (in its JSON) and the apps that keep the records still
    fill those items in. The apps that keep each record write the items bound to their capabilities."""

    ACCIDENT_CASES = "accident_cases", "警示教育选用的事故案例"
    WARNING_EDUCATION = "warning_education", "事故警示教育"
    MAIN_LEADER_LECTURE = "main_leader_lecture", "主要负责人警示教育课"
    WARNING_EDUCATION_COVERAGE = "warning_education_coverage", "警示教育覆盖主要负责人、车间和班组"
    SAFETY_REFLECTION = "safety_reflection", "全员安全生产大反思"
    TRAINING_ARCHIVES = "training_archives", "教育培训档案"
    CERTIFICATES = "certificates", "持证上岗"
    MAJOR_HAZARD_STANDARD_TRAINING = "major_hazard_standard_training", "重大事故隐患判定标准纳入培训考核"
    OUTSIDE_STAFF_TRAINING = "outside_staff_training", "外包外租、劳务派遣、灵活用工人员统一培训"
    INSPECTION_EXAMS = "inspection_exams", "逢查必考、不合格人员脱产培训"
    FACE_TIME = "face_time", "工作面有效作业时间"
    UNDERGROUND_TIME = "underground_time", "出入井时间"
    ZERO_SHIFT_PLANS = "zero_shift_plans", "零点班不安排危险作业、双带班"
    VIOLATION_BACKTRACKS = "violation_backtracks", "“三违”三项倒查"
    DISPATCH_HANDOVERS = "dispatch_handovers", "调度交接班提前调度"
    RED_LINE_LISTS = "red_line_lists", "红线清单和追责问责清单"
    # The bureau's own item (县局 publishes the bulletins); bound so that the monthly number of cases is read from it.
    TYPICAL_CASE_BULLETINS = "typical_case_bulletins", "每月通报典型“三违”案例"
    # The bureau's own items (县局落实), filled from the bureau's records by the enforcement app's selector.
    BUREAU_INSPECTIONS = "bureau_inspections", "县局“四不两直”、明查暗访、交叉检查"
    MAJOR_HAZARD_LISTING = "major_hazard_listing", "重大事故隐患集中挂牌、公布、曝光、处理"
    SUSPENSION_ORDERS = "suspension_orders", "存在重大隐患的煤矿停产停业整顿"
    DUAL_ACCOUNTABILITY = "dual_accountability", "重大隐患“一案双查”"


def check_parameters(value):
    from campaign.figures import check_parameters

    check_parameters(value)


class Requirement(models.Model):
    """The notice's task list as a tree: section (一) → measure (1.1) → item (1.1.a) with an optional target."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="专项整治", on_delete=models.CASCADE, related_name="requirements"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.CharField("层级", max_length=10, choices=RequirementLevel.choices)
    code = models.CharField("编号", max_length=20)
    name = models.CharField("内容", max_length=300)
    number = models.CharField("原文序号", max_length=20, blank=True, help_text="通知中印的序号，如“（一）”“1.”")
    text = models.TextField(
        "原文全文", blank=True, validators=[bounds.long_text()], help_text="该项在通知中的完整段落（内容只取简短标题）"
    )
    paragraph = models.PositiveIntegerField(
        "出自通知第几段",
        null=True,
        blank=True,
        validators=[bounds.at_most(1_000_000, "段落号")],  # a 500,000-character notice has fewer lines
        help_text="通知全文中该项所在的段落（行）号",
    )
    order = models.PositiveIntegerField("顺序", default=0, validators=[bounds.at_most(bounds.MAX_ORDER, "顺序")])
    target_min = models.DecimalField(
        "目标下限", max_digits=10, decimal_places=2, null=True, blank=True, validators=bounds.figure("目标下限")
    )
    target_max = models.DecimalField(
        "目标上限", max_digits=10, decimal_places=2, null=True, blank=True, validators=bounds.figure("目标上限")
    )
    target_unit = models.CharField("单位", max_length=20, blank=True)
    performed_by = models.CharField(
        "落实主体", max_length=16, choices=RequirementPerformer.choices, default=RequirementPerformer.ORGANIZATIONS
    )
    evidence = models.CharField(
        "由记录证明",
        max_length=40,
        choices=RecordEvidence.choices,
        blank=True,
        help_text="填写后，该事项由系统根据煤矿登记的相应记录自动填写，煤矿不能手工填报。",
    )
    parameters = models.JSONField(
        "参数",
        default=dict,
        blank=True,
        validators=[check_parameters],
        help_text='该事项的其他数值，如逢查必考的合格分数和脱产培训期限：{"pass_mark": 80, "retraining_days": 30}；'
        '“三违”责任倒查期限：{"backtrack_days": 7}。不填的按默认值。',
    )

    class Meta:
        verbose_name = "任务要求"
        verbose_name_plural = "任务要求"
        ordering = ["campaign", "order"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="requirement_unique_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def target_display(self):
        def fmt(v):
            return f"{v:.2f}".rstrip("0").rstrip(".")

        if self.target_min is not None and self.target_max is not None:
            return f"{fmt(self.target_min)}–{fmt(self.target_max)}{self.target_unit}"
        if self.target_min is not None:
            return f"不少于{fmt(self.target_min)}{self.target_unit}"
        if self.target_max is not None:
            return f"不超过{fmt(self.target_max)}{self.target_unit}"
        return ""


class CampaignRevisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever sees the campaign sees what changed in it."""
        return self.filter(campaign__in=Campaign.objects.visible_to(user))


class RevisionKind(models.TextChoices):
    STRUCTURE = "structure", "结构"  # publishing, dates, phases, deadlines, the task list, who takes part
    THRESHOLDS = "thresholds", "阈值"  # the figures of the campaign and its items (campaign.thresholds)


class CampaignRevision(models.Model):
    """One version of a published campaign: who changed what, when. Version 1 is the publishing itself; each change
    of the structure after it (dates, phases, deadlines, the task list) is the next version. The organisations
    concerned are told of each version once (notifications, keyed by campaign and version)."""

    campaign = models.ForeignKey(Campaign, verbose_name="专项整治", on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField("版本", editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField("时间", auto_now_add=True)
    summary = models.CharField("摘要", max_length=200)
    changes = models.JSONField("修改内容", default=list, blank=True, help_text="每项一句中文说明")
    kind = models.CharField(
        "修改类别", max_length=12, choices=RevisionKind.choices, default=RevisionKind.STRUCTURE, db_index=True
    )

    objects = CampaignRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = "专项整治版本"
        verbose_name_plural = "专项整治版本"
        ordering = ["campaign", "-version"]
        constraints = [models.UniqueConstraint(fields=["campaign", "version"], name="campaign_revision_unique_version")]

    def __str__(self):
        return f"{self.campaign} 第 {self.version} 版"
