from django.conf import settings
from django.db import models
from django.db.models import Q

from core import bounds
from core.scoping import ENTERPRISE, scope_of


class TipoffCategory(models.TextChoices):
    VIOLATION = "violation", "“三违”行为"
    HAZARD = "hazard", "事故隐患"
    OTHER = "other", "其他安全问题"


class TipoffStatus(models.TextChoices):
    RECEIVED = "received", "已受理"
    HANDLING = "handling", "核查中"
    CLOSED = "closed", "已办结"


class TipoffAddressee(models.TextChoices):
    """四(四)1 asks the enterprises to set up anonymous channels of their own (4.1.c): a worker chooses who reads it."""

    BUREAU = "bureau", "县应急管理局"
    ENTERPRISE = "enterprise", "煤矿所属主体企业"


def bureau_reads_q():
    """The tip-offs whose text the bureau reads: made to it, or escalated to it by the enterprise they were made to."""
    return Q(addressee=TipoffAddressee.BUREAU) | Q(escalated_on__isnull=False)


def enterprise_addressed_q():
    """Made to the mine's enterprise (its own channel): the enterprise triages it."""
    return Q(addressee=TipoffAddressee.ENTERPRISE)


class TipoffQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for tip-offs. The bureau (its desk) reads those made to it and those an enterprise escalated;
        an enterprise's officers read those made to their enterprise about its mines (escalated or not); mines read
        none (a report may be about them). Nobody ever sees who reported: nothing about the reporter is stored. The
        bureau sees only counts of the reports made to enterprises (`enterprise_counts`), not their text."""
        scope = scope_of(user)
        if scope.bureau_desk:
            return self.filter(scope.bureau_q("bureau") & bureau_reads_q())
        if scope.kind == ENTERPRISE:
            return self.filter(enterprise_addressed_q() & scope.q("mine"))
        return self.none()

    def enterprise_counts(self, user):
        """For the bureau: how many tip-offs each enterprise of its county received on its own channel, and how they
        stand, without their text (one query, a row an enterprise)."""
        from django.db.models import Count

        scope = scope_of(user)
        if not scope.bureau_desk:
            return self.none()
        return (
            self.filter(scope.bureau_q("bureau") & enterprise_addressed_q())
            .order_by()
            .values("mine__parent_id", "mine__parent__name")
            .annotate(
                total=Count("pk"),
                waiting=Count("pk", filter=Q(status=TipoffStatus.RECEIVED)),
                handling=Count("pk", filter=Q(status=TipoffStatus.HANDLING)),
                closed=Count("pk", filter=Q(status=TipoffStatus.CLOSED)),
                escalated=Count("pk", filter=Q(escalated_on__isnull=False)),
            )
            .order_by("mine__parent__name")
        )


class Tipoff(models.Model):
    """匿名举报. Deliberately stores nothing about the reporter: no account, no IP address, no exact time."""

    bureau = models.ForeignKey(
        "accounts.Organization", verbose_name="受理单位", on_delete=models.PROTECT, related_name="tipoffs"
    )
    # To whom the worker made it: the bureau, or the enterprise of the mine reported (which then triages it). An
    # enterprise's tip-off always names a mine: its enterprise is found through it (the one visibility path).
    addressee = models.CharField(
        "举报对象", max_length=12, choices=TipoffAddressee.choices, default=TipoffAddressee.BUREAU
    )
    mine = models.ForeignKey(
        "accounts.Mine", verbose_name="被举报煤矿", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mine_text = models.CharField("煤矿（举报人填写）", max_length=100, blank=True)
    category = models.CharField("举报类型", max_length=12, choices=TipoffCategory.choices)
    location = models.CharField("地点", max_length=200, blank=True)
    occurred_on = models.DateField("发生日期", null=True, blank=True, validators=[bounds.past_date])
    content = models.TextField("举报内容", validators=[bounds.note_text()])
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    received_on = models.DateField("受理日期", validators=[bounds.past_date])
    status = models.CharField("办理状态", max_length=10, choices=TipoffStatus.choices, default=TipoffStatus.RECEIVED)
    public_reply = models.TextField("答复（举报人可见）", blank=True, validators=[bounds.note_text()])
    replied_on = models.DateField("答复日期", null=True, blank=True, validators=[bounds.past_date])
    internal_note = models.TextField("内部处理记录", blank=True, validators=[bounds.note_text()])
    violation = models.ForeignKey(
        "violations.Violation",
        verbose_name="转为“三违”",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name="转为隐患", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An enterprise hands a tip-off made to it over to the bureau (提交县局): from then on the bureau reads and
    # handles it; the enterprise still reads it.
    escalated_on = models.DateField("提交县局日期", null=True, blank=True, validators=[bounds.past_date])
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never searched by
    )
    escalation_reason = models.TextField("提交县局的理由", blank=True, validators=[bounds.note_text()])
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TipoffQuerySet.as_manager()

    class Meta:
        verbose_name = "匿名举报"
        verbose_name_plural = "匿名举报"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(addressee="bureau") | Q(mine__isnull=False), name="tipoff_to_enterprise_names_a_mine"
            ),
        ]

    def __str__(self):
        return f"举报 {self.tracking_code}"

    @property
    def to_enterprise(self):
        return self.addressee == TipoffAddressee.ENTERPRISE

    @property
    def is_escalated(self):
        return self.escalated_on is not None

    @property
    def enterprise_handles(self):
        """Made to the enterprise and not handed to the bureau: the enterprise's to triage."""
        return self.to_enterprise and not self.is_escalated
