"""The rows ticked on the ledger page: export them, print them, and (inspectors) list the major ones for 挂牌督办.

Every action reads the ticked ids through the ledger's own selector (`hazard_list`): an id the user may not see is
left out, and when none is visible the answer is 404. Listing goes through `hazard_list_publicly` one hazard at a time,
each in its own transaction, and says per hazard what happened."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from core.errors import DomainError
from core.permissions import may
from core.replica import reads_from_replica
from core.selection import NothingSelected, selected_rows
from core.views import export_title, xlsx_response

from .. import services
from ..exports import hazard_ledger_workbook
from ..forms import ListingForm
from ..selectors import hazard_list
from .ledger import LEDGER_TITLE, hazard_print_page


def _back(request, exc):
    messages.error(request, exc.message)
    return redirect("hazard_list")


@reads_from_replica
def hazard_selected_export(request):
    try:
        rows = selected_rows(hazard_list(user=request.user), request.GET)
    except NothingSelected as exc:
        return _back(request, exc)
    title = export_title(request, LEDGER_TITLE)
    return xlsx_response(hazard_ledger_workbook(rows, title=title), f"{title}（所选）{timezone.localdate():%Y%m%d}")


def hazard_selected_print(request):
    """The ticked rows on paper, in the same print view as the whole filtered ledger."""
    try:
        rows = selected_rows(hazard_list(user=request.user), request.GET)
    except NothingSelected as exc:
        return _back(request, exc)
    return hazard_print_page(request, rows, filter_text=f"所选 {rows.count()} 条")


def _listing_state(user, hazard):
    """Why a ticked hazard can or cannot be listed, before trying (the service decides again, under its rules)."""
    if not hazard.is_major:
        return False, "一般隐患不能挂牌"
    if getattr(hazard, "listing", None) is not None:
        return False, "已挂牌督办"
    if not may(user, "hazards.supervise", hazard.mine):
        return False, "无权挂牌"
    return True, "可挂牌"


def hazard_selected_listing(request):
    """GET: the ticked hazards and the listing form. POST: list each one the rules allow; a result per hazard."""
    if not may(request.user, "hazards.supervise"):
        raise PermissionDenied("只有县局执法人员可以挂牌督办。")
    params = request.POST if request.method == "POST" else request.GET
    try:
        rows = list(selected_rows(hazard_list(user=request.user), params).order_by("mine__name", "found_on", "id"))
    except NothingSelected as exc:
        return _back(request, exc)
    form = ListingForm(
        request.POST if request.method == "POST" else None,
        initial={"listed_on": timezone.localdate(), "supervising_unit": request.user.organization},
    )
    results = None
    if request.method == "POST" and form.is_valid():
        results = []
        for hazard in rows:
            try:
                services.hazard_list_publicly(actor=request.user, hazard=hazard, **form.cleaned_data)
            except DomainError as exc:
                results.append((hazard, False, exc.message))
            else:
                results.append((hazard, True, "已挂牌督办。"))
    return render(
        request,
        "hazards/selected_listing.html",
        {
            "rows": [(hazard, *_listing_state(request.user, hazard)) for hazard in rows],
            "ids": [hazard.pk for hazard in rows],  # the visible ones only, for the post
            "form": form,
            "results": results,
            "done": sum(1 for _, ok, _ in results or () if ok),
            "refused": sum(1 for _, ok, _ in results or () if not ok),
        },
    )
