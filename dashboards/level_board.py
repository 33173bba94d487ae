"""The dashboard above the county: the counties below a city (or a province's cities) ranked by the county
dashboard's own figures (dashboards.dashboard) — hazards not closed, overdue, open major hazards, mines under 停产整顿,
三违 this month, and the county's risk score (the sum of its mines' scores in its own ranking, RISK_WEIGHTS, its
pending 疑似重大隐患 included).

Every figure is one grouped query over all the counties at once (GROUP BY the county bureau), so the page costs the
same handful of queries for two counties or a hundred. Each county's campaign is the one its own dashboard shows by
default (campaign.selectors.campaign_active_for: the oldest running today, else the latest), chosen in Python from one
query of all the counties' published campaigns; its units and records come from campaign.membership."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from accounts.models import Mine, MineStatus, Organization, OrganizationKind
from campaign.membership import units_q
from campaign.models import Campaign, CampaignStatus, Deadline, deadline_passed_q
from core.scoping import scope_key, scope_of
from hazards.models import HazardLevel, due_before_q
from hazards.selectors import suspected_pending_by
from reporting.models import Submission
from violations.models import Severity

from .dashboard import RISK_WEIGHTS
from .models import CountyHazardDueTally, CountyViolationTally, HazardDueTally, ViolationTally

#: the figures of a row, in the order the page, the workbook and the API show them, with their Chinese labels
FIGURES = (
    ("not_closed", "未销号隐患"),
    ("overdue", "逾期未整改"),
    ("major_open", "未销号重大隐患"),
    ("suspended", "停产整顿煤矿"),
    ("violations_month", "本月“三违”"),
    ("score", "风险分"),
)
FIGURE_KEYS = tuple(k for k, _ in FIGURES)
#: a condition no row meets that still compiles inside a Count's filter (an empty `pk__in` would not)
_NOTHING = Q(pk__isnull=True)


def _default_campaigns(county_ids, today):
    """Each county's default campaign (as its own dashboard picks it), its deadlines loaded: one query + prefetch."""
    by_county = {}
    campaigns = (
        Campaign.objects.filter(bureau_id__in=county_ids, is_template=False, status=CampaignStatus.PUBLISHED)
        .defer("notice_text")  # a notice's whole text a campaign, a province's hundred of them: read by none here
        .prefetch_related("participants")
        .order_by("pk")
    )
    for c in campaigns:
        by_county.setdefault(c.bureau_id, []).append(c)
    chosen = {}
    for county_id, campaigns in by_county.items():
        running = [c for c in campaigns if c.starts_on <= today <= c.ends_on]
        if running:
            chosen[county_id] = min(running, key=lambda c: (c.starts_on, c.pk))
        else:
            chosen[county_id] = max(campaigns, key=lambda c: (c.starts_on, c.pk))
    return chosen


def _ranked_units_q(county_ids, campaigns, path):
    """The mines (through `path`) each county ranks: those taking part in its campaign, all of its own without one.
    The counties whose campaign covers all their units (most of them) share one `bureau_id IN (…)`: a province's
    hundred campaigns as a hundred ORed conditions were evaluated on every row of a million-row count."""
    p = f"{path}__" if path else ""
    whole = [pk for pk in county_ids if pk not in campaigns or campaigns[pk].covers_all_units]
    q = Q(**{f"{p}bureau_id__in": whole}) if whole else _NOTHING
    for campaign in campaigns.values():
        if not campaign.covers_all_units:
            q |= units_q(campaign, path)
    return q


def _in_campaign_q(campaigns, path):
    """The records (their unit through `path`, their day `occurred_on`) that belong to their county's campaign: the
    campaigns over all their units grouped by their dates (one `IN` per span), the others one by one."""
    q, spans = _NOTHING, {}
    for campaign in campaigns.values():
        if campaign.covers_all_units:
            spans.setdefault((campaign.starts_on, campaign.ends_on), []).append(campaign.bureau_id)
        else:
            q |= units_q(campaign, path) & Q(occurred_on__range=(campaign.starts_on, campaign.ends_on))
    # a county tally's own column is `bureau` (the county), a ledger's or a mine tally's is its mine's `bureau_id`
    county_field = "bureau_id__in" if path == "bureau" else f"{path}__bureau_id__in"
    for span, bureau_ids in spans.items():
        q |= Q(**{county_field: bureau_ids, "occurred_on__range": span})
    return q


#: figures a row carries besides FIGURES, for the charts above the county: the reports its ranked mines owed by today
#: and those sent on time (the same count the score's 逾期或未报送 is taken from)
REPORT_KEYS = ("reports_owed", "reports_on_time")


