from django.conf import settings
from django.db import models
from django.db.models import Q

from core import bounds
from core.files import random_upload_name
from core.history import AuditTrail
from core.scoping import MineScopedQuerySet


class InspectionMode(models.TextChoices):
    FOUR_NO_TWO_DIRECT = "four_no_two_direct", "四不两直"
    OPEN = "open", "明查"
    COVERT = "covert", "暗访"
    CROSS = "cross", "交叉检查"
    PHYSICAL = "physical", "体检式精查"
    SELF = "self", "企业自查"


#: modes that are the bureau's enforcement (部门精准执法), as opposed to the enterprise checking itself
BUREAU_MODES = (
    InspectionMode.FOUR_NO_TWO_DIRECT,
    InspectionMode.OPEN,
    InspectionMode.COVERT,
    InspectionMode.CROSS,
    InspectionMode.PHYSICAL,
)


class Inspection(models.Model):
    """检查: who inspected which mine when and how; its findings are hazards (and 三违) linked to it."""

    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="inspections")
    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name="专项整治", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspected_on = models.DateField("检查日期", validators=[bounds.past_date])
    mode = models.CharField("检查方式", max_length=24, choices=InspectionMode.choices)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="检查人员", blank=True, related_name="+")
    team_note = models.CharField("其他检查人员", max_length=200, blank=True, help_text="未在系统中的检查人员、专家")
    notes = models.TextField("检查情况", blank=True, validators=[bounds.long_text()])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    #: a city's (province's) own inspection of a mine below it (issue 22): the regulator whose inspection it is, whose
    #: regulators write at it; None for the county's (and an enterprise's) own, as every inspection before the levels.
    higher_bureau = models.ForeignKey(
        "accounts.Organization",
        verbose_name="上级检查单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind__in": ["city", "province"]},
    )

    objects = MineScopedQuerySet.as_manager()

    history = AuditTrail(verbose_name="检查修改记录")

    class Meta:
        verbose_name = "检查"
        verbose_name_plural = "检查"
        ordering = ["-inspected_on", "-id"]
        indexes = [models.Index(fields=["mine", "-inspected_on"], name="inspection_mine_date")]

    def __str__(self):
        return f"{self.inspected_on:%Y-%m-%d} {self.get_mode_display()} {self.mine}"

    @property
    def inspected_by_label(self):
        """Whose inspection it is, as lists and pages mark it: “晋城市应急管理局检查” for a city's own, else ""."""
        return f"{self.higher_bureau.name}检查" if self.higher_bureau_id else ""

    @property
    def expects_exam(self):
        """逢查必考: the bureau examines someone at every one of its inspections (not at an enterprise's self-check)."""
        return self.mode in BUREAU_MODES

    @property
    def exam_missing(self):
        """A bureau inspection at which nobody was examined. Lists annotate `has_exam` (selectors.with_exam_flag);
        a page that prefetched the exams reads them."""
        if not self.expects_exam:
            return False
        has_exam = self.__dict__.get("has_exam")
        if has_exam is None:
            has_exam = bool(self.exams.all())
        return not has_exam


class ExamPaperQuerySet(MineScopedQuerySet):
    scope_path = "inspection__mine"


class ExamPaper(models.Model):
    """逢查必考 (2.2.d, the 判定标准 as training content): a paper of questions drawn at random from the 情形 of the
    standard in force, for an inspection's exams. Drawn from `seed` (hazards.services.exam_papers.draw_questions), so
    the same seed over the same standard draws the same printed paper again; the questions are also kept as drawn, so
    a later revision of the standard never changes a paper already answered."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="papers")
    standard = models.ForeignKey(
        "hazards.HazardStandard", verbose_name="判定标准", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # drawn by the service, never typed (core.bounds: no bound needed)
    seed = models.PositiveIntegerField("随机种子", editable=False)
    #: [{"item", "kind", "prompt", "options", "answer", "citation"}], as drawn
    questions = models.JSONField("试题", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组卷人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("组卷时间", auto_now_add=True)

    objects = ExamPaperQuerySet.as_manager()

    class Meta:
        verbose_name = "逢查必考试卷"
        verbose_name_plural = "逢查必考试卷"
        ordering = ["inspection", "id"]

    def __str__(self):
        return f"试卷 {self.number}（{len(self.questions)} 题）"

    @property
    def number(self):
        """试卷编号 as printed: the seed, zero-padded (with it the paper is drawn again)."""
        return f"{self.seed:06d}"


class ExamResultQuerySet(MineScopedQuerySet):
    scope_path = "inspection__mine"

    def retraining_open(self):
        return self.filter(passed=False, retrained_on__isnull=True)


def evidence_path(instance, filename):
    return random_upload_name("retraining", instance.retraining_evidence_type)


class ExamResult(models.Model):
    """逢查必考: a person examined at an inspection. A failure obliges the mine to off-duty retraining."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="exams")
    person_name = models.CharField("姓名", max_length=40)
    post = models.CharField("岗位/工种", max_length=60)
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1, validators=bounds.score("成绩"))
    passed = models.BooleanField("合格")
    retraining_due_on = models.DateField("脱产培训期限", null=True, blank=True, validators=[bounds.planned_date])
    retrained_on = models.DateField("完成培训日期", null=True, blank=True, validators=[bounds.past_date])
    retraining_note = models.TextField("培训情况", blank=True, validators=[bounds.note_text()])
    retraining_evidence = models.FileField("培训证明材料", upload_to=evidence_path, blank=True)
    # As StoredFile keeps them: the evidence is served by the type its content was checked to be, never by its name.
    retraining_evidence_type = models.CharField("培训证明材料类型", max_length=100, blank=True)
    retraining_evidence_name = models.CharField("培训证明材料原文件名", max_length=200, blank=True)
    retraining_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="培训登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    #: the paper answered (None: a score recorded by hand), and the option chosen per question (None: left blank)
    paper = models.ForeignKey(
        ExamPaper, verbose_name="试卷", null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    answers = models.JSONField("作答", default=list, blank=True, editable=False)

    objects = ExamResultQuerySet.as_manager()

    history = AuditTrail(verbose_name="考试成绩修改记录")

    class Meta:
        verbose_name = "考试成绩"
        verbose_name_plural = "考试成绩"
        ordering = ["inspection", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="exam_score_0_100"),
            models.CheckConstraint(
                condition=Q(passed=True) | Q(retraining_due_on__isnull=False), name="exam_failure_has_retraining_due"
            ),
        ]

    def __str__(self):
        return f"{self.person_name}（{self.post}）{self.score}分"

    @property
    def retraining_open(self):
        return not self.passed and self.retrained_on is None
