from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Bureau
from core.errors import DomainError
from core.excel import ExportColumn, write_ledger_xlsx
from core.ratelimit import hit
from core.replica import reads_from_replica
from core.views import call_service, paginate, post_action, xlsx_response

from .. import services
from ..forms import TipoffEscalateForm, TipoffForm, TipoffHandleForm, TrackingForm
from ..permissions import can_escalate_tipoff, can_handle_tipoff
from ..selectors import tipoff_detail, tipoff_enterprise_counts, tipoff_list

RATE_LIMIT = (5, 600)  # tip-offs per address per ten minutes
# Lookups per address per ten minutes, counted apart from the tip-offs: enough for a reporter who mistypes, far too
# few to guess codes (and a code is 12 characters of 32).
LOOKUP_RATE_LIMIT = (20, 600)


def default_bureau():
    """The public form belongs to the deployment's bureau (the first, when a city runs several)."""
    return Bureau.objects.order_by("pk").first()


@login_not_required
def tipoff_form(request):
    bureau = default_bureau()
    form = TipoffForm(request.POST or None, bureau=bureau)
    if request.method == "POST":
        if not hit(request, scope="tipoff", limit=RATE_LIMIT[0], window_seconds=RATE_LIMIT[1]):
            form.add_error(None, "提交过于频繁，请十分钟后再试。")
            return render(request, "violations/tipoff_form.html", {"form": form, "bureau": bureau}, status=429)
        if form.is_valid():
            tipoff = call_service(form, services.tipoff_submit, bureau=bureau, **form.cleaned_data)
            if tipoff:
                return render(request, "violations/tipoff_done.html", {"tipoff": tipoff})
    return render(request, "violations/tipoff_form.html", {"form": form, "bureau": bureau})


@login_not_required
def tipoff_poster(request):
    """An A4 poster of the public report page with its QR code, to print and put up at the pit head and in the
    offices. Public like the page it points to (it shows nothing else); the address is the deployment's own
    (`DJANGO_SITE_URL`), not the host this request came in by."""
    from django.conf import settings
    from django.urls import reverse

    from core.qr import qr_svg

    url = settings.SITE_URL.rstrip("/") + reverse("tipoff_form")
    return render(
        request,
        "violations/tipoff_poster.html",
        {"bureau": default_bureau(), "url": url, "qr": qr_svg(url, title="匿名举报二维码")},
    )


@login_not_required
def tipoff_track(request):
    """The code goes in the body of a POST, never in the URL: a query string sits in access logs and browser history
    next to the address of whoever asked, which would tie the reporter to the tipoff."""
    if request.method != "POST":
        return render(request, "violations/tipoff_track.html", {"form": TrackingForm(), "tipoff": None})
    form = TrackingForm(request.POST)
    limit, window = LOOKUP_RATE_LIMIT
    if not hit(request, scope="tipoff-lookup", limit=limit, window_seconds=window):
        form.is_valid()
        form.add_error(None, "查询过于频繁，请十分钟后再试。")
        return render(request, "violations/tipoff_track.html", {"form": form, "tipoff": None}, status=429)
    tipoff = None
    if form.is_valid():
        tipoff = call_service(form, services.tipoff_lookup, **form.cleaned_data)
    return render(request, "violations/tipoff_track.html", {"form": form, "tipoff": tipoff})


TIPOFF_LEDGER_TITLE = "匿名举报办理台账"


@reads_from_replica
def _tipoff_workbook(user):
    """The desk's tip-offs as a workbook: the same rows the list shows this user (nothing of the reporter). Read from
    the replica (the desk's page reads the primary); built here, rows and all: the response only saves it."""
    rows = tipoff_list(user=user).iterator(chunk_size=2000)
    return write_ledger_xlsx(title=TIPOFF_LEDGER_TITLE, columns=_tipoff_columns(), rows=rows, sheet_name="匿名举报")


