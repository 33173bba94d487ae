"""The rows ticked on the 三违 ledger page: export them, print them. The ids are read through the ledger's own
selector (`violation_list`): an id the user may not see is left out; when none is visible the answer is 404."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from core.replica import reads_from_replica
from core.selection import NothingSelected, selected_rows
from core.views import export_title, xlsx_response

from ..exports import violation_ledger_workbook
from ..selectors import violation_list
from .ledger import LEDGER_TITLE, violation_print_page


def _selected(request):
    return selected_rows(violation_list(user=request.user), request.GET)


@reads_from_replica
def violation_selected_export(request):
    try:
        rows = _selected(request)
    except NothingSelected as exc:
        messages.error(request, exc.message)
        return redirect("violation_list")
    title = export_title(request, LEDGER_TITLE)
    return xlsx_response(violation_ledger_workbook(rows, title=title), f"{title}（所选）{timezone.localdate():%Y%m%d}")


def violation_selected_print(request):
    """The ticked rows on paper, in the same print view as the whole filtered ledger."""
    try:
        rows = _selected(request)
    except NothingSelected as exc:
        messages.error(request, exc.message)
        return redirect("violation_list")
    return violation_print_page(request, rows, filter_text=f"所选 {rows.count()} 条")
