from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaign.switcher import campaign_for_request
from core.errors import DomainError
from core.history import history_rows
from core.mines import visible_mines
from core.models import LedgerKind
from core.replica import reads_from_replica
from core.views import (
    call_service,
    export_title,
    filter_summary,
    filtered,
    import_batch_undo_view,
    import_batches_view,
    ledger_import_view,
    ledger_print_page,
    offered_only_to,
    paginate,
    post_action,
    query_string_without_page,
    xlsx_response,
)

from .. import selectors, services
from ..exports import roster_columns, roster_rows, roster_workbook
from ..filters import CertificateFilter, PersonFilter, SessionFilter
from ..forms import CertificateForm, PersonForm, RosterImportForm, SessionForm, WorkUnitForm
from ..permissions import can_keep_records
from .common import form_page, list_page


def _initial_mine(request):
    mine = request.GET.get("mine", "")
    return {"mine": mine} if mine.isdigit() else {}


def person_list_view(request):
    return list_page(
        request,
        filter_class=PersonFilter,
        queryset=selectors.person_list(user=request.user),
        template="workforce/person_list.html",
    )


@reads_from_replica
def person_export(request):
    _, qs = filtered(request, PersonFilter, selectors.person_list(user=request.user))
    title = export_title(request, "人员名册")
    return xlsx_response(roster_workbook(qs, title=title), f"{title}{timezone.localdate():%Y%m%d}")


def person_print_page(request, queryset, *, filter_text="", back_url=""):
    """The print view of these people: the filtered roster, or a batch the user selected (a queryset of
    `person_list`), every row of it."""
    return ledger_print_page(
        request,
        title=export_title(request, "人员名册"),
        columns=roster_columns(),
        rows=roster_rows(queryset),
        filter_text=filter_text,
        back_url=back_url or reverse("person_list"),
    )


def person_print(request):
    record_filter, qs = filtered(request, PersonFilter, selectors.person_list(user=request.user))
    back_url = f"{reverse('person_list')}?{query_string_without_page(request)}"
    return person_print_page(request, qs, filter_text=filter_summary(record_filter), back_url=back_url)


@offered_only_to("workforce.keep_records", "这些记录由煤矿（或其主体企业）登记，县局和领导组查看。")
def person_import(request):
    return ledger_import_view(
        request,
        form_class=RosterImportForm,
        service=services.roster_import,
        template_name="ledger_import.html",
        kind=LedgerKind.ROSTER,
        batches_url=reverse("person_import_batches"),
        extra_context={
            "title": "导入人员名册",
            "list_url": reverse("person_list"),
            "help": "直接上传各矿现有的人员名册（.xlsx 或 .csv）：按列名识别姓名、工号、人员类别、岗位（工种）、"
            "车间（科队）、班组、用工形式、外包/派遣单位；名册中没有的车间、班组在确认导入时建立（预览中会列出）。"
            "没有“人员类别”列时按职务判断：矿长、书记为主要负责人，副矿长、总工程师、科长、队长等为管理人员，其余为从业人员。"
            "外包外租、劳务派遣、灵活用工人员须写明所属单位。上传后先预览，确认后才写入；列名识别不了时可以手工对应。"
            "已在名册中的人员（同名同工号）不会重复导入，也不会被修改。",
        },
    )


def person_import_batches(request):
    return import_batches_view(
        request,
        kind=LedgerKind.ROSTER,
        title="人员名册导入记录",
        import_url=reverse("person_import"),
        list_url=reverse("person_list"),
        permission="workforce.keep_records",
        undo_url_name="person_import_undo",
        notes=services.roster_batch_notes,
        list_label="返回人员名册",
        undo_also="随该批导入新建的车间（科队）、班组，撤销时如未被其他人员或培训记录使用，一并删除。",
    )


@require_POST
def person_import_undo(request, pk):
    return import_batch_undo_view(
        request, pk, service=services.roster_import_undo, then=reverse("person_import_batches")
    )


@offered_only_to("workforce.keep_records", "这些记录由煤矿（或其主体企业）登记，县局和领导组查看。")
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user, initial=_initial_mine(request))
    return form_page(
        request,
        form,
        services.person_create,
        title="登记人员",
        done="已加入人员名册。",
        then=lambda p: reverse("person_detail", args=[p.pk]),
        cancel_url=reverse("person_list"),
        help_text="主要负责人、管理人员、从业人员都登记在名册中；外包外租、劳务派遣、灵活用工人员同样登记，纳入统一培训。",
    )


def person_detail_view(request, pk):
    person = selectors.person_detail(user=request.user, pk=pk)
    return render(
        request,
        "workforce/person_detail.html",
        {
            "person": person,
            **selectors.person_archive(person=person),
            "can_write": can_keep_records(request.user, person.mine),
            "certificate_form": CertificateForm(),
            "history": history_rows(person),
        },
    )


