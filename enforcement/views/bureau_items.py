"""The bureau's own campaign items (县局落实事项: 4.2.a–c, 4.3.c, 4.3.d), each with the figures its records show.

Read-only: the figures come from the inspections, listings, bulletins, suspensions and 一案双查 records
(selectors.bureau_items); nobody types them. A campaign the user may not see is 404; a mine or enterprise, which sees
the campaign but owes none of these, gets 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from campaign.selectors import campaign_list
from core.permissions import may

from ..selectors.bureau_items import bureau_items


def bureau_items_view(request, pk):
    campaign = get_object_or_404(campaign_list(user=request.user).filter(is_template=False), pk=pk)
    if not may(request.user, "enforcement.see_bureau_items"):
        raise PermissionDenied("县局落实事项供县局使用。")
    today = timezone.localdate()
    rows = bureau_items(user=request.user, campaign=campaign, today=today)
    return render(
        request,
        "enforcement/bureau_items.html",
        {"campaign": campaign, "rows": rows, "today": today, "met": sum(1 for r in rows if r.met)},
    )
