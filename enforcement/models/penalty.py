"""The penalty case (行政处罚案件): 立案 → 调查取证 → 告知 → 陈述申辩/听证 → 决定 → 执行 → 结案.

A case is filed against a mine's operator (the 生产经营单位) and, per 一案双查, against the persons responsible, each
with an amount. Its 行政处罚告知书 and 行政处罚决定书 are enforcement documents (documents.py), numbered and served
like every other; the case keeps the dates of each step, the periods they open (陈述申辩, 听证, 缴款), the parties'
payments and the evidence of its file (案卷).

The figures of the periods and of the 听证 threshold are the bureau's parameters (PenaltyRules), with the national
rules as defaults: 行政处罚法 第八十五条 counts 三日/五日 as working days; 第六十七条 gives fifteen days to pay;
the 较大数额罚款 that gives a right to a hearing is what the province sets (defaults: 单位五万元、个人二万元).
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from core import bounds
from core.concurrency import RowVersioned
from core.files import StoredFile, random_upload_name
from core.history import AuditTrail
from core.scoping import MineScopedQuerySet, ScopedQuerySet

#: the highest fine one decision may carry: 安全生产法 第一百一十四条 (特别重大事故 二千万元, 情节特别严重 五倍)
MAX_PENALTY_YUAN = 100_000_000
MAX_PERIOD_DAYS = 90


def penalty_amount(what="罚款金额"):
    return bounds.up_to(MAX_PENALTY_YUAN, what, " 元")


# ---------------------------------------------------------------- the bureau's parameters


def parse_days(text):
    """Dates one a line (2025-01-01), as a bureau types its 法定节假日 and 调休上班日; bad lines are the form's to
    refuse (PenaltyRules.clean), ignored here."""
    days = set()
    for line in (text or "").replace("，", ",").replace(",", "\n").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            days.add(dt.date.fromisoformat(line))
        except ValueError:
            continue
    return frozenset(days)


def is_working_day(day, *, holidays=frozenset(), workdays=frozenset()):
    if day in workdays:  # 调休: a weekend made a working day
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(start, n, *, holidays=frozenset(), workdays=frozenset()):
    """The day `n` working days after `start` (the day itself not counted, 行政处罚法 第八十五条 and the rule that
    a period starts the day after the event)."""
    day = start
    left = n
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays=holidays, workdays=workdays):
            left -= 1
    return day


class PenaltyRules(models.Model):
    """A bureau's figures for its penalty cases. Without a row the defaults below apply (see `rules_for`)."""

    bureau = models.OneToOneField(
        "accounts.Organization",
        verbose_name="执法机关",
        on_delete=models.CASCADE,
        related_name="penalty_rules",
        limit_choices_to={"kind": "bureau"},
    )
    statement_days = models.PositiveSmallIntegerField(
        "陈述申辩期限（工作日）",
        default=3,
        validators=bounds.up_to(MAX_PERIOD_DAYS, "陈述申辩期限", " 个工作日"),
        help_text="自当事人收到行政处罚告知书的次日起计算",
    )
    hearing_request_days = models.PositiveSmallIntegerField(
        "申请听证期限（工作日）",
        default=5,
        validators=bounds.up_to(MAX_PERIOD_DAYS, "申请听证期限", " 个工作日"),
        help_text="行政处罚法第六十四条：告知后五日内提出（第八十五条：五日指工作日）",
    )
    payment_days = models.PositiveSmallIntegerField(
        "缴纳罚款期限（日）",
        default=15,
        validators=bounds.up_to(MAX_PERIOD_DAYS, "缴纳罚款期限", " 日"),
        help_text="行政处罚法第六十七条：自收到行政处罚决定书之日起十五日内",
    )
    hearing_threshold_unit = models.DecimalField(
        "较大数额罚款（单位，元）",
        max_digits=12,
        decimal_places=2,
        default=Decimal("50000"),
        validators=penalty_amount("较大数额罚款"),
        help_text="对单位罚款达到该数额的，告知当事人有要求听证的权利；以本省规定为准",
    )
    hearing_threshold_person = models.DecimalField(
        "较大数额罚款（个人，元）",
        max_digits=12,
        decimal_places=2,
        default=Decimal("20000"),
        validators=penalty_amount("较大数额罚款"),
        help_text="对个人罚款达到该数额的，告知当事人有要求听证的权利；以本省规定为准",
    )
    holidays = models.TextField(
        "法定节假日",
        blank=True,
        validators=[bounds.note_text()],
        help_text="不计入工作日的日期，每行一个，如 2025-01-01",
    )
    workdays = models.TextField(
        "调休上班日",
        blank=True,
        validators=[bounds.note_text()],
        help_text="计入工作日的周末，每行一个，如 2025-01-26",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政处罚参数"

    def __str__(self):
        return f"{self.bureau} 行政处罚参数"

    def _calendar(self):
        return {"holidays": parse_days(self.holidays), "workdays": parse_days(self.workdays)}

    def statement_due(self, served_on):
        """The last day of the 陈述申辩 period of a notice served on `served_on`."""
        return add_working_days(served_on, self.statement_days, **self._calendar())

    def hearing_due(self, served_on):
        """The last day a hearing may be asked for."""
        return add_working_days(served_on, self.hearing_request_days, **self._calendar())

    def payment_due(self, served_on):
        """The last day to pay the fines of a decision served on `served_on` (calendar days: 第八十五条 names only
        二日、三日、五日、七日 as working days)."""
        return served_on + dt.timedelta(days=self.payment_days)

    def hearing_threshold(self, party_kind):
        return self.hearing_threshold_unit if party_kind == PartyKind.UNIT else self.hearing_threshold_person


def rules_for(bureau_id):
    """The bureau's parameters, or the defaults (unsaved) when it set none."""
    return PenaltyRules.objects.filter(bureau_id=bureau_id).first() or PenaltyRules(bureau_id=bureau_id)


# ---------------------------------------------------------------- the list of provisions


class BureauOwnedQuerySet(ScopedQuerySet):
    """Rows that are a bureau's own business (its list of provisions): its own users see them."""

    scope_path = "bureau"
    scope_owned = True


class LegalProvision(models.Model):
    """A provision the bureau cites as the basis of a penalty (处罚依据), with its range for the unit and for a
    person. The bureau keeps the list: loaded from the common ones (enforcement/data/legal-provisions.json), then
    checked, corrected and completed by its officers; a provision in use is retired, never deleted."""

    bureau = models.ForeignKey(
        "accounts.Organization", verbose_name="执法机关", on_delete=models.CASCADE, related_name="+", editable=False
    )
    law = models.CharField("法律法规名称", max_length=100, help_text="如：《中华人民共和国安全生产法》")
    article = models.CharField("条款", max_length=60, help_text="如：第一百零二条")
    violation = models.CharField("违法行为", max_length=200, help_text="如：未采取措施消除事故隐患")
    summary = models.TextField("条文摘要", validators=[bounds.long_text()])
    penalty_range = models.CharField("处罚幅度", max_length=300, blank=True, help_text="条文规定的处罚种类和幅度")
    unit_max = models.DecimalField(
        "对单位罚款上限（元）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=penalty_amount("对单位罚款上限"),
        help_text="不填则不按本条限制金额",
    )
    person_max = models.DecimalField(
        "对个人罚款上限（元）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=penalty_amount("对个人罚款上限"),
        help_text="不填则不按本条限制金额",
    )
    checked = models.BooleanField("已核对", default=False, help_text="已由本局对照现行法律法规核对条文和幅度")
    active = models.BooleanField("在用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0, validators=bounds.up_to(bounds.MAX_ORDER, "排序"))
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = BureauOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "处罚依据条款"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "law", "article"], name="provision_once_per_bureau"),
        ]

    def __str__(self):
        return f"{self.law}{self.article}"

    @property
    def citation(self):
        return f"{self.law}{self.article}"

    def max_for(self, party_kind):
        return self.unit_max if party_kind == PartyKind.UNIT else self.person_max

    def snapshot(self):
        """What a served document keeps of the provision (a later correction of the list does not rewrite it)."""
        return {
            "law": self.law,
            "article": self.article,
            "violation": self.violation,
            "summary": self.summary,
            "penalty_range": self.penalty_range,
        }