def county_figures(*, user, counties, today, campaign=None):
    """{county id: figures} for `counties` (county bureaus the user sees): a fixed number of queries whatever their
    number (campaigns, participants, past deadlines, hazards, mines, 三违, on-time submissions). `campaign` (one
    picked in the switcher) replaces its own county's default one."""
    county_ids = [c.pk for c in counties]
    rows = {pk: dict.fromkeys(FIGURE_KEYS + REPORT_KEYS, 0) for pk in county_ids}
    if not county_ids:
        return rows
    campaigns = _default_campaigns(county_ids, today)
    if campaign is not None and campaign.bureau_id in rows:
        campaigns[campaign.bureau_id] = campaign
    # From the maintained tallies (dashboards.models): the county tally of hazards not closed (a few thousand rows
    # for a province), and for a county whose campaign names its units, the per-mine tally of those units.
    whole = [pk for pk in county_ids if pk not in campaigns or campaigns[pk].covers_all_units]
    for r in (
        CountyHazardDueTally.objects.filter(bureau_id__in=county_ids)
        .values("bureau_id")
        .annotate(not_closed=_n(), overdue=_n(due_before_q(today)), major_open=_n(Q(level=HazardLevel.MAJOR)))
        .order_by()
    ):
        row = rows[r["bureau_id"]]
        row.update(not_closed=r["not_closed"], overdue=r["overdue"], major_open=r["major_open"])
        if r["bureau_id"] in whole:
            row["score"] += _hazard_score(r["major_open"], r["overdue"], r["not_closed"] - r["major_open"])
    # (read even when no county names its units — then `mine IS NULL`, one probe of the bucket index — so the page
    # costs the same queries whatever its counties' campaigns)
    named = {pk: c for pk, c in campaigns.items() if pk not in whole}
    named_units = _ranked_units_q([], named, "mine") if named else Q(mine__isnull=True)
    for r in (
        HazardDueTally.objects.filter(named_units)
        .values("mine__bureau_id")
        .annotate(
            major_open=_n(Q(level=HazardLevel.MAJOR)),
            overdue=_n(due_before_q(today)),
            open=_n(Q(level=HazardLevel.GENERAL)),
        )
        .order_by()
    ):
        rows[r["mine__bureau_id"]]["score"] += _hazard_score(r["major_open"], r["overdue"], r["open"])
    # 疑似重大隐患 待核实 of the ranked mines, as each county's ranking counts them: one grouped query
    in_ranking = Q(hazard__mine__bureau_id__in=county_ids) & _ranked_units_q(county_ids, campaigns, "hazard__mine")
    for county_id, n in suspected_pending_by("hazard__mine__bureau_id", user=user, where=in_ranking):
        rows[county_id]["score"] += n * RISK_WEIGHTS["suspected_major"]
    ranked_mines = {}
    for r in (
        Mine.objects.visible_to(user)
        .filter(bureau_id__in=county_ids)
        .values("bureau_id")
        .annotate(
            suspended=Count("pk", filter=Q(status=MineStatus.SUSPENDED)),
            ranked=Count("pk", filter=_ranked_units_q(county_ids, campaigns, "")),
        )
        .order_by()
    ):
        rows[r["bureau_id"]]["suspended"] = r["suspended"]
        ranked_mines[r["bureau_id"]] = r["ranked"]
    month_start = today.replace(day=1)
    for r in (
        CountyViolationTally.objects.filter(bureau_id__in=county_ids)
        .values("bureau_id")
        .annotate(
            month=_n(Q(occurred_on__gte=month_start, occurred_on__lte=today)),
            serious=_n(
                _in_campaign_q({pk: campaigns[pk] for pk in whole if pk in campaigns}, "bureau")
                & Q(severity=Severity.SERIOUS)
            ),
        )
        .order_by()
    ):
        row = rows[r["bureau_id"]]
        row["violations_month"] = r["month"]
        row["score"] += r["serious"] * RISK_WEIGHTS["serious_violations"]
    for r in (
        ViolationTally.objects.filter(
            _in_campaign_q(named, "mine") if named else Q(mine__isnull=True), severity=Severity.SERIOUS
        )
        .values("mine__bureau_id")
        .annotate(serious=_n())
        .order_by()
    ):
        rows[r["mine__bureau_id"]]["score"] += r["serious"] * RISK_WEIGHTS["serious_violations"]
    # 逾期或未报送: each ranked mine owes every past deadline of its county's campaign; those sent on time count off.
    past = list(
        Deadline.objects.filter(
            deadline_passed_q(today), campaign_id__in=[c.pk for c in campaigns.values()], owed_by_mines=True
        ).values_list("pk", "campaign__bureau_id")
    )
    if past:
        owed = {}
        for _, county_id in past:
            owed[county_id] = owed.get(county_id, 0) + 1
        on_time = dict(
            Submission.objects.filter(
                _ranked_units_q(county_ids, campaigns, "organization"),
                deadline_id__in=[pk for pk, _ in past],
                organization__kind=OrganizationKind.MINE,
                versions_submitted__gt=0,
                late=False,
            )
            .values_list("organization__bureau_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for county_id, n in owed.items():
            late_or_missing = n * ranked_mines.get(county_id, 0) - on_time.get(county_id, 0)
            rows[county_id]["score"] += late_or_missing * RISK_WEIGHTS["late_or_missing"]
            rows[county_id]["reports_owed"] = n * ranked_mines.get(county_id, 0)
            rows[county_id]["reports_on_time"] = on_time.get(county_id, 0)
    return rows


def _n(condition=None):
    return Coalesce(Sum("n", filter=condition), 0)


def _hazard_score(major_open, overdue, open_general):
    """The hazards' part of the risk score (RISK_WEIGHTS), as the county's own ranking adds it up."""
    return (
        major_open * RISK_WEIGHTS["major_open"]
        + overdue * RISK_WEIGHTS["overdue"]
        + open_general * RISK_WEIGHTS["open"]
    )


def _ranked(rows):
    return sorted(rows, key=lambda r: (-r["score"], -r["major_open"], r["name"]))


def _totals(rows):
    return {k: sum(r[k] for r in rows) for k in FIGURE_KEYS}


def counties_in_sight(*, user, city=None):
    """The county bureaus the user sees (those below `city` when given), with their city: one query."""
    qs = Organization.objects.visible_to(user).filter(kind=OrganizationKind.BUREAU).select_related("parent")
    if city is not None:
        qs = qs.filter(parent_id=city.pk)
    return list(qs.order_by("division_code", "name", "pk"))


def city_below(user, raw):
    """The city `?city=` names, one below the user (a province's; a city's own); None without the parameter, 404
    (Http404) when it is not one the user sees above its counties."""
    from django.http import Http404

    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise Http404
    scope = scope_of(user)
    city = Organization.objects.filter(pk=int(raw), kind=OrganizationKind.CITY).first()
    if city is None or city.pk not in scope.bureau_ids:
        raise Http404
    return city


def level_board(*, user, today, city=None, campaign=None):
    """`compute_level_board`, cached like the county's figures (dashboards.dashboard): per visibility scope, day and
    city, for DASHBOARD_CACHE_SECONDS. A province's ranking reads every hazard of its hundred counties (seconds at a
    million hazards, as the county's own figures take at a national county's scale); a minute's delay is honest, and
    the page says when its figures were computed."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return compute_level_board(user=user, today=today, city=city, campaign=campaign)
    key = (
        f"levels:{scope_key(user)}:{today.isoformat()}:{city.pk if city is not None else ''}"
        f":{campaign.pk if campaign is not None else ''}"
    )
    board = cache.get(key)
    if board is None:
        board = compute_level_board(user=user, today=today, city=city, campaign=campaign)
        board["computed_at"] = timezone.now()
        cache.set(key, board, seconds)
    return board


def compute_level_board(*, user, today, city=None, campaign=None):
    """The ranking above the county. A city's (or a province's narrowed to one of its cities with `city`): its
    counties. A province's: its cities (figures summed over their counties), and every county below as well.
    Returns {"level", "organization", "city", "counties", "cities", "totals"}; rows are dicts with the FIGURES,
    `id`, `name`, `division_code` (and for a county `city`/`city_id`)."""
    scope = scope_of(user)
    counties = counties_in_sight(user=user, city=city)
    figures = county_figures(user=user, counties=counties, today=today, campaign=campaign)
    county_rows = _ranked(
        {
            "id": c.pk,
            "name": c.name,
            "division_code": c.division_code,
            "city_id": c.parent_id,
            "city": c.parent.name if c.parent_id else "",
            **figures[c.pk],
        }
        for c in counties
    )
    level = "province" if scope.kind == OrganizationKind.PROVINCE and city is None else "city"
    cities = []
    if level == "province":
        by_city = {}
        for row in county_rows:
            by_city.setdefault(row["city_id"], []).append(row)
        city_orgs = Organization.objects.filter(pk__in=scope.bureau_ids, kind=OrganizationKind.CITY)
        cities = _ranked(
            {
                "id": c.pk,
                "name": c.name,
                "division_code": c.division_code,
                "counties": len(by_city.get(c.pk, [])),
                **_totals(by_city.get(c.pk, [])),
            }
            for c in city_orgs
        )
    return {
        "level": level,
        "city": city,
        "counties": county_rows,
        "cities": cities,
        "totals": _totals(county_rows),
    }