def tipoff_list_view(request):
    if request.GET.get("format") == "xlsx":
        workbook = _tipoff_workbook(request.user)
        return xlsx_response(workbook, f"{TIPOFF_LEDGER_TITLE}{timezone.localdate():%Y%m%d}")
    return render(
        request,
        "violations/tipoff_list.html",
        {
            "page": paginate(request, tipoff_list(user=request.user)),
            # The bureau sees how the enterprises' own channels stand, never their text (unless escalated).
            "enterprise_counts": list(tipoff_enterprise_counts(user=request.user)),
        },
    )


def _tipoff_columns():
    return [
        ExportColumn("举报对象", lambda t: t.get_addressee_display(), 16),
        ExportColumn("受理日期", lambda t: t.received_on, 12),
        ExportColumn("类型", lambda t: t.get_category_display(), 14),
        ExportColumn("煤矿", lambda t: t.mine.name if t.mine else t.mine_text, 18),
        ExportColumn("地点", lambda t: t.location, 18),
        ExportColumn("发生日期", lambda t: t.occurred_on, 12),
        ExportColumn("举报内容", lambda t: t.content, 50),
        ExportColumn("办理状态", lambda t: t.get_status_display(), 10),
        ExportColumn("答复", lambda t: t.public_reply, 40),
        ExportColumn("提交县局日期", lambda t: t.escalated_on, 14),
    ]


REFUSED = "匿名举报由受理单位的人员办理，您的账号只能查看。"


def _refused(request, tipoff=None):
    reason = services.not_handled_reason(tipoff) if tipoff is not None else REFUSED
    return render(request, "403.html", {"reason": reason}, status=403)


def tipoff_detail_view(request, pk):
    tipoff = tipoff_detail(user=request.user, pk=pk)
    can_handle = can_handle_tipoff(request.user, tipoff)
    if request.method == "POST" and not can_handle:
        return _refused(request, tipoff)
    form = TipoffHandleForm(
        request.POST or None,
        initial={"status": tipoff.status, "public_reply": tipoff.public_reply, "internal_note": tipoff.internal_note},
    )
    saved = request.method == "POST" and form.is_valid()
    if saved and call_service(form, services.tipoff_handle, actor=request.user, tipoff=tipoff, **form.cleaned_data):
        messages.success(request, "已保存。")
        return redirect("tipoff_detail", pk=pk)
    return render(
        request,
        "violations/tipoff_detail.html",
        {
            "tipoff": tipoff,
            "form": form,
            "can_handle": can_handle,
            "can_escalate": can_escalate_tipoff(request.user, tipoff) and not tipoff.is_escalated,
            "escalate_form": TipoffEscalateForm(),
        },
    )


@require_POST
def tipoff_escalate(request, pk):
    """提交县局: the enterprise hands a tip-off made to it over to the bureau."""
    tipoff = tipoff_detail(user=request.user, pk=pk)
    form = TipoffEscalateForm(request.POST)
    then = reverse("tipoff_detail", kwargs={"pk": pk})
    return post_action(
        request, form, services.tipoff_escalate, done="已提交县局。", then=then, actor=request.user, tipoff=tipoff
    )


@require_POST
def tipoff_to_violation(request, pk):
    """Triage: open the 三违 form prefilled from the tipoff; saving links it back."""
    tipoff = tipoff_detail(user=request.user, pk=pk)
    if not can_handle_tipoff(request.user, tipoff):
        return _refused(request, tipoff)
    return redirect(f"/violations/new/?tipoff={tipoff.pk}")


@require_POST
def tipoff_to_hazard(request, pk):
    """Triage into a hazard of the reported mine, with the tipoff's words as the description."""
    tipoff = tipoff_detail(user=request.user, pk=pk)
    if not can_handle_tipoff(request.user, tipoff):
        return _refused(request, tipoff)
    try:
        hazard = services.tipoff_to_hazard(actor=request.user, tipoff=tipoff)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("tipoff_detail", pk=pk)
    messages.success(request, "已转为隐患，请补全五落实。")
    return redirect("hazard_detail", pk=hazard.pk)
