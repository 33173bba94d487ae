"""The campaign a page shows when a bureau runs several at once: `?campaign=<id>` picks one of those the user sees
(the switcher on the dashboard, charts, big screen, matrix…), else the default (campaign.selectors). One not the
user's is 404, as any other object not theirs."""

from django.http import Http404
from django.utils import timezone

from .selectors import campaign_active_for

PARAM = "campaign"


def chosen_id(request):
    """The id in `?campaign=` (None when absent); a value that is not an id is 404 (a hand-edited address)."""
    raw = (request.GET.get(PARAM) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404("没有该专项整治。")
    return int(raw)


def campaign_for_request(request, *, today=None, figures=False):
    """The campaign the page is about: the one asked for in `?campaign=` (404 if the user does not see it), else the
    user's default one (None when the bureau has none)."""
    today = today or timezone.localdate()
    chosen = chosen_id(request)
    campaign = campaign_active_for(user=request.user, today=today, figures=figures, chosen=chosen)
    if chosen is not None and campaign is None:
        raise Http404("没有该专项整治。")
    return campaign
