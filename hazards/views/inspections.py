from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.files import stored_file_response
from core.history import history_rows
from core.views import call_service, paginate, post_action, query_string_without_page, refused

from .. import services
from ..filters import InspectionFilter
from ..forms import ExamForm, InspectionForm, InspectionNotesForm, RetrainingForm
from ..permissions import (
    can_complete_retraining,
    can_edit_inspection,
    can_record_inspection,
    can_write_at_inspection,
    can_write_ledger,
    is_own_higher_inspection,
)
from ..selectors import exam_detail, inspection_detail, inspection_list


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
