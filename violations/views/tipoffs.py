from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Bureau
from core.errors import DomainError
from core.ratelimit import hit
from core.views import call_service, paginate
from hazards.services import hazard_create

from .. import services
from ..forms import AnonymousReportForm, ReportHandleForm, TrackingForm
from ..selectors import report_detail, report_list

RATE_LIMIT = (5, 600)  # reports per address per ten minutes
# Lookups per address per ten minutes, counted apart from the reports: enough for a reporter who mistypes, far too
# few to guess codes (and a code is 12 characters of 32).
LOOKUP_RATE_LIMIT = (20, 600)


def default_bureau():
    """The public form belongs to the deployment's bureau (the first, when a city runs several)."""
    return Bureau.objects.order_by("pk").first()


@login_not_required
def report_form(request):
    bureau = default_bureau()
    form = AnonymousReportForm(request.POST or None, bureau=bureau)
    if request.method == "POST":
        if not hit(request, scope="anonymous-report", limit=RATE_LIMIT[0], window_seconds=RATE_LIMIT[1]):
            form.add_error(None, "提交过于频繁，请十分钟后再试。")
            return render(request, "violations/report_form.html", {"form": form, "bureau": bureau}, status=429)
        if form.is_valid():
            report = call_service(form, services.anonymous_report_submit, bureau=bureau, **form.cleaned_data)
            if report:
                return render(request, "violations/report_done.html", {"report": report})
    return render(request, "violations/report_form.html", {"form": form, "bureau": bureau})


@login_not_required
def report_track(request):
    """The code goes in the body of a POST, never in the URL: a query string sits in access logs and browser history
    next to the address of whoever asked, which would tie the reporter to the report."""
    if request.method != "POST":
        return render(request, "violations/report_track.html", {"form": TrackingForm(), "report": None})
    form = TrackingForm(request.POST)
    limit, window = LOOKUP_RATE_LIMIT
    if not hit(request, scope="anonymous-report-lookup", limit=limit, window_seconds=window):
        form.is_valid()
        form.add_error(None, "查询过于频繁，请十分钟后再试。")
        return render(request, "violations/report_track.html", {"form": form, "report": None}, status=429)
    report = None
    if form.is_valid():
        report = call_service(form, services.anonymous_report_lookup, **form.cleaned_data)
    return render(request, "violations/report_track.html", {"form": form, "report": report})


def report_list_view(request):
    return render(request, "violations/report_list.html", {"page": paginate(request, report_list(user=request.user))})


def report_detail_view(request, pk):
    report = report_detail(user=request.user, pk=pk)
    form = ReportHandleForm(
        request.POST or None,
        initial={"status": report.status, "public_reply": report.public_reply, "internal_note": report.internal_note},
    )
    saved = request.method == "POST" and form.is_valid()
    if saved and call_service(
        form, services.anonymous_report_handle, actor=request.user, report=report, **form.cleaned_data
    ):
        messages.success(request, "已保存。")
        return redirect("report_detail", pk=pk)
    return render(request, "violations/report_detail.html", {"report": report, "form": form})


@require_POST
def report_to_violation(request, pk):
    """Triage: open the 三违 form prefilled from the report; saving links it back."""
    report = report_detail(user=request.user, pk=pk)
    return redirect(f"/violations/new/?report={report.pk}")


@require_POST
def report_to_hazard(request, pk):
    """Triage into a hazard of the reported mine, with the report's words as the description."""
    report = report_detail(user=request.user, pk=pk)
    if report.mine is None:
        messages.error(request, "请先在举报中确定被举报的煤矿（可在内部记录中注明），再转为隐患。")
        return redirect("report_detail", pk=pk)
    try:
        with transaction.atomic():
            hazard = _hazard_from_report(request.user, report)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("report_detail", pk=pk)
    messages.success(request, "已转为隐患，请补全五落实。")
    return redirect("hazard_detail", pk=hazard.pk)


def _hazard_from_report(actor, report):
    hazard = hazard_create(
        actor=actor,
        mine=report.mine,
        source="report",
        found_on=report.occurred_on or report.received_on,
        location=report.location or "举报所述地点",
        description=report.content,
        specialty="other",
    )
    services.anonymous_report_handle(
        actor=actor,
        report=report,
        status="handling",
        public_reply=report.public_reply,
        internal_note=report.internal_note,
        hazard=hazard,
    )
    return hazard
