from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from accidents.selectors import accident_overview
from accounts.models import Mine
from campaign.switcher import campaign_for_request, chosen_id
from core.replica import reads_from_replica
from core.scoping import scope_key
from core.views import paginate, xlsx_response

from ..charts import LEVEL_SERIES, charts
from ..dashboard import RISK_WEIGHTS, dashboard, only_mine, self_check_gap_hazards
from ..exports import dashboard_workbook, level_workbook
from ..level_board import FIGURES
from ..levels import board_above_county, charts_above_county, lens_query


def _dashboard(request, today=None):
    """The dashboard's figures for the campaign picked in the switcher (`?campaign=`; 404 if not the user's)."""
    chosen = chosen_id(request)
    data = dashboard(user=request.user, today=today, chosen=chosen)
    if chosen is not None and data["campaign"] is None:
        raise Http404("没有该专项整治。")
    return data


def _totals(board):
    return [(key, label, board["totals"][key]) for key, label in FIGURES]


def _city_query(board):
    return f"?city={board['city'].pk}" if board["city"] else ""


@reads_from_replica
def dashboard_view(request):
    county, board = board_above_county(request)
    if board is not None:
        return render(
            request,
            "dashboards/levels.html",
            {
                "board": board,
                "figures": FIGURES,
                "totals": _totals(board),
                "counties": paginate(request, board["counties"], per_page=30),
                "city_query": _city_query(board),
                "query_string": _city_query(board)[1:],
            },
        )
    data = _dashboard(request)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "d": data,
            "weights": RISK_WEIGHTS,
            "stats": _stats(data, county),
            "figures": figures_json(data),
            "county": county,
            "lens": lens_query(county, data["campaign"]),
            # the county a city's or a province's user reads (`?bureau=`), kept by every link to a list: a tile's
            # number is the county's, and so must be the list it opens
            "county_query": lens_query(county),
            "county_and": lens_query(county).replace("?", "&", 1),
        },
    )


def _stats(d, county=None):
    """The figure cards on top of the dashboard: each is a link to the list behind it (of the `county` read from
    above, when one is: `?bureau=`)."""
    hazards, month = reverse("hazard_list"), d["month_start"].isoformat()
    stats = []
    if d.get("review_queue") is not None:
        stats.append(("review_queue", "待审核报送", d["review_queue"], reverse("review_queue"), "", ""))
    stats += [
        ("hazards_open", "未销号隐患", d["hazards"]["not_closed"], f"{hazards}?active=true", "", ""),
        ("hazards_overdue", "逾期未整改", d["hazards"]["overdue"], f"{hazards}?overdue=true", "text-danger", ""),
        (
            "major_open",
            "未销号重大隐患",
            d["hazards"]["major_open"],
            f"{hazards}?level=major&active=true",
            "text-danger",
            "动态清零目标：0",
        ),
        (
            "violations_month",
            "本月“三违”",
            d["violations_month"]["total"],
            f"{reverse('violation_list')}?occurred_after={month}",
            "",
            "",
        ),
    ]
    if not d.get("own_mine"):  # one mine's status is on its own card, not a count of suspended mines among one
        stats.insert(
            -1,
            (
                "suspended",
                "停产整顿煤矿",
                len(d["suspended_mines"]),
                reverse("mine_list") + "?status=suspended",
                "text-danger",
                "",
            ),
        )
    if d.get("reports_waiting") is not None:
        stats.append(("reports_waiting", "待处理匿名举报", d["reports_waiting"], reverse("tipoff_list"), "", ""))
    lensed = lens_query(county)
    if lensed:
        stats = [(key, label, value, _with_query(href, lensed), *rest) for key, label, value, href, *rest in stats]
    return [dict(zip(("key", "label", "value", "href", "color", "note"), s, strict=True)) for s in stats]


def _with_query(href, query):
    """`href` with the parameters of `query` ("?a=1") added to its own."""
    return f"{href}{'&' if '?' in href else '?'}{query[1:]}"


@reads_from_replica
def charts_view(request):
    today = timezone.localdate()
    county, level, chosen = charts_above_county(request, today)
    if level is not None:
        city_query = f"city={level['city']['id']}" if level["city"] else ""
        return render(
            request,
            "dashboards/charts_levels.html",
            {
                "level": level,
                "campaign": chosen,
                "series": LEVEL_SERIES,
                "city_query": city_query,
                "data_url": reverse("dashboard_data") + (f"?{city_query}" if city_query else ""),
            },
        )
    campaign = campaign_for_request(request, today=today)
    return render(
        request,
        "dashboards/charts.html",
        {
            "campaign": campaign,
            "county": county,
            "lens": lens_query(county, campaign),
            "data_url": reverse("dashboard_data") + lens_query(county, campaign),
            "own_mine": only_mine(request.user),
            "accidents": accident_overview(user=request.user, campaign=campaign),
        },
    )


