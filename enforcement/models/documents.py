"""The bureau's enforcement documents (执法文书): issued from an inspection to a mine, numbered per bureau, kind and
year, signed by two law-enforcement officers and served on the mine, who signs a receipt (签收).

A draft has no number: numbers are given when a document is issued, in the issuing transaction, so that a series
never repeats and never skips (a failed issue rolls its number back with it)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core import bounds
from core.concurrency import RowVersioned
from core.files import random_upload_name
from core.history import AuditTrail
from core.scoping import MineScopedQuerySet


class DocumentKind(models.TextChoices):
    """The kinds of document of the national templates (安全生产执法文书式样) the campaign uses."""

    INSPECTION_RECORD = "inspection_record", "现场检查记录"
    RECTIFICATION_ORDER = "rectification_order", "责令限期整改指令书"
    REVIEW_OPINION = "review_opinion", "整改复查意见书"
    ON_SITE_MEASURES = "on_site_measures", "现场处理措施决定书"
    PENALTY_NOTICE = "penalty_notice", "行政处罚告知书"
    PENALTY_DECISION = "penalty_decision", "行政处罚决定书"
    SUSPENSION_ORDER = "suspension_order", "责令停产整顿指令书"
    RESUMPTION_OPINION = "resumption_opinion", "复产验收意见书"
    SERVICE_RECEIPT = "service_receipt", "文书送达回执"


#: the short code of each kind in a document number (阳应急煤责改〔2024〕12号), until the bureau sets its own
DEFAULT_KIND_CODES = {
    DocumentKind.INSPECTION_RECORD: "煤检记",
    DocumentKind.RECTIFICATION_ORDER: "煤责改",
    DocumentKind.REVIEW_OPINION: "煤复查",
    DocumentKind.ON_SITE_MEASURES: "煤现决",
    DocumentKind.PENALTY_NOTICE: "煤罚告",
    DocumentKind.PENALTY_DECISION: "煤罚决",
    DocumentKind.SUSPENSION_ORDER: "煤停整",
    DocumentKind.RESUMPTION_OPINION: "煤复验",
    DocumentKind.SERVICE_RECEIPT: "煤送达",
}

#: the placeholders a number pattern may use
NUMBER_PLACEHOLDERS = ("{prefix}", "{code}", "{year}", "{n}")
DEFAULT_NUMBER_PATTERN = "{prefix}{code}〔{year}〕{n}号"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已签发"
    SERVED = "served", "已送达"


class MeasureKind(models.TextChoices):
    """现场处理措施 (安全生产法 第六十五条)."""

    WITHDRAW_WORKERS = "withdraw_workers", "从危险区域内撤出作业人员"
    SUSPEND_PRODUCTION = "suspend_production", "暂时停产停业"
    STOP_EQUIPMENT = "stop_equipment", "停止使用相关设施、设备"


class EnforcementSettings(models.Model):
    """A bureau's settings for its documents: the number prefix and the issuing authority's name. A city (province)
    keeps its own for the documents of its own inspections (issue 22)."""

    bureau = models.OneToOneField(
        "accounts.Organization",
        verbose_name="执法机关",
        on_delete=models.CASCADE,
        related_name="enforcement_settings",
        limit_choices_to={"kind__in": ["bureau", "city", "province"]},
    )
    number_prefix = models.CharField("文号前缀", max_length=20, help_text="如：阳应急")
    authority_name = models.CharField("执法机关全称", max_length=60, help_text="如：阳城县应急管理局")

    class Meta:
        verbose_name = verbose_name_plural = "执法文书设置"

    def __str__(self):
        return self.authority_name


class NumberFormat(models.Model):
    """How one kind of document is numbered at one bureau (when it differs from DEFAULT_NUMBER_PATTERN and the
    kind's default code)."""

    bureau = models.ForeignKey(
        "accounts.Organization", verbose_name="执法机关", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("文书种类", max_length=24, choices=DocumentKind.choices)
    code = models.CharField("文书代字", max_length=10, help_text="如：煤责改")
    pattern = models.CharField(
        "文号格式",
        max_length=60,
        default=DEFAULT_NUMBER_PATTERN,
        help_text="可用 {prefix}（文号前缀）{code}（文书代字）{year}（年份）{n}（序号），"
        "如：{prefix}{code}〔{year}〕{n}号",
    )

    class Meta:
        verbose_name = verbose_name_plural = "文号格式"
        constraints = [models.UniqueConstraint(fields=["bureau", "kind"], name="one_number_format_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.pattern}"


class NumberSeries(models.Model):
    """The last number given in one series (bureau, kind, year). Locked while a document is issued."""

    bureau = models.ForeignKey(
        "accounts.Organization", verbose_name="执法机关", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("文书种类", max_length=24, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField("年份")
    last_number = models.PositiveIntegerField("已用到的序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "文书编号序列"
        constraints = [models.UniqueConstraint(fields=["bureau", "kind", "year"], name="one_series_per_kind_and_year")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}：{self.last_number}"


class DocumentQuerySet(MineScopedQuerySet):
    def served_on_mine(self):
        """What the mine has been given: issued or served, never the bureau's drafts."""
        return self.exclude(status=DocumentStatus.DRAFT)


def receipt_scan_path(instance, filename):
    return random_upload_name("enforcement/receipts", instance.receipt_scan_type)


class EnforcementDocument(RowVersioned, models.Model):
    bureau = models.ForeignKey(
        "accounts.Organization", verbose_name="执法机关", on_delete=models.PROTECT, related_name="+", editable=False
    )
    mine = models.ForeignKey(
        "accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="enforcement_documents"
    )
    inspection = models.ForeignKey(
        "hazards.Inspection",
        verbose_name="检查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    #: the document this one follows: the order a 复查意见书 reviews, the document a 送达回执 is for
    follows = models.ForeignKey(
        "self", verbose_name="依据文书", null=True, blank=True, on_delete=models.PROTECT, related_name="followed_by"
    )
    kind = models.CharField("文书种类", max_length=24, choices=DocumentKind.choices)
    status = models.CharField("状态", max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True, editable=False)
    serial = models.PositiveIntegerField("序号", null=True, blank=True, editable=False)
    number = models.CharField("文号", max_length=60, blank=True, editable=False)
    issued_on = models.DateField("签发日期", null=True, blank=True, editable=False)
    #: what the document says beyond its items: 检查情况, 违法事实, 依据, 处理措施 — by kind (see services)
    content = models.JSONField("内容", default=dict, blank=True)
    deadline = models.DateField("期限", null=True, blank=True, validators=[bounds.planned_date])
    signer_name = models.CharField("签收人", max_length=40, blank=True)
    received_on = models.DateField("签收日期", null=True, blank=True, validators=[bounds.past_date])
    receipt_scan = models.FileField("签收回执扫描件", upload_to=receipt_scan_path, blank=True)
    receipt_scan_type = models.CharField("签收回执类型", max_length=100, blank=True)
    receipt_scan_name = models.CharField("签收回执原文件名", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("制作时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DocumentQuerySet.as_manager()
    history = AuditTrail(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "执法文书"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "kind", "year", "serial"],
                condition=Q(serial__isnull=False),
                name="document_number_unique_in_series",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", serial__isnull=True) | (~Q(status="draft") & Q(serial__isnull=False)),
                name="document_numbered_once_issued",
            ),
        ]
        indexes = [
            models.Index(fields=["mine", "kind"]),
            models.Index(fields=["bureau", "issued_on"]),
            # The lists page by position on (签发日期, id), newest first, drafts (no date) first as PostgreSQL orders
            # DESC (core.paging): across the bureaus in sight, and within one mine.
            models.Index(fields=["-issued_on", "-id"], include=["mine", "status", "bureau"], name="document_time"),
            # Carrying what the visibility rule reads (status, bureau: a higher bureau's drafts are not the county's),
            # a county's count of its documents reads this index alone, mine by mine, not the whole table.
            models.Index(fields=["mine", "-issued_on", "-id"], include=["status", "bureau"], name="document_mine_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number or '（草稿）'}"

    @property
    def is_draft(self):
        return self.status == DocumentStatus.DRAFT


class DocumentOfficer(models.Model):
    """One of the (at least two) law-enforcement officers on a document, with the certificate number they held
    when it was issued (a later change of the user's record does not rewrite a served document)."""

    document = models.ForeignKey(
        EnforcementDocument, verbose_name="文书", on_delete=models.CASCADE, related_name="officers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="执法人员", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("姓名", max_length=40)
    certificate_no = models.CharField("执法证号", max_length=30)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "文书执法人员"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "user"], name="officer_once_per_document")]

    def __str__(self):
        return f"{self.name}（{self.certificate_no}）"


class DocumentItem(models.Model):
    """A line of a document: a finding to rectify by its deadline, and at review whether it passed."""

    document = models.ForeignKey(
        EnforcementDocument, verbose_name="文书", on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField("序号", default=0)
    hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name="隐患", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("内容", validators=[bounds.long_text()])
    due_on = models.DateField("整改期限", null=True, blank=True, validators=[bounds.planned_date])
    passed = models.BooleanField("复查合格", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "文书条目"
        ordering = ["order", "id"]

    def __str__(self):
        return self.text[:40]

    @property
    def major_citation(self):
        """For a line that is a major hazard judged under a 情形: 《煤矿重大事故隐患判定标准》第X条第（Y）项 and the
        item's text — the hazard's own citation (MajorHazardItem.citation, as its page and the exports show it), read
        when the document is printed. "" for any other line. document_detail prefetches what it reads."""
        hazard = self.hazard
        if hazard is None or not hazard.is_major or hazard.major_item_id is None:
            return ""
        return f"{hazard.major_item.citation} {hazard.major_item.text}"

    @property
    def text_with_citation(self):
        """The line as a document's table shows it: its text, then the situation of the standard it is."""
        cited = self.major_citation
        return f"{self.text}（重大事故隐患，{cited}）" if cited else self.text


class DocumentEvent(models.Model):
    document = models.ForeignKey(
        EnforcementDocument, verbose_name="文书", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=40)
    note = models.TextField("说明", blank=True, validators=[bounds.note_text()])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "文书操作记录"
        ordering = ["at", "id"]

    def __str__(self):
        return self.action
