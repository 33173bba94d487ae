from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.counts import figures_counter
from core.history import history_rows
from core.models import LedgerKind
from core.paging import KeysetPaginator
from core.replica import reads_from_replica
from core.views import (
    call_service,
    capture_answer,
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
    refused,
    wants_json,
    xlsx_response,
)
from hazards.permissions import is_own_higher_inspection
from hazards.selectors import inspection_detail

from .. import services
from ..exports import ledger_columns, ledger_rows, violation_ledger_workbook
from ..filters import ViolationFilter
from ..forms import AccountabilityForm, BackTrackForm, TypicalForm, ViolationForm, ViolationImportForm
from ..models import BackTrackKind
from ..permissions import can_mark_typical, can_write_violations
from ..selectors import person_history, tipoff_detail, violation_detail, violation_list


def _filtered(request):
    return filtered(request, ViolationFilter, violation_list(user=request.user))


def violation_list_view(request):
    violation_filter, qs = _filtered(request)
    return render(
        request,
        "violations/violation_list.html",
        {
            "filter": violation_filter,
            # a bureau's ledger runs to millions: paged by position, counted from the dashboards' figures
            "page": paginate(
                request,
                qs,
                paginator_class=KeysetPaginator,
                known_count=figures_counter(violation_filter, user=request.user),
            ),
            "query_string": query_string_without_page(request),
            "today": timezone.localdate(),
            "can_write": can_write_violations(request.user),
        },
    )


@reads_from_replica
def violation_export(request):
    _, qs = _filtered(request)
    title = export_title(request, LEDGER_TITLE)
    return xlsx_response(violation_ledger_workbook(qs, title=title), f"{title}{timezone.localdate():%Y%m%d}")


LEDGER_TITLE = "“三违”人员台账"


def violation_print_page(request, queryset, *, filter_text="", back_url=""):
    """The print view of these 三违: the filtered ledger, or a batch the user selected (a queryset of
    `violation_list`), every row of it."""
    return ledger_print_page(
        request,
        title=export_title(request, LEDGER_TITLE),
        columns=ledger_columns(),
        rows=ledger_rows(queryset),
        filter_text=filter_text,
        back_url=back_url or reverse("violation_list"),
    )


def violation_print(request):
    violation_filter, qs = _filtered(request)
    back_url = f"{reverse('violation_list')}?{query_string_without_page(request)}"
    return violation_print_page(request, qs, filter_text=filter_summary(violation_filter), back_url=back_url)


@offered_only_to(
    "violations.write_violations", "登记、导入和修改“三违”由煤矿、主体企业和县局执法人员办理，您的账号只能查看。"
)
def violation_import(request):
    from ..services import violations_import

    return ledger_import_view(
        request,
        form_class=ViolationImportForm,
        service=violations_import,
        template_name="ledger_import.html",
        kind=LedgerKind.VIOLATIONS,
        batches_url=reverse("violation_import_batches"),
        extra_context={
            "title": "导入“三违”台账",
            "list_url": reverse("violation_list"),
            "help": "直接上传各矿现有的“三违”人员台账：按列名（如“日期”“姓名”“违章行为”“三违类别”“性质”）识别各列，"
            "自动跳过标题行、空行和合计行；“处罚情况”中的罚款金额和停工学习天数会自动识别。"
            "上传后先预览，确认后才写入；列名识别不了时可以手工对应。"
            "已导入过的记录（同一天、同一人、同一行为）不会重复导入。",
        },
    )


def violation_import_batches(request):
    return import_batches_view(
        request,
        kind=LedgerKind.VIOLATIONS,
        title="“三违”台账导入记录",
        import_url=reverse("violation_import"),
        list_url=reverse("violation_list"),
        permission="violations.write_violations",
        undo_url_name="violation_import_undo",
    )


@require_POST
def violation_import_undo(request, pk):
    from ..services import violations_import_undo

    return import_batch_undo_view(request, pk, service=violations_import_undo, then=reverse("violation_import_batches"))


VIOLATION_WRITERS_ONLY = "登记、导入和修改“三违”由煤矿、主体企业和县局执法人员办理，您的账号只能查看。"