# ---------------------------------------------------------------- the case


class PenaltyStage(models.TextChoices):
    FILED = "filed", "立案"
    INVESTIGATING = "investigating", "调查取证"
    NOTIFIED = "notified", "告知"
    HEARING = "hearing", "陈述申辩/听证"
    DECIDED = "decided", "决定"
    EXECUTING = "executing", "执行"
    CLOSED = "closed", "结案"


#: the stages in the order a case runs through them
STAGE_ORDER = list(PenaltyStage)
#: the date field of each stage (when the case entered it)
STAGE_DATES = {
    PenaltyStage.FILED: "filed_on",
    PenaltyStage.INVESTIGATING: "investigation_started_on",
    PenaltyStage.NOTIFIED: "notified_on",
    PenaltyStage.HEARING: "statement_on",
    PenaltyStage.DECIDED: "decided_on",
    PenaltyStage.EXECUTING: "executed_on",
    PenaltyStage.CLOSED: "closed_on",
}
#: from 告知 on, the case is the party's business too: its mine and enterprise see it (before, it is the bureau's
#: internal work: 立案审批 and 调查取证)
SERVED_STAGES = tuple(STAGE_ORDER[STAGE_ORDER.index(PenaltyStage.NOTIFIED) :])
#: the parties and amounts may be edited until the notice is served
EDITABLE_STAGES = (PenaltyStage.FILED, PenaltyStage.INVESTIGATING)
#: payments are recorded once decided, until the case is closed
PAYABLE_STAGES = (PenaltyStage.DECIDED, PenaltyStage.EXECUTING)


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", "执法检查发现"
    HAZARD = "hazard", "事故隐患"
    VIOLATION = "violation", "“三违”行为"
    REVIEW = "review", "整改复查不合格"
    OTHER = "other", "其他（举报、移送等）"


