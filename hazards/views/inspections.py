from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.files import stored_file_response
from core.history import history_rows
from core.permissions import may
from core.views import call_service, form_errors_text, paginate, post_action, query_string_without_page, refused

from .. import services
from ..filters import InspectionFilter
from ..forms import ExamForm, ExamPaperForm, InspectionForm, InspectionNotesForm, PaperAnswersForm, RetrainingForm
from ..permissions import (
    can_complete_retraining,
    can_edit_inspection,
    can_record_inspection,
    can_write_at_inspection,
    can_write_ledger,
    is_own_higher_inspection,
)
from ..selectors import exam_detail, exam_paper_detail, inspection_detail, inspection_list
from ..services.exam_papers import OPTION_LETTERS, grade


def inspection_list_view(request):
    inspection_filter = InspectionFilter(
        request.GET or None, queryset=inspection_list(user=request.user), request=request
    )
    qs = (
        inspection_filter.qs
        if inspection_filter.is_bound and inspection_filter.is_valid()
        else inspection_filter.queryset
    )
    return render(
        request,
        "hazards/inspection_list.html",
        {
            "filter": inspection_filter,
            "page": paginate(request, qs),
            "query_string": query_string_without_page(request),
            "can_create": can_record_inspection(request.user),
        },
    )


def inspection_create(request):
    if not can_record_inspection(request.user):
        return refused(request, "检查由县局执法人员（上级部门为其监管人员）登记，您的账号只能查看。")
    form = InspectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        inspection = call_service(form, services.inspection_create, actor=request.user, **form.cleaned_data)
        if inspection:
            messages.success(request, "检查已登记。可继续登记发现的隐患和考试成绩。")
            return redirect("inspection_detail", pk=inspection.pk)
    return render(request, "hazards/inspection_form.html", {"form": form})


def inspection_detail_view(request, pk):
    inspection = inspection_detail(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "hazards/inspection_detail.html",
        {
            "inspection": inspection,
            "can_supervise": can_write_at_inspection(user, inspection),
            # A city's regulator records the findings of its own inspection (they go to the county's ledgers).
            "can_add_hazards": can_write_ledger(user, inspection.mine) or is_own_higher_inspection(user, inspection),
            # the city's own inspection: its regulators record its 三违 and draft its documents as well
            "own_higher_inspection": is_own_higher_inspection(user, inspection),
            "can_retrain": can_complete_retraining(user, inspection.mine),
            "exam_form": ExamForm(campaign=inspection.campaign),
            "paper_form": ExamPaperForm(),
            "notes_form": InspectionNotesForm(initial={"notes": inspection.notes, "team_note": inspection.team_note})
            if can_edit_inspection(user, inspection)
            else None,
            "retraining_form": RetrainingForm(initial={"retrained_on": timezone.localdate()}),
            "history": history_rows(inspection),
        },
    )


@require_POST
def inspection_update(request, pk):
    """Correct the record of one's own inspection: the county's of the county's, a city's regulators of the city's
    own (the county's stay read-only to them: 403)."""
    inspection = inspection_detail(user=request.user, pk=pk)
    if not can_edit_inspection(request.user, inspection):  # seen, not one's own to correct: 403, never a redirect
        return refused(request, "该检查不是本单位登记的，您只能查看，不能修改。")
    return post_action(
        request,
        InspectionNotesForm(request.POST),
        services.inspection_update,
        done="检查情况已修改。",
        then=reverse("inspection_detail", kwargs={"pk": pk}),
        regulator_write=is_own_higher_inspection(request.user, inspection),
        actor=request.user,
        inspection=inspection,
    )


@require_POST
def exam_create(request, pk):
    inspection = inspection_detail(user=request.user, pk=pk)
    return post_action(
        request,
        ExamForm(request.POST, campaign=inspection.campaign),
        services.exam_record,
        done=lambda exam: "成绩已登记。" + ("" if exam.passed else "不合格，须重新组织脱产培训。"),
        then=reverse("inspection_detail", kwargs={"pk": pk}),
        # A city's regulator at the city's own inspection (逢查必考); at the county's it stays read-only (403).
        regulator_write=is_own_higher_inspection(request.user, inspection),
        actor=request.user,
        inspection=inspection,
    )


@require_POST
def exam_retraining(request, pk):
    exam = exam_detail(user=request.user, pk=pk)
    return post_action(
        request,
        RetrainingForm(request.POST, request.FILES),
        services.exam_retraining_complete,
        done="脱产培训完成情况已登记。",
        then=reverse("inspection_detail", kwargs={"pk": exam.inspection_id}),
        actor=request.user,
        exam=exam,
    )


def exam_evidence_download(request, pk):
    exam = exam_detail(user=request.user, pk=pk)
    if not exam.retraining_evidence:
        raise Http404
    return stored_file_response(
        exam.retraining_evidence,
        content_type=exam.retraining_evidence_type,
        original_name=exam.retraining_evidence_name,
    )


PAPERS_REFUSED = "只有县局执法人员（上级部门检查时为其监管人员）可以组卷、阅卷。"


def _may_examine(user, inspection):
    """Draw and grade papers: who records exams at this inspection (as exam_create), able to write at all."""
    writes = may(user, "accounts.write") or (
        is_own_higher_inspection(user, inspection) and may(user, "accounts.write_above_county")
    )
    return writes and can_write_at_inspection(user, inspection)


@require_POST
def exam_paper_create(request, pk):
    """逢查必考: draw a paper from the 判定标准's 情形, then open it (to print, and to grade the answers)."""
    inspection = inspection_detail(user=request.user, pk=pk)
    if not _may_examine(request.user, inspection):
        return refused(request, PAPERS_REFUSED)
    back = reverse("inspection_detail", kwargs={"pk": pk})
    form = ExamPaperForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(back)
    try:
        paper = services.exam_paper_draw(actor=request.user, inspection=inspection, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, f"已从判定标准抽取 {len(paper.questions)} 题组卷，试卷编号 {paper.number}。")
    return redirect("exam_paper_detail", pk=paper.pk)


def exam_paper_detail_view(request, pk):
    """The paper as printed (questions and options); for the examiner also the answer key and the grading form."""
    paper = exam_paper_detail(user=request.user, pk=pk)
    examiner = _may_examine(request.user, paper.inspection)
    return render(
        request,
        "hazards/exam_paper.html",
        {
            "paper": paper,
            "inspection": paper.inspection,
            "questions": [
                {
                    **q,
                    "n": n,
                    "lettered": list(zip(OPTION_LETTERS, q["options"], strict=False)),
                    "key": OPTION_LETTERS[q["answer"]],
                }
                for n, q in enumerate(paper.questions, 1)
            ],
            "examiner": examiner,
            "answers_form": PaperAnswersForm(paper=paper) if examiner else None,
        },
    )


@require_POST
def exam_paper_grade(request, pk):
    """Grade one person's answers and record the exam result (score, pass, retraining as exam_create does)."""
    paper = exam_paper_detail(user=request.user, pk=pk)
    if not _may_examine(request.user, paper.inspection):
        return refused(request, PAPERS_REFUSED)
    back = reverse("exam_paper_detail", kwargs={"pk": pk})
    form = PaperAnswersForm(request.POST, paper=paper)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(back)
    try:
        exam = services.exam_paper_grade(actor=request.user, paper=paper, **form.service_data())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    _score, right = grade(paper, exam.answers)
    verdict = "合格" if exam.passed else "不合格，须重新组织脱产培训"
    messages.success(
        request, f"{exam.person_name}：答对 {right}/{len(paper.questions)} 题，{exam.score} 分，{verdict}。"
    )
    return redirect(back)
