import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.permissions import is_inspector, is_regulator
from campaign.figures import PASS_MARK, RETRAINING_DAYS, figures_of
from campaign.membership import campaign_of_record, campaigns_of
from core import bounds
from core.errors import DomainError, InvalidState, NotPermitted
from core.uploads import sniff_evidence

from ..models import ExamResult, Inspection
from ..permissions import (
    can_complete_retraining,
    can_edit_inspection,
    can_record_inspection,
    can_write_at_inspection,
)
from ..progress import exams_progress_refresh


@transaction.atomic
def inspection_create(*, actor, mine, inspected_on, mode, inspectors=(), team_note="", notes=""):
    if not can_record_inspection(actor, mine, mode):
        raise NotPermitted("您不能以该方式登记对该煤矿的检查。")
    if inspected_on > timezone.localdate():
        raise DomainError("检查日期不能晚于今天。", field="inspected_on")
    # A city's (province's) regulator records the city's own inspection: marked as the city's, whose regulators then
    # write at it (its findings, exams, documents), while the county sees it among the mine's inspections.
    higher = is_regulator(actor)
    people = set(inspectors) | ({actor} if is_inspector(actor) or higher else set())
    if any(person.organization_id != actor.organization_id for person in people):
        raise DomainError("检查人员应为本单位的人员；其他人员请填写在“其他检查人员”中。", field="inspectors")
    inspection = Inspection.objects.create(
        mine=mine,
        campaign=campaign_of_record(unit=mine, day=inspected_on),
        inspected_on=inspected_on,
        mode=mode,
        team_note=team_note,
        notes=notes,
        created_by=actor,
        higher_bureau_id=actor.organization_id if higher else None,
    )
    inspection.inspectors.set(people)
    return inspection


@transaction.atomic
def inspection_update(*, actor, inspection, notes=None, team_note=None):
    """Correct what an inspection's record says (its 检查情况, the people not in the system): by whoever keeps such
    inspections, for its own only (a city's regulators the city's; the county the county's). Its mine, day and mode
    stay as recorded: its findings and documents hang on them. The history keeps each change."""
    inspection = Inspection.objects.select_for_update().select_related("mine").get(pk=inspection.pk)
    if not can_edit_inspection(actor, inspection):
        raise NotPermitted("该检查不是本单位登记的，您只能查看，不能修改。")
    wanted = {"notes": notes, "team_note": team_note}
    if team_note is not None and len(team_note) > 200:
        raise DomainError("其他检查人员不能超过 200 字。", field="team_note")
    if notes is not None and len(notes) > bounds.LONG_TEXT_CHARS:
        raise DomainError(f"检查情况不能超过 {bounds.LONG_TEXT_CHARS:,} 字。", field="notes")
    changed = [name for name, value in wanted.items() if value is not None and value != getattr(inspection, name)]
    for name in changed:
        setattr(inspection, name, wanted[name])
    if changed:
        inspection.save(update_fields=changed)
    return inspection


@transaction.atomic
def exam_record(*, actor, inspection, person_name, post, score, passed=None, paper=None, answers=()):
    """逢查必考: a failed exam opens an off-duty retraining obligation for the mine. `paper` and `answers`: the paper
    drawn from the 判定标准 the score was graded from (hazards.services.exam_papers), kept with the result."""
    if not can_write_at_inspection(actor, inspection):
        raise NotPermitted("只有县局执法人员（上级部门检查时为其监管人员）可以登记考试成绩。")
    score = Decimal(score)
    if not Decimal(0) <= score <= Decimal(100):
        raise DomainError("成绩应在 0 到 100 之间。", field="score")
    # 逢查必考: the pass mark and the retraining days of the inspection's campaign (80 and 30 by default).
    if paper is not None and paper.inspection_id != inspection.pk:
        raise DomainError("该试卷不是本次检查的试卷。", field="paper")
    figures = figures_of(inspection.campaign)
    passed = score >= figures[PASS_MARK] if passed is None else passed
    exam = ExamResult.objects.create(
        inspection=inspection,
        person_name=person_name,
        post=post,
        score=score,
        passed=passed,
        paper=paper,
        answers=list(answers),
        retraining_due_on=None if passed else inspection.inspected_on + dt.timedelta(days=figures[RETRAINING_DAYS]),
    )
    for campaign in campaigns_of(unit=inspection.mine, day=inspection.inspected_on):
        exams_progress_refresh(mine=inspection.mine, campaign=campaign)
    return exam


@transaction.atomic
def exam_retraining_complete(*, actor, exam, retrained_on, note, evidence):
    exam = ExamResult.objects.select_for_update().select_related("inspection__mine").get(pk=exam.pk)
    mine = exam.inspection.mine
    if not can_complete_retraining(actor, mine):
        raise NotPermitted("脱产培训由煤矿或其主体企业登记完成情况。")
    if exam.passed:
        raise InvalidState("考试合格的人员不需要重新培训。")
    if exam.retrained_on:
        raise InvalidState("该人员的脱产培训已登记完成。")
    if retrained_on < exam.inspection.inspected_on or retrained_on > timezone.localdate():
        raise DomainError("培训完成日期应在检查日期之后、今天之前。", field="retrained_on")
    if evidence is None:
        raise DomainError("请上传培训证明材料（签到表、考试卷或照片）。", field="evidence")
    exam.retraining_evidence_type = sniff_evidence(evidence)  # before the file: its stored suffix follows the type
    exam.retraining_evidence_name = evidence.name[:200]
    exam.retrained_on = retrained_on
    exam.retraining_note = note
    exam.retraining_evidence = evidence
    exam.retraining_recorded_by = actor
    exam.save()
    for campaign in campaigns_of(unit=mine, day=exam.inspection.inspected_on):
        exams_progress_refresh(mine=mine, campaign=campaign)
    return exam
