"""The register's pages under /accidents/: thin, each asks the selectors and the services."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.replica import reads_from_replica
from core.views import (
    export_title,
    filtered,
    ledger_import_view,
    offered_only_to,
    paginate,
    post_action,
    query_string_without_page,
    run_form_service,
    xlsx_response,
)

from . import services
from .exports import accident_ledger_workbook
from .filters import AccidentFilter
from .forms import AccidentForm, AccidentImportForm, InvestigationCloseForm, InvestigationForm
from .permissions import can_delete_accident, can_investigate, can_write_register
from .selectors import (
    accident_detail,
    accident_events,
    accident_list,
    investigation_detail,
    investigation_report_for,
)

LEDGER_TITLE = "事故/工伤台账"
READ_ONLY = "登记和修改事故由煤矿、主体企业和县局执法人员办理，您的账号只能查看。"
IMPORT_KIND = "accidents"  # the pending file's ledger (core.ledger_import.pending_*); imports keep no batch


def _filtered(request):
    return filtered(request, AccidentFilter, accident_list(user=request.user))


@offered_only_to("accidents.see_register", "事故台账由煤矿、主体企业和县局查看。")
def accident_list_view(request):
    accident_filter, qs = _filtered(request)
    return render(
        request,
        "accidents/accident_list.html",
        {
            "filter": accident_filter,
            "page": paginate(request, qs),
            "query_string": query_string_without_page(request),
            "can_write": can_write_register(request.user),
        },
    )


@offered_only_to("accidents.see_register", "事故台账由煤矿、主体企业和县局查看。")
@reads_from_replica
def accident_export(request):
    _, qs = _filtered(request)
    title = export_title(request, LEDGER_TITLE)
    return xlsx_response(accident_ledger_workbook(qs, title=title), f"{title}{timezone.localdate():%Y%m%d}")


@offered_only_to("accidents.write_register", READ_ONLY)
def accident_import(request):
    return ledger_import_view(
        request,
        form_class=AccidentImportForm,
        service=services.accidents_import,
        template_name="ledger_import.html",
        kind=IMPORT_KIND,
        batches_url="",
        extra_context={
            "title": "导入事故/工伤台账",
            "list_url": reverse("accident_list"),
            "help": "按列名识别：发生时间、发生地点、事故类别、死亡、重伤、轻伤、直接经济损失（元）、事故经过、报告人、"
            "报告县局时间（时间写成 2024-11-03 08:30）。上传后先预览，确认后才写入；"
            "同一煤矿同一时间同一地点的事故不会重复导入。"
            "专项整治期间的事故导入后自动启动提级调查。",
        },
    )


@offered_only_to("accidents.write_register", READ_ONLY)
def accident_create(request):
    form = AccidentForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        accident, status = run_form_service(form, services.accident_create, actor=request.user, **form.cleaned_data)
        if accident is not None:
            note = "已启动提级调查。" if getattr(accident, "investigation", None) else ""
            warn = "报告时间超过规定时限，已标为迟报。" if accident.late else ""
            messages.success(request, f"事故已登记。{note}{warn}")
            return redirect("accident_detail", pk=accident.pk)
    return render(request, "accidents/accident_form.html", {"form": form}, status=status)


def accident_edit(request, pk):
    accident = accident_detail(user=request.user, pk=pk)
    if not can_write_register(request.user, accident.mine):
        return render(request, "403.html", {"reason": "您不能修改该煤矿的事故台账。"}, status=403)
    form = AccidentForm(request.POST or None, instance=accident, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        row_version = data.pop("row_version", None)
        result, status = run_form_service(
            form, services.accident_update, actor=request.user, accident=accident, row_version=row_version, **data
        )
        if result is not None:
            messages.success(request, "已保存。")
            return redirect("accident_detail", pk=pk)
    return render(request, "accidents/accident_form.html", {"form": form, "accident": accident}, status=status)


@require_POST
def accident_delete(request, pk):
    accident = accident_detail(user=request.user, pk=pk)
    try:
        services.accident_delete(actor=request.user, accident=accident)
    except DomainError as exc:
        # The accident's page again, with the reason, answering the refusal's status (409: its investigation).
        messages.error(request, exc.message)
        response = accident_detail_view(request, pk)
        response.status_code = exc.status
        return response
    messages.success(request, "事故记录已删除。")
    return redirect("accident_list")


def accident_detail_view(request, pk):
    accident = accident_detail(user=request.user, pk=pk)
    investigation = getattr(accident, "investigation", None)
    may_investigate = can_investigate(request.user, accident.mine)
    return render(
        request,
        "accidents/accident_detail.html",
        {
            "accident": accident,
            "investigation": investigation,
            "report": getattr(investigation, "report", None) if investigation else None,
            "events": accident_events(accident),
            "can_write": can_write_register(request.user, accident.mine),
            "can_delete": can_delete_accident(request.user, accident) and investigation is None,
            "can_investigate": may_investigate and investigation is not None and investigation.is_open,
            "close_form": InvestigationCloseForm(),
        },
    )


def investigation_edit(request, pk):
    investigation = investigation_detail(user=request.user, pk=pk)
    if not can_investigate(request.user, investigation.accident.mine):
        return render(request, "403.html", {"reason": "提级调查情况由县局执法人员登记。"}, status=403)
    form = InvestigationForm(request.POST or None, instance=investigation)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        row_version = data.pop("row_version", None)
        result, status = run_form_service(
            form,
            services.investigation_update,
            actor=request.user,
            investigation=investigation,
            row_version=row_version,
            **data,
        )
        if result is not None:
            messages.success(request, "调查情况已保存。")
            return redirect("accident_detail", pk=investigation.accident_id)
    return render(
        request, "accidents/investigation_form.html", {"form": form, "investigation": investigation}, status=status
    )


@require_POST
def investigation_close(request, pk):
    investigation = investigation_detail(user=request.user, pk=pk)
    form = InvestigationCloseForm(request.POST, request.FILES)
    return post_action(
        request,
        form,
        services.investigation_close,
        done="提级调查已结案。",
        then=reverse("accident_detail", kwargs={"pk": investigation.accident_id}),
        actor=request.user,
        investigation=investigation,
    )


def investigation_report_download(request, pk):
    """The investigation report, only to those who see the accident (no public media URL)."""
    return investigation_report_for(user=request.user, pk=pk).response()