def violation_create(request):
    inspection = tipoff = None
    initial = {}
    inspection_id = request.GET.get("inspection") or request.POST.get("inspection")
    tipoff_id = request.GET.get("tipoff") or request.POST.get("tipoff")
    if inspection_id:
        inspection = inspection_detail(user=request.user, pk=inspection_id)
    # A city's regulator registers here only the 三违 of its own inspection (the service says the same).
    own_higher = is_own_higher_inspection(request.user, inspection)
    if not (can_write_violations(request.user) or own_higher):
        return refused(request, VIOLATION_WRITERS_ONLY)
    if own_higher:
        initial = {"mine": inspection.mine_id, "occurred_on": inspection.inspected_on, "found_by": "other"}
        initial["found_by_name"] = inspection.inspected_by_label[:60]
    elif inspection is not None:
        initial = {"mine": inspection.mine_id, "occurred_on": inspection.inspected_on, "found_by": "bureau"}
    elif tipoff_id:
        tipoff = tipoff_detail(user=request.user, pk=tipoff_id)
        initial = {
            "mine": tipoff.mine_id,
            "occurred_on": tipoff.occurred_on or tipoff.received_on,
            "location": tipoff.location,
            "description": tipoff.content,
            "found_by": "other",
            "found_by_name": "匿名举报",
        }
    form = ViolationForm(request.POST or None, user=request.user, initial=initial)

    def create():
        # From a tip-off, the service records the 三违 and links the tip-off back in one transaction.
        if tipoff:
            return services.tipoff_to_violation(
                actor=request.user, inspection=inspection, tipoff=tipoff, **form.cleaned_data
            )
        return services.violation_create(actor=request.user, inspection=inspection, **form.cleaned_data)

    def done(violation):
        return f"“三违”已登记。请在 {violation.backtrack_days} 天内完成三项责任倒查。"

    if request.method == "POST" and wants_json(request):  # the offline capture sending a queued record
        return capture_answer(request, form, create, url_name="violation_detail", done=done)
    if request.method == "POST" and form.is_valid():
        violation = call_service(form, create)
        if violation:
            messages.success(request, done(violation))
            return redirect("violation_detail", pk=violation.pk)
    return render(request, "violations/violation_form.html", {"form": form, "inspection": inspection, "tipoff": tipoff})


def violation_edit(request, pk):
    violation = violation_detail(user=request.user, pk=pk)
    if not can_write_violations(request.user, violation.mine):
        # seen but not theirs to change (the leadership group, a city above the county): 403, not a redirect
        raise PermissionDenied("您只能查看该“三违”记录，不能修改。")
    form = ViolationForm(request.POST or None, instance=violation, user=request.user)
    if request.method == "POST" and form.is_valid():
        fresh = violation_detail(user=request.user, pk=pk)
        if call_service(form, services.violation_update, actor=request.user, violation=fresh, **form.cleaned_data):
            messages.success(request, "已保存。")
            return redirect("violation_detail", pk=pk)
    return render(request, "violations/violation_form.html", {"form": form, "violation": violation})


def violation_detail_view(request, pk):
    violation = violation_detail(user=request.user, pk=pk)
    done = {b.kind for b in violation.backtracks.all()}
    remaining = [(k, label) for k, label in BackTrackKind.choices if k not in done]
    backtrack_form = BackTrackForm(initial={"done_on": timezone.localdate()})
    backtrack_form.fields["kind"].choices = remaining
    accountability = getattr(violation, "accountability", None)
    accountability_form = AccountabilityForm(
        initial={
            "unit_leader_name": accountability.unit_leader_name,
            "unit_leader_action": accountability.unit_leader_action,
            "deputy_name": accountability.deputy_name,
            "deputy_review": accountability.deputy_review,
            "main_leader_action": accountability.main_leader_action,
        }
        if accountability
        else None
    )
    return render(
        request,
        "violations/violation_detail.html",
        {
            "violation": violation,
            "today": timezone.localdate(),
            "can_write": can_write_violations(request.user, violation.mine),
            "can_mark_typical": can_mark_typical(request.user, violation.mine),
            "backtrack_form": backtrack_form if remaining else None,
            "accountability_form": accountability_form,
            "typical_form": TypicalForm(initial={"typical": not violation.typical, "reason": violation.typical_reason}),
            "person_history": person_history(user=request.user, violation=violation),
            "history": history_rows(violation),
        },
    )


def _post(request, pk, form_class, service, done):
    violation = violation_detail(user=request.user, pk=pk)
    then = reverse("violation_detail", kwargs={"pk": pk})
    return post_action(
        request, form_class(request.POST), service, done=done, then=then, actor=request.user, violation=violation
    )


@require_POST
def backtrack_create(request, pk):
    return _post(request, pk, BackTrackForm, services.backtrack_record, "倒查已登记。")


@require_POST
def accountability_save(request, pk):
    return _post(request, pk, AccountabilityForm, services.violation_accountability_record, "问责情况已保存。")


@require_POST
def typical_toggle(request, pk):
    return _post(request, pk, TypicalForm, services.violation_mark_typical, "已更新典型案例标记。")
