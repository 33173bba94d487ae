"""The pages that read as one county (home, dashboard, charts, big screen, workbook), for a user above the county.

A city's or a province's regulator names a county bureau below it with `?bureau=<id>`: the page then reads as that
county's own leadership group reads it (core.scoping.narrow_to_county) — read-only, since the role stays. Without
it, the home page lists the counties below and the dashboard, its big screen and its workbook rank them
(dashboards.level_board), and so do the charts (dashboards.charts.level_charts, on the same figures). Anyone else
may name only its own county (the parameter then changes nothing); a neighbour's is 404."""

from django.http import Http404
from django.utils import timezone

from accounts.models import Bureau
from accounts.permissions import can_see_counties
from accounts.selectors import counties_below
from campaign.switcher import campaign_for_request, chosen_id
from core.scoping import narrow_to_county, scope_of
from core.views import paginate

from .charts import level_charts
from .level_board import city_below, level_board


def county_lens(request):
    """The county bureau `?bureau=` names, the rest of the request now reading as it; None without the parameter or
    for a user who is not above the county. 404 when the county is not one below the user (or not a county)."""
    if hasattr(request, "county_lens"):  # read once per request (dashboards.middleware, then the view)
        return request.county_lens
    raw = request.GET.get("bureau", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise Http404
    if not can_see_counties(request.user):
        # A county (or a unit in it) names only its own county; a neighbour's is not in sight: 404, never its page.
        own = scope_of(request.user).county_id
        if own is not None and int(raw) != own:
            raise Http404
        return None
    county = Bureau.objects.visible_to(request.user).filter(pk=int(raw)).first()
    if county is None or not narrow_to_county(request.user, county):
        raise Http404
    request.county_lens = county
    return county


def counties_page(request):
    """The counties below the user, a page of them (a province has a hundred)."""
    return paginate(request, counties_below(user=request.user), per_page=30)


def lens_query(county, campaign=None):
    """The query string that keeps a page's links on the same county and the same campaign ("" when neither)."""
    from urllib.parse import urlencode

    params = {}
    if county is not None:
        params["bureau"] = county.pk
    if campaign is not None:
        params["campaign"] = campaign.pk
    return f"?{urlencode(params)}" if params else ""


def _reading_above(request):
    """(county, above, city): the county `?bureau=` names (the request now reading as it); whether the user reads from
    above the county (a city's or a province's, without `?bureau=`); and then the city `?city=` narrows a province's
    to (None: all below; 404 when not one below)."""
    county = county_lens(request)
    if county is not None or not can_see_counties(request.user):
        return county, False, None
    return None, True, city_below(request.user, request.GET.get("city", ""))


def board_above_county(request):
    """(county, board): the ranking of what is below the user (dashboards.level_board) for a city's or a province's
    user without `?bureau=`; else (the county read or None, None). The page, its big screen, its workbook and the API
    ask this one."""
    county, above, city = _reading_above(request)
    if not above:
        return county, None
    return None, level_board(user=request.user, today=timezone.localdate(), city=city)


def charts_above_county(request, today):
    """(county, data, campaign): the charts above the county (dashboards.charts.level_charts) for a city's or a
    province's user without `?bureau=` — `?campaign=` has its own county read the campaign picked in the switcher;
    else (the county read or None, None, None). The page, its data and the API ask this one."""
    county, above, city = _reading_above(request)
    if not above:
        return county, None, None
    campaign = campaign_for_request(request, today=today) if chosen_id(request) is not None else None
    return None, level_charts(user=request.user, today=today, city=city, campaign=campaign), campaign