def person_edit(request, pk):
    person = selectors.person_detail(user=request.user, pk=pk)
    if not can_keep_records(request.user, person.mine):
        # seen but not theirs to change (the leadership group, a city above the county): 403, not a redirect
        raise PermissionDenied("您只能查看该人员信息，不能修改。")
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        fresh = selectors.person_detail(user=request.user, pk=pk)
        if call_service(form, services.person_update, actor=request.user, person=fresh, **form.cleaned_data):
            messages.success(request, "已保存。")
            return redirect("person_detail", pk=pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": f"修改人员：{person.name}", "cancel_url": reverse("person_detail", args=[pk])},
    )


@require_POST
def certificate_create(request, pk):
    person = selectors.person_detail(user=request.user, pk=pk)
    return post_action(
        request,
        CertificateForm(request.POST),
        services.certificate_record,
        done="证书已登记，到期前 30 天会提醒。",
        then=reverse("person_detail", kwargs={"pk": pk}),
        actor=request.user,
        person=person,
    )


def work_unit_list_view(request):
    if request.method == "POST" and not can_keep_records(request.user):
        raise PermissionDenied("班组、科队由煤矿登记，您的账号只能查看。")
    form = WorkUnitForm(request.POST or None, user=request.user, initial=_initial_mine(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.work_unit_create, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, "已添加。")
        return redirect("work_unit_list")
    return render(
        request,
        "workforce/work_unit_list.html",
        {
            "page": paginate(request, selectors.work_unit_list(user=request.user), per_page=50),
            "form": form,
            "can_write": can_keep_records(request.user),
        },
    )


def training_session_list_view(request):
    return list_page(
        request,
        filter_class=SessionFilter,
        queryset=selectors.session_list(user=request.user),
        template="workforce/session_list.html",
    )


@offered_only_to("workforce.keep_records", "这些记录由煤矿（或其主体企业）登记，县局和领导组查看。")
def training_session_create(request):
    form = SessionForm(request.POST or None, user=request.user, initial=_initial_mine(request))
    return form_page(
        request,
        form,
        services.training_session_record,
        title="登记警示教育或培训",
        done="已登记。",
        then=lambda s: reverse("training_session_detail", args=[s.pk]),
        cancel_url=reverse("training_session_list"),
        help_text="警示教育要结合 1–2 个典型事故案例，100% 覆盖主要负责人、班组、车间；"
        "主要负责人讲的警示教育课单独登记。选择煤矿后，授课人、班组和人员从该矿名册中选择"
        "（主体企业请先在列表中按煤矿筛选，再点“登记”）。",
    )


def training_session_detail_view(request, pk):
    session = selectors.session_detail(user=request.user, pk=pk)
    return render(
        request,
        "workforce/session_detail.html",
        {
            "session": session,
            "results": selectors.session_exam_results(session) if session.has_exam else None,
            "can_write": can_keep_records(request.user, session.mine),
            "history": history_rows(session),
        },
    )


@require_POST
def training_scores_save(request, pk):
    """The score sheet of a session: one field per attendee (`score_<person id>`), blank for no score."""
    session = selectors.session_detail(user=request.user, pk=pk)
    if not can_keep_records(request.user, session.mine):
        raise PermissionDenied("您只能查看该培训，不能登记考核成绩。")
    scores = {}
    for a in session.attendance.all():
        raw = (request.POST.get(f"score_{a.person_id}") or "").strip()
        try:
            scores[a.person_id] = Decimal(raw) if raw else None
        except InvalidOperation:
            messages.error(request, f"{a.person.name}的成绩“{raw}”不是有效数字，未保存任何成绩。")
            return redirect("training_session_detail", pk=pk)
    try:
        services.training_scores_record(actor=request.user, session=session, scores=scores)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "考核成绩已保存。")
    return redirect("training_session_detail", pk=pk)


def training_coverage_view(request):
    """The 警示教育 coverage of each visible mine (or of the one in ?mine=), against its roster."""
    campaign = campaign_for_request(request)
    mines = visible_mines(request.user)
    mine_id = request.GET.get("mine", "")
    if mine_id.isdigit():
        mines = [get_object_or_404(mines, pk=mine_id)]
    page = paginate(request, mines, per_page=20)
    coverage = selectors.warning_coverage_of_mines(
        mine_ids=[m.pk for m in page],
        start=campaign.starts_on if campaign else None,
        end=campaign.ends_on if campaign else None,
    )
    rows = [(mine, coverage[mine.pk]) for mine in page]
    return render(request, "workforce/coverage.html", {"rows": rows, "page": page, "campaign": campaign})


def certificate_list_view(request):
    return list_page(
        request,
        filter_class=CertificateFilter,
        queryset=selectors.certificate_list(user=request.user),
        template="workforce/certificate_list.html",
        today=timezone.localdate(),
    )