@reads_from_replica
def screen_view(request):
    county, board = board_above_county(request)
    if board is not None:
        # Above the county: the ranking and its totals, read-only, the page reloading itself every minute.
        return render(
            request,
            "dashboards/screen_levels.html",
            {
                "board": board,
                "figures": FIGURES,
                "totals": _totals(board),
                "today": timezone.localdate(),
                "city_query": _city_query(board),
            },
        )
    today = timezone.localdate()
    d = _dashboard(request, today)
    campaign = d["campaign"]
    return render(
        request,
        "dashboards/screen.html",
        {
            "campaign": campaign,
            "county": county,
            "lens": lens_query(county, campaign),
            "data_url": reverse("dashboard_data") + lens_query(county, campaign),
            "d": d,
        },
    )


@reads_from_replica
def dashboard_data(request):
    """The chart data the pages load (and reload on the big screen), cached like the figures."""
    from django.conf import settings
    from django.core.cache import cache

    today = timezone.localdate()
    _county, level, _campaign = charts_above_county(request, today)
    if level is not None:  # above the county: the counties ranked, as the page shows them
        return JsonResponse(level, json_dumps_params={"ensure_ascii": False})
    user = request.user
    chosen = chosen_id(request)
    key = f"charts:{scope_key(user)}:{user.is_bureau_user}:{today.isoformat()}:{chosen}"
    payload = cache.get(key) if settings.DASHBOARD_CACHE_SECONDS else None
    if payload is None:
        d = _dashboard(request, today)
        payload = charts(user=user, campaign=d["campaign"], today=today)
        payload["figures"] = figures_json(d)
        if settings.DASHBOARD_CACHE_SECONDS:
            cache.set(key, payload, settings.DASHBOARD_CACHE_SECONDS)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


def figures_json(d):
    """The dashboard's figures as plain JSON (what the API and the big screen show)."""
    phase = d.get("phase")
    return {
        "today": d["today"].isoformat(),
        "campaign": d["campaign"].name if d["campaign"] else None,
        "phase": phase.name if phase else None,
        "phase_days_left": d.get("phase_days_left"),
        "campaign_days_left": d.get("campaign_days_left"),
        "hazards": d["hazards"],
        "hazards_by_specialty": d["hazards_by_specialty"],
        "suspended_mines": [
            {"id": m.pk, "name": m.name, "enterprise": m.parent.name, "major_open": m.major_open}
            for m in d["suspended_mines"]
        ],
        "major_series": d["major_series"],
        "violations_month": d["violations_month"],
        "bulletin_duty": d.get("bulletin_duty"),
        "accidents": d.get("accidents"),
        "inspections_total": d["inspections_total"],
        "inspections_by_mode": d["inspections_by_mode"],
        "exams": d["exams"],
        "controls": d["controls"],
        "reports_waiting": d.get("reports_waiting"),
        "review_queue": d.get("review_queue"),
        "ranking": [_risk_row(r) for r in d["ranking"]],
        "own_mine": _risk_row(d["own_mine"]) if d.get("own_mine") else None,
        "self_check_gaps": [
            {
                "mine_id": g["mine_id"],
                "mine": g["mine__name"],
                "missed": g["missed"],
                "missed_major": g["missed_major"],
                "suspected_major": g["suspected_major"],
            }
            for g in d["self_check_gaps"]
        ],
    }


def _risk_row(r):
    return {"mine_id": r["mine"].pk, "mine": r["mine"].name, "score": r["score"], **{k: r[k] for k in RISK_WEIGHTS}}


@reads_from_replica
def self_check_gap_view(request, mine_pk):
    mine = get_object_or_404(Mine.objects.visible_to(request.user), pk=mine_pk)
    hazards = self_check_gap_hazards(user=request.user, mine_id=mine.pk)
    return render(request, "dashboards/self_check_gaps.html", {"page": paginate(request, hazards)})


@reads_from_replica
def dashboard_export(request):
    """Every table of the dashboard and the charts, one sheet each; above the county, the ranking and its totals."""
    _county, board = board_above_county(request)
    today = timezone.localdate()
    if board is not None:
        title = f"各{'市' if board['level'] == 'province' else '县'}百日专项整治统计（{today:%Y-%m-%d}）"
        return xlsx_response(level_workbook(board=board, title=title), title)
    d = _dashboard(request, today)
    c = charts(user=request.user, campaign=d["campaign"], today=today)
    title = f"百日专项整治统计（{today:%Y-%m-%d}）"
    wb = dashboard_workbook(dashboard_figures=d, chart_figures=c, title=title)
    return xlsx_response(wb, title)
