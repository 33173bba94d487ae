from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaign.figures import FACE_HOURS, HANDOVER_LEAD_HOURS, UNDERGROUND_HOURS, figures_in_force
from core.history import history_rows
from core.models import LedgerKind
from core.paging import KeysetPaginator
from core.replica import reads_from_replica
from core.views import (
    export_title,
    filter_summary,
    filtered,
    import_batch_undo_view,
    import_batches_view,
    ledger_import_view,
    ledger_print_page,
    offered_only_to,
    query_string_without_page,
    xlsx_response,
)

from .. import selectors, services
from ..exports import positioning_columns, positioning_rows, positioning_workbook
from ..filters import HandoverFilter, PositioningFilter, ZeroShiftPlanFilter
from ..forms import HandoverForm, PositioningImportForm, ZeroShiftPlanForm
from .common import form_page, list_page


def positioning_list_view(request):
    figures = figures_in_force(request.user)
    return list_page(
        request,
        filter_class=PositioningFilter,
        queryset=selectors.positioning_list(user=request.user),
        template="workforce/positioning_list.html",
        paginator_class=KeysetPaginator,  # a bureau's trips underground run into millions
        max_underground_hours=figures[UNDERGROUND_HOURS],
        max_face_hours=figures[FACE_HOURS],
    )


@reads_from_replica
def positioning_export(request):
    _, qs = filtered(request, PositioningFilter, selectors.positioning_list(user=request.user))
    title = export_title(request, "人员定位下井记录")
    workbook = positioning_workbook(qs, title=title, figures=figures_in_force(request.user))
    return xlsx_response(workbook, f"{title}{timezone.localdate():%Y%m%d}")


def positioning_print(request):
    """Every trip underground of the filter on paper (up to the print view's limit), not the page on screen."""
    record_filter, qs = filtered(request, PositioningFilter, selectors.positioning_list(user=request.user))
    return ledger_print_page(
        request,
        title=export_title(request, "人员定位下井记录"),
        columns=positioning_columns(figures_in_force(request.user)),
        rows=positioning_rows(qs),
        filter_text=filter_summary(record_filter),
        back_url=f"{reverse('positioning_list')}?{query_string_without_page(request)}",
    )


@offered_only_to("workforce.keep_records", "这些记录由煤矿（或其主体企业）登记，县局和领导组查看。")
def positioning_import(request):
    figures = figures_in_force(request.user)
    return ledger_import_view(
        request,
        form_class=PositioningImportForm,
        service=services.positioning_import,
        template_name="ledger_import.html",
        kind=LedgerKind.POSITIONING,
        batches_url=reverse("positioning_import_batches"),
        extra_context={
            "title": "导入人员定位下井记录",
            "list_url": reverse("positioning_list"),
            "help": "直接上传人员定位系统导出的下井记录（.xlsx 或 .csv，UTF-8 或 GBK 编码均可）："
            "按列名识别姓名、卡号、班组、下井时间、升井时间、工作面时长，自动跳过标题行、空行和合计行。"
            "井下时长由下井、升井时间算出；只写了时刻的升井时间早于下井时间时，算作次日升井（跨零点的班次）。"
            f"出入井超过 {figures[UNDERGROUND_HOURS]} 小时、工作面超过 {figures[FACE_HOURS]} 小时的人次会被标出。"
            "上传后先预览，确认后才写入；列名识别不了时可以手工对应。"
            "已导入过的记录（同一人、同一卡号、同一下井时间）不会重复导入。",
        },
    )


def positioning_import_batches(request):
    return import_batches_view(
        request,
        kind=LedgerKind.POSITIONING,
        title="人员定位下井记录导入记录",
        import_url=reverse("positioning_import"),
        list_url=reverse("positioning_list"),
        permission="workforce.keep_records",
        undo_url_name="positioning_import_undo",
    )


@require_POST
def positioning_import_undo(request, pk):
    return import_batch_undo_view(
        request, pk, service=services.positioning_import_undo, then=reverse("positioning_import_batches")
    )


def zero_shift_plan_list_view(request):
    return list_page(
        request,
        filter_class=ZeroShiftPlanFilter,
        queryset=selectors.zero_shift_plan_list(user=request.user),
        template="workforce/zero_shift_list.html",
    )


@offered_only_to("workforce.keep_records", "这些记录由煤矿（或其主体企业）登记，县局和领导组查看。")
def zero_shift_plan_create(request):
    form = ZeroShiftPlanForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        services.zero_shift_plan_create,
        title="登记零点班作业计划",
        done="零点班计划已登记。",
        then=lambda p: reverse("zero_shift_plan_detail", args=[p.pk]),
        cancel_url=reverse("zero_shift_plan_list"),
        help_text="百日专项整治期间，零点班不得安排危险作业，同时实行“双带班”制度。",
    )


def zero_shift_plan_detail_view(request, pk):
    plan = selectors.zero_shift_plan_detail(user=request.user, pk=pk)
    return render(
        request,
        "workforce/zero_shift_detail.html",
        {
            "plan": plan,
            "leaders_underground": selectors.zero_shift_leaders_underground(plan),
            "history": history_rows(plan),
        },
    )


def handover_list_view(request):
    return list_page(
        request,
        filter_class=HandoverFilter,
        queryset=selectors.handover_list(user=request.user),
        template="workforce/handover_list.html",
        lead_hours=figures_in_force(request.user)[HANDOVER_LEAD_HOURS],
    )


@offered_only_to("workforce.keep_records", "这些记录由煤矿（或其主体企业）登记，县局和领导组查看。")
def handover_create(request):
    form = HandoverForm(request.POST or None, user=request.user)
    lead = figures_in_force(request.user)[HANDOVER_LEAD_HOURS]
    return form_page(
        request,
        form,
        services.dispatch_handover_record,
        title="登记调度交接班",
        done="交接班记录已登记。",
        then=lambda h: reverse("handover_list"),
        cancel_url=reverse("handover_list"),
        help_text=f"调度室交接班时要提前 {lead} 小时进行调度；作业任务紧张的，提前通知跟班领导进行现场跟班落实。"
        f"提前不足 {lead} 小时的也如实登记，系统会标出。",
    )