class StatementKind(models.TextChoices):
    STATEMENT = "statement", "提出陈述申辩"
    HEARING = "hearing", "要求听证（已举行）"
    WAIVED = "waived", "书面放弃陈述申辩和听证"
    NONE = "none", "逾期未提出"


class ExecutionKind(models.TextChoices):
    PAID = "paid", "当事人自觉履行"
    DEFERRED = "deferred", "经批准暂缓或分期缴纳"
    COURT = "court", "申请人民法院强制执行"


class PenaltyCaseQuerySet(MineScopedQuerySet):
    def served_on_mine(self):
        """What the mine and its enterprise may see: cases whose notice was served, never the bureau's internal
        work before it (立案审批, 调查取证)."""
        return self.filter(stage__in=SERVED_STAGES)


class PenaltyCase(RowVersioned, models.Model):
    bureau = models.ForeignKey(
        "accounts.Organization", verbose_name="执法机关", on_delete=models.PROTECT, related_name="+", editable=False
    )
    mine = models.ForeignKey(
        "accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="penalty_cases"
    )
    year = models.PositiveSmallIntegerField("年份", editable=False)
    serial = models.PositiveIntegerField("序号", editable=False)
    number = models.CharField("案号", max_length=60, editable=False)
    cause = models.CharField("案由", max_length=200, help_text="如：涉嫌未采取措施消除事故隐患案")
    source = models.CharField("案件来源", max_length=16, choices=CaseSource.choices)
    inspection = models.ForeignKey(
        "hazards.Inspection", verbose_name="检查", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name="隐患", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    violation = models.ForeignKey(
        "violations.Violation", verbose_name="“三违”", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_document = models.ForeignKey(
        "enforcement.EnforcementDocument",
        verbose_name="整改复查意见书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    facts = models.TextField("违法事实", validators=[bounds.long_text()])
    representative = models.CharField("法定代表人（主要负责人）", max_length=40, blank=True)
    provisions = models.ManyToManyField(LegalProvision, verbose_name="处罚依据", blank=True, related_name="cases")
    stage = models.CharField("阶段", max_length=16, choices=PenaltyStage.choices, default=PenaltyStage.FILED)
    # 立案
    filed_on = models.DateField("立案日期", validators=[bounds.past_date])
    filing_opinion = models.TextField("承办人意见", blank=True, validators=[bounds.note_text()])
    approver_name = models.CharField("立案审批人", max_length=40, blank=True)
    # 调查取证
    investigation_started_on = models.DateField("调查取证日期", null=True, blank=True, validators=[bounds.past_date])
    # 告知
    notice = models.ForeignKey(
        "enforcement.EnforcementDocument",
        verbose_name="行政处罚告知书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    notified_on = models.DateField("告知书送达日期", null=True, blank=True, validators=[bounds.past_date])
    statement_due_on = models.DateField("陈述申辩期限", null=True, blank=True, editable=False)
    hearing_due_on = models.DateField("申请听证期限", null=True, blank=True, editable=False)
    # 陈述申辩/听证
    statement_kind = models.CharField("陈述申辩情况", max_length=12, choices=StatementKind.choices, blank=True)
    statement_on = models.DateField("陈述申辩/听证日期", null=True, blank=True, validators=[bounds.past_date])
    statement_text = models.TextField("当事人陈述申辩意见", blank=True, validators=[bounds.long_text()])
    review_opinion = models.TextField("复核意见", blank=True, validators=[bounds.long_text()])
    # 决定
    decision = models.ForeignKey(
        "enforcement.EnforcementDocument",
        verbose_name="行政处罚决定书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    decided_on = models.DateField("决定书送达日期", null=True, blank=True, validators=[bounds.past_date])
    payment_due_on = models.DateField("缴纳罚款期限", null=True, blank=True, editable=False)
    # 执行
    executed_on = models.DateField("执行日期", null=True, blank=True, validators=[bounds.past_date])
    execution_kind = models.CharField("执行方式", max_length=12, choices=ExecutionKind.choices, blank=True)
    execution_note = models.TextField("执行情况", blank=True, validators=[bounds.note_text()])
    # 结案
    closed_on = models.DateField("结案日期", null=True, blank=True, validators=[bounds.past_date])
    closing_summary = models.TextField("结案报告", blank=True, validators=[bounds.long_text()])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PenaltyCaseQuerySet.as_manager()
    history = AuditTrail(excluded_fields=["updated_at"], verbose_name="行政处罚案件修改记录")

    class Meta:
        verbose_name = verbose_name_plural = "行政处罚案件"
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "year", "serial"], name="penalty_case_number_unique"),
            models.CheckConstraint(
                condition=~Q(stage__in=SERVED_STAGES) | Q(notice__isnull=False, notified_on__isnull=False),
                name="penalty_case_served_has_notice",
            ),
        ]
        indexes = [models.Index(fields=["mine", "stage"]), models.Index(fields=["bureau", "-filed_on"])]

    def __str__(self):
        return f"{self.number} {self.cause}"

    @property
    def is_served(self):
        return self.stage in SERVED_STAGES

    @property
    def is_editable(self):
        return self.stage in EDITABLE_STAGES

    def stage_index(self):
        return STAGE_ORDER.index(PenaltyStage(self.stage))

    def next_stage(self):
        index = self.stage_index()
        return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None

    def timeline(self):
        """(stage, date or None, state) for each stage: "done", "current" or "todo"."""
        current = self.stage_index()
        rows = []
        for index, stage in enumerate(STAGE_ORDER):
            state = "done" if index < current else ("current" if index == current else "todo")
            rows.append((stage, getattr(self, STAGE_DATES[stage]), state))
        return rows


class PartyKind(models.TextChoices):
    UNIT = "unit", "单位"
    PERSON = "person", "个人"


class PenaltyParty(models.Model):
    """A party of the case (当事人): the mine's operator, or a person held responsible (一案双查), with the amount
    notified and the amount decided (never higher: 行政处罚法 第四十五条) and the day it was paid."""

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField("当事人类别", max_length=8, choices=PartyKind.choices)
    name = models.CharField("名称或姓名", max_length=100)
    post = models.CharField("职务", max_length=60, blank=True)
    provision = models.ForeignKey(
        LegalProvision,
        verbose_name="处罚依据",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(
        "拟罚款金额（元）", max_digits=12, decimal_places=2, default=Decimal("0"), validators=penalty_amount()
    )
    decided_amount = models.DecimalField(
        "决定罚款金额（元）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=penalty_amount(),
    )
    paid_on = models.DateField("缴纳日期", null=True, blank=True, validators=[bounds.past_date])
    order = models.PositiveSmallIntegerField("顺序", default=0, validators=bounds.up_to(bounds.MAX_ORDER, "顺序"))

    class Meta:
        verbose_name = verbose_name_plural = "案件当事人"
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name}（{self.post}）" if self.post else self.name

    @property
    def owed(self):
        """What the party must pay: the decided amount once decided, else nothing yet."""
        return self.decided_amount if self.decided_amount is not None else Decimal("0")

    @property
    def must_pay(self):
        return self.owed > 0

    @property
    def is_paid(self):
        return self.paid_on is not None


class EvidenceKind(models.TextChoices):
    """What a file of the 案卷 is; the kind decides where it is bound (penalty_file.BINDING)."""

    FILING = "filing", "立案审批表（签批件）"
    INQUIRY = "inquiry", "询问笔录"
    INSPECTION = "inspection", "现场检查记录、勘验笔录"
    PHOTO = "photo", "现场照片、视听资料"
    DOCUMENTARY = "documentary", "书证、物证"
    STATEMENT = "statement", "陈述申辩笔录、听证笔录"
    RECEIPT = "receipt", "送达回执"
    PAYMENT = "payment", "罚款缴纳凭证"
    EXECUTION = "execution", "执行材料"
    CLOSING = "closing", "结案审批材料"
    OTHER = "other", "其他证据材料"


def evidence_path(instance, filename):
    return random_upload_name("enforcement/penalty", instance.content_type)


class PenaltyEvidenceQuerySet(MineScopedQuerySet):
    scope_path = "case__mine"


class PenaltyEvidence(StoredFile):
    """A file of the case (证据材料 and the signed papers), with what the 卷内目录 lists of it."""

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.CASCADE, related_name="evidence")
    stage = models.CharField("阶段", max_length=16, choices=PenaltyStage.choices)
    kind = models.CharField("材料类别", max_length=16, choices=EvidenceKind.choices)
    title = models.CharField("文件名称", max_length=100)
    number = models.CharField("文号", max_length=60, blank=True)
    dated = models.DateField("日期", validators=[bounds.past_date])
    pages = models.PositiveSmallIntegerField(
        "页数", default=1, validators=[bounds.at_least(1, "页数"), bounds.at_most(500, "页数")]
    )
    file = models.FileField("文件", upload_to=evidence_path)

    objects = PenaltyEvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "案件证据材料"
        ordering = ["dated", "id"]


class PenaltyEvent(models.Model):
    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=40)
    stage = models.CharField("阶段", max_length=16, choices=PenaltyStage.choices, blank=True)
    note = models.TextField("说明", blank=True, validators=[bounds.note_text()])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "案件办理记录"
        ordering = ["at", "id"]

    def __str__(self):
        return self.action


class PenaltyCaseSeries(models.Model):
    """The last case number of a bureau's year (案号), locked while a case is filed: never repeats, never skips."""

    bureau = models.ForeignKey(
        "accounts.Organization", verbose_name="执法机关", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年份")
    last_number = models.PositiveIntegerField("已用到的序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "案号序列"
        constraints = [models.UniqueConstraint(fields=["bureau", "year"], name="one_case_series_per_year")]

    def __str__(self):
        return f"{self.year}：{self.last_number}"
