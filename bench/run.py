"""The benchmark suite (not part of the tests): each measure beside a baseline taken in the same run.

Run through `scripts/bench` (it creates a PostgreSQL database, generates the data once, runs this, and writes
docs/performance.md). Medians and 95th percentiles of repeated runs after a warm-up."""

import datetime as dt
import io
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from accounts.models import Mine, User  # noqa: E402
from core.ledger_import import record_history  # noqa: E402
from core.models import ImportBatch, LedgerKind  # noqa: E402
from hazards.exports import hazard_ledger_workbook, ledger_columns, ledger_rows  # noqa: E402
from hazards.models import Hazard  # noqa: E402
from hazards.services import hazards_import  # noqa: E402
from sweeps.registry import run_all_sweeps  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
LOAD_AT_START = os.getloadavg()[0]
ROWS = []


def measure(fn, runs=RUNS, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def queries_of(fn):
    with CaptureQueriesContext(connection) as q:
        fn()
    return len(q.captured_queries)


def record(name, median, p95, queries="", baseline="", ratio="", budget="", verdict=""):
    ROWS.append((name, f"{median:.1f}", f"{p95:.1f}", str(queries), baseline, ratio, budget, verdict))
    print(
        f"{name:<46} median {median:8.1f} ms  p95 {p95:8.1f} ms  queries {queries!s:>4}  {baseline} {ratio} {verdict}",
        flush=True,
    )


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def get(c, url, expect=200):
    def run():
        r = c.get(url)
        assert r.status_code == expect, (url, r.status_code)
        if r.streaming:
            b"".join(r.streaming_content)

    return run


# ---------------------------------------------------------------- the dashboard against its SQL floor

FLOOR_SQL = [
    # One hand-written query per figure group of the dashboard, for the same bureau: the least the database must do.
    """SELECT count(*), count(*) FILTER (WHERE h.status='open'), count(*) FILTER (WHERE h.status='rectifying'),
              count(*) FILTER (WHERE h.status='awaiting_acceptance'), count(*) FILTER (WHERE h.status='closed'),
              count(*) FILTER (WHERE h.level='major' AND h.status<>'closed'),
              count(*) FILTER (WHERE h.status<>'closed' AND h.due_on < %(today)s)
       FROM hazards_hazard h JOIN accounts_organization m ON m.id=h.mine_id WHERE m.bureau_id=%(bureau)s""",
    """SELECT h.specialty, count(*) FROM hazards_hazard h JOIN accounts_organization m ON m.id=h.mine_id
       WHERE m.bureau_id=%(bureau)s GROUP BY h.specialty""",
    """SELECT m.id, count(h.id) FROM accounts_organization m JOIN hazards_hazard h ON h.mine_id=m.id
       WHERE m.bureau_id=%(bureau)s AND m.status='suspended' AND h.level='major' AND h.status<>'closed'
       GROUP BY m.id""",
    """SELECT v.type, v.severity, count(*) FROM violations_violation v JOIN accounts_organization m ON m.id=v.mine_id
       WHERE m.bureau_id=%(bureau)s AND v.occurred_on >= %(month)s GROUP BY v.type, v.severity""",
    """SELECT i.mode, count(*) FROM hazards_inspection i JOIN accounts_organization m ON m.id=i.mine_id
       WHERE m.bureau_id=%(bureau)s GROUP BY i.mode""",
    """SELECT count(*), count(*) FILTER (WHERE NOT e.passed),
              count(*) FILTER (WHERE NOT e.passed AND e.retrained_on IS NULL)
       FROM hazards_examresult e JOIN hazards_inspection i ON i.id=e.inspection_id
       JOIN accounts_organization m ON m.id=i.mine_id WHERE m.bureau_id=%(bureau)s""",
    """SELECT h.mine_id, count(*) FILTER (WHERE h.level='major'), count(*) FILTER (WHERE h.due_on < %(today)s),
              count(*) FILTER (WHERE h.level='general')
       FROM hazards_hazard h JOIN accounts_organization m ON m.id=h.mine_id
       WHERE m.bureau_id=%(bureau)s AND h.status<>'closed' GROUP BY h.mine_id""",
    """SELECT v.mine_id, count(*) FROM violations_violation v JOIN accounts_organization m ON m.id=v.mine_id
       WHERE m.bureau_id=%(bureau)s AND v.severity='serious' GROUP BY v.mine_id""",
    """SELECT h.mine_id, count(*) FROM hazards_hazard h JOIN accounts_organization m ON m.id=h.mine_id
       WHERE m.bureau_id=%(bureau)s AND h.source IN ('bureau_inspection','superior_inspection')
       AND NOT EXISTS (SELECT 1 FROM hazards_hazard s WHERE s.mine_id=h.mine_id AND s.location=h.location
                       AND s.source IN ('team_daily','unit_weekly','enterprise_monthly','group_quarterly')
                       AND s.found_on <= h.found_on) GROUP BY h.mine_id ORDER BY 2 DESC LIMIT 50""",
    """SELECT h.found_on, h.accepted_on, h.status FROM hazards_hazard h JOIN accounts_organization m ON m.id=h.mine_id
       WHERE m.bureau_id=%(bureau)s AND h.level='major'""",
    """SELECT count(*) FILTER (WHERE p.over_underground), count(*) FILTER (WHERE p.over_face)
       FROM workforce_positioningrecord p JOIN accounts_organization m ON m.id=p.mine_id
       WHERE m.bureau_id=%(bureau)s AND p.entered_at >= %(month_ago)s""",
]


def sql_floor(queries, params):
    def run():
        with connection.cursor() as cursor:
            for sql in queries:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def computed_and_served(c, name, url, floor_p95):
    """One dashboard URL computed (no cache) against its floor's p95, then as served: the figures cached per scope
    for a minute (the first request computes, the next ones are served from the cache)."""
    from django.conf import settings
    from django.core.cache import cache

    cached_for = settings.DASHBOARD_CACHE_SECONDS
    settings.DASHBOARD_CACHE_SECONDS = 0
    median, p95 = measure(get(c, url), runs=max(5, RUNS // 2))
    ratio = p95 / floor_p95
    # Issue 24: the figures come from the maintained tallies (dashboards.figures), so the page computed without the
    # cache is held to an absolute budget; the ratio to the old floor (the same figures scanned from the ledgers by
    # hand-written SQL) shows the gain.
    record(
        f"{name}, computed (no cache)",
        median,
        p95,
        queries_of(get(c, url)),
        f"old floor p95 {floor_p95:.0f} ms",
        f"{ratio:.2f}×",
        "< 100 ms p95",
        "met" if p95 < 100 else "MISSED",
    )
    settings.DASHBOARD_CACHE_SECONDS = cached_for or 60
    cache.clear()
    median, p95 = measure(get(c, url))
    record(
        f"{name}, served (figures ≤ 1 min old)",
        median,
        p95,
        queries_of(get(c, url)),
        "",
        "",
        "< 300 ms p95",
        "met" if p95 < 300 else "MISSED",
    )


def bench_dashboard(inspector, bureau_id, where):
    """A county's dashboard (its inspector), computed against the SQL floor, then as served."""
    today = dt.date.today()
    month_ago = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=30), dt.time(0, 0)))
    params = {"bureau": bureau_id, "today": today, "month": today.replace(day=1), "month_ago": month_ago}
    floor_median, floor_p95 = measure(sql_floor(FLOOR_SQL, params))
    record(
        f"county dashboard SQL floor ({len(FLOOR_SQL)} hand-written queries)",
        floor_median,
        floor_p95,
        len(FLOOR_SQL),
        where,
    )
    c = client_for(inspector)
    for name, url in (("county dashboard page", "/dashboard/"), ("county dashboard API", "/api/v1/dashboard/")):
        computed_and_served(c, name, url, floor_p95)


# ---------------------------------------------------------------- the city's and the province's rankings

LEVEL_FLOOR_SQL = [
    # The ranking of dashboards.level_board, hand-written for the counties in sight (every generated county's one
    # campaign covers all its units, so the ranked mines are all of them): the least the database must do.
    """SELECT b.id, b.name, b.division_code, c.name FROM accounts_organization b
       LEFT JOIN accounts_organization c ON c.id=b.parent_id
       WHERE b.kind='bureau' AND b.id = ANY(%(counties)s) ORDER BY b.division_code""",
    (  # two plans for the same figures: the faster one in this run is the floor (see level_floor)
        """SELECT m.bureau_id, count(*), count(*) FILTER (WHERE h.due_on < %(today)s),
                  count(*) FILTER (WHERE h.level='major'), count(*) FILTER (WHERE h.level='general')
           FROM hazards_hazard h JOIN accounts_organization m ON m.id=h.mine_id
           WHERE m.bureau_id = ANY(%(counties)s) AND h.status<>'closed' GROUP BY m.bureau_id""",
        """SELECT m.bureau_id, sum(x.n), sum(x.overdue), sum(x.major), sum(x.general)
           FROM accounts_organization m CROSS JOIN LATERAL (
             SELECT count(*) n, count(*) FILTER (WHERE h.due_on < %(today)s) overdue,
                    count(*) FILTER (WHERE h.level='major') major, count(*) FILTER (WHERE h.level='general') general
             FROM hazards_hazard h WHERE h.mine_id=m.id AND h.status<>'closed') x
           WHERE m.kind='mine' AND m.bureau_id = ANY(%(counties)s) GROUP BY m.bureau_id""",
    ),
    """SELECT bureau_id, count(*) FILTER (WHERE status='suspended'), count(*) FROM accounts_organization
       WHERE kind='mine' AND bureau_id = ANY(%(counties)s) GROUP BY bureau_id""",
    (
        """SELECT m.bureau_id, count(*) FILTER (WHERE v.occurred_on BETWEEN %(month)s AND %(today)s),
                  count(*) FILTER (WHERE v.severity='serious' AND v.occurred_on BETWEEN c.starts_on AND c.ends_on)
           FROM violations_violation v JOIN accounts_organization m ON m.id=v.mine_id
           JOIN campaign_campaign c ON c.bureau_id=m.bureau_id AND NOT c.is_template AND c.status='published'
           WHERE m.bureau_id = ANY(%(counties)s) GROUP BY m.bureau_id""",
        """SELECT m.bureau_id, sum(x.in_month), sum(x.serious)
           FROM accounts_organization m
           JOIN campaign_campaign c ON c.bureau_id=m.bureau_id AND NOT c.is_template AND c.status='published'
           CROSS JOIN LATERAL (
             SELECT count(*) FILTER (WHERE v.occurred_on BETWEEN %(month)s AND %(today)s) in_month,
                    count(*) FILTER (WHERE v.severity='serious' AND v.occurred_on BETWEEN c.starts_on AND c.ends_on)
                      serious
             FROM violations_violation v WHERE v.mine_id=m.id) x
           WHERE m.kind='mine' AND m.bureau_id = ANY(%(counties)s) GROUP BY m.bureau_id""",
    ),
    """SELECT c.bureau_id, count(*) FROM campaign_deadline d JOIN campaign_campaign c ON c.id=d.campaign_id
       WHERE c.bureau_id = ANY(%(counties)s) AND NOT c.is_template AND c.status='published'
       AND d.owed_by_mines AND d.due_on < %(today)s GROUP BY c.bureau_id""",
    """SELECT o.bureau_id, count(*) FROM reporting_submission s JOIN campaign_deadline d ON d.id=s.deadline_id
       JOIN campaign_campaign c ON c.id=d.campaign_id JOIN accounts_organization o ON o.id=s.organization_id
       WHERE c.bureau_id = ANY(%(counties)s) AND NOT c.is_template AND c.status='published'
       AND o.bureau_id=c.bureau_id AND o.kind='mine' AND d.owed_by_mines AND d.due_on < %(today)s
       AND s.versions_submitted > 0 AND NOT s.late GROUP BY o.bureau_id""",
]
PROVINCE_FLOOR_SQL = [
    *LEVEL_FLOOR_SQL,
    # a province's ranking of its cities adds their names (its figures are the counties' summed)
    "SELECT id, name, division_code FROM accounts_organization WHERE kind='city' AND parent_id=%(province)s",
]


def level_floor(queries, params):
    """The floor's queries, each pair of alternative plans narrowed to the faster one here (a hash join over the
    whole table or an index walk per mine: which wins depends on how much of the table the level sees)."""

    def timed(sql):
        return min(measure(sql_floor([sql], params), runs=3, warmup=1))

    return [min(q, key=timed) if isinstance(q, tuple) else q for q in queries]


def bench_levels(city_user, province_user):
    """The dashboards above the county: a city's ranking of its counties, a province's of its cities and counties,
    each computed against its hand-written floor and as served (page and API)."""
    from accounts.models import Organization

    today = dt.date.today()
    for level, user, floor_sql in (
        ("city", city_user, LEVEL_FLOOR_SQL),
        ("province", province_user, PROVINCE_FLOOR_SQL),
    ):
        counties = Organization.objects.filter(kind="bureau").filter(
            Q(parent=user.organization) | Q(parent__parent=user.organization)
        )
        county_ids = list(counties.values_list("pk", flat=True))
        mines = Mine.objects.filter(bureau_id__in=county_ids).count()
        hazards = Hazard.objects.filter(mine__bureau_id__in=county_ids).count()
        params = {
            "counties": county_ids,
            "today": today,
            "month": today.replace(day=1),
            "province": user.organization_id,
        }
        floor_sql = level_floor(floor_sql, params)
        floor_median, floor_p95 = measure(sql_floor(floor_sql, params))
        record(
            f"{level} dashboard SQL floor ({len(floor_sql)} hand-written queries)",
            floor_median,
            floor_p95,
            len(floor_sql),
            f"{len(county_ids)} counties, {mines:,} mines, {hazards:,} hazards",
        )
        c = client_for(user)
        for name, url in ((f"{level} dashboard page", "/dashboard/"), (f"{level} dashboard API", "/api/v1/dashboard/")):
            computed_and_served(c, name, url, floor_p95)


def bench_ledger(mine_officer, mine):
    c = client_for(mine_officer)
    total = Hazard.objects.filter(mine=mine).count()
    deep = max(1, total // 20)
    cases = [
        ("mine ledger page 1 (filtered)", "/hazards/?status=closed&specialty=roof"),
        (f"mine ledger deep page ({deep} of {deep})", f"/hazards/?page={deep}"),
        ("mine ledger API page 1 (filtered)", "/api/v1/hazards/?level=general&overdue=false"),
        (f"mine ledger API deep page ({deep})", f"/api/v1/hazards/?page={deep}"),
    ]
    for name, url in cases:
        median, p95 = measure(get(c, url))
        record(
            name,
            median,
            p95,
            queries_of(get(c, url)),
            f"{total} rows in this mine",
            "",
            "< 100 ms p95",
            "met" if p95 < 100 else "MISSED",
        )


def bench_bureau_ledgers(inspector, province_user):
    """The ledgers as a county sees them (every mine of the county) and as the province sees them (every mine of its
    120 counties): newest first; the pages' counts stop at 10,000, the API's hazard count is exact (the contract)."""
    from violations.models import Violation

    county = inspector.organization_id
    in_county = (
        f"{Hazard.objects.filter(mine__bureau=county).count():,} hazards in the county",
        f"{Violation.objects.filter(mine__bureau=county).count():,} 三违 in the county",
    )
    in_province = (
        f"{Hazard.objects.count():,} hazards in the province",
        f"{Violation.objects.count():,} 三违 in the province",
    )
    for user, level, rows in ((inspector, "county", in_county), (province_user, "province", in_province)):
        c = client_for(user)
        for name, url, baseline in (
            (f"{level} hazard ledger page 1", "/hazards/", rows[0]),
            (f"{level} hazard ledger page 1 (open only)", "/hazards/?status=open", rows[0]),
            (f"{level} hazard ledger API page 1 (exact count)", "/api/v1/hazards/", rows[0]),
            (f"{level} 三违 ledger page 1", "/violations/", rows[1]),
            (f"{level} 三违 ledger API page 1 (exact count)", "/api/v1/violations/", rows[1]),
        ):
            counted = {"/api/v1/hazards/": Hazard, "/api/v1/violations/": Violation}.get(url)
            if counted is not None:
                # the exact count the API's page numbers owe, had it counted the rows (it sums the tallies instead)
                counting = measure(lambda user=user, model=counted: model.objects.visible_to(user).count())[1]
                baseline = f"{baseline}; counting them: {counting:.0f} ms p95"
            median, p95 = measure(get(c, url))
            record(
                name,
                median,
                p95,
                queries_of(get(c, url)),
                baseline,
                "",
                "< 100 ms p95",
                "met" if p95 < 100 else "MISSED",
            )


KEYSET_LEDGERS = (
    # (name, page, API, the list's selector as "module:function")
    ("hazards", "/hazards/", "/api/v1/hazards/", "hazards.selectors:hazard_list"),
    ("三违", "/violations/", "/api/v1/violations/", "violations.selectors:violation_list"),
    (
        "trips underground",
        "/workforce/positioning/",
        "/api/v1/positioning-records/",
        "workforce.selectors:positioning_list",
    ),
    (
        "enforcement documents",
        "/enforcement/documents/",
        "/api/v1/enforcement-documents/",
        "enforcement.selectors:document_list",
    ),
)
KEYSET_DEEP_PAGE = 500
KEYSET_BUDGET_MS = 30
#: enforcement documents the generated data lacks: the bench adds this many (once) to list them at scale
BENCH_DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "200000"))


def ensure_bench_documents():
    """generate_scale_data writes no enforcement documents: add BENCH_DOCUMENTS issued ones (and a draft in fifty)
    spread over the mines and the last 400 days, in one INSERT … SELECT, once per database."""
    from enforcement.models import EnforcementDocument

    have = EnforcementDocument.objects.count()
    if have >= BENCH_DOCUMENTS:
        return have
    table = EnforcementDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH mines AS (SELECT id, bureau_id, row_number() OVER (ORDER BY id) - 1 AS n,
                                  count(*) OVER () AS total FROM accounts_organization WHERE kind = 'mine')
            INSERT INTO {table} (bureau_id, mine_id, kind, status, year, serial, number, issued_on, content,
                                 deadline, signer_name, received_on, receipt_scan, receipt_scan_type,
                                 receipt_scan_name, created_by_id, created_at, updated_at, row_version)
            SELECT m.bureau_id, m.id, 'rectification_order',
                   CASE WHEN mod(g, 50) = 0 THEN 'draft' ELSE 'issued' END,
                   CASE WHEN mod(g, 50) = 0 THEN NULL ELSE 2026 END,
                   CASE WHEN mod(g, 50) = 0 THEN NULL ELSE 1000000 + g END,
                   CASE WHEN mod(g, 50) = 0 THEN '' ELSE '基准〔2026〕' || g || '号' END,
                   CASE WHEN mod(g, 50) = 0 THEN NULL ELSE CURRENT_DATE - mod(g, 400) END,
                   '{{}}'::jsonb, NULL, '', NULL, '', '', '', NULL, now(), now(), 1
            FROM generate_series(%s, %s) AS g JOIN mines m ON m.n = mod(g, m.total)
            """,
            [have + 1, BENCH_DOCUMENTS],
        )
        cursor.execute(f"ANALYZE {table}")
    return EnforcementDocument.objects.count()


def deep_cursor(user, selector, page):
    """The cursor of page `page` of the user's list (the key of the last row of the page before, read once with an
    OFFSET here in the setup: what a user reaches by clicking 下一页 page - 1 times)."""
    import importlib

    from core.paging import KeysetPaginator

    module, name = selector.split(":")
    qs = getattr(importlib.import_module(module), name)(user=user)
    key = KeysetPaginator(qs).key
    names = [part.name for part in key.parts]
    total_pages = -(-qs.count() // 20)
    page = max(2, min(page, total_pages))
    row = qs.select_related(None).prefetch_related(None).order_by(*key.order_by()).only(*names)[(page - 1) * 20 - 1]
    return page, key.encode(key.values(row), "n"), qs, key


def rows_floor(qs, key, cursor):
    """The page's row query alone (the same SQL the paginator sends, run by hand): the least the database must do."""
    values, _ = key.decode(cursor)
    sql, params = qs.order_by(*key.order_by()).filter(key.after(values))[:21].query.sql_with_params()

    def run():
        with connection.cursor() as c:
            c.execute(sql, params)
            c.fetchall()

    return run


def bench_keyset_lists(inspector, province_user):
    """issue 24 item 2: the bureau-wide ledgers paged by position (core.paging) for the county and the province, page
    1 and a deep page (KEYSET_DEEP_PAGE, reached by its cursor), page and API (`?cursor=`), each beside its floor: the
    same rows query sent by hand."""
    documents = ensure_bench_documents()
    print(f"enforcement documents: {documents:,}", flush=True)
    for user, level in ((inspector, "county"), (province_user, "province")):
        c = client_for(user)
        for ledger, page_url, api_url, selector in KEYSET_LEDGERS:
            page, cursor, qs, key = deep_cursor(user, selector, KEYSET_DEEP_PAGE)
            floor_median, floor_p95 = measure(rows_floor(qs, key, cursor))
            total = f"{qs.count():,} rows"
            # The old way for the same page: by number, an exact count and an OFFSET (what API clients still get).
            median, p95 = measure(get(c, f"{api_url}?page={page}"), runs=max(5, RUNS // 4))
            offset_p95 = p95
            record(
                f"offset: {level} {ledger} API page {page} (page numbers)",
                median,
                p95,
                queries_of(get(c, f"{api_url}?page={page}")),
                f"{total}; load average {os.getloadavg()[0]:.1f}",  # lists_only leaves the header's load as it was
            )
            for name, url in (
                (f"keyset: {level} {ledger} page 1", page_url),
                (f"keyset: {level} {ledger} page {page} (cursor)", f"{page_url}?cursor={cursor}"),
                (f"keyset: {level} {ledger} API page 1 (cursor=)", f"{api_url}?cursor="),
                (f"keyset: {level} {ledger} API page {page} (cursor)", f"{api_url}?cursor={cursor}"),
            ):
                median, p95 = measure(get(c, url))
                record(
                    name,
                    median,
                    p95,
                    queries_of(get(c, url)),
                    f"{total}; rows query p95 {floor_p95:.1f} ms; by number {offset_p95:.0f} ms",
                    f"{p95 / floor_p95:.1f}×" if floor_p95 else "",
                    f"< {KEYSET_BUDGET_MS} ms p95",
                    "met" if p95 < KEYSET_BUDGET_MS else "MISSED",
                )


def bench_positioning(inspector, mine_officer, mine):
    """人员定位: a mine's trips and the bureau's over-time list, at the generated scale."""
    from workforce.models import PositioningRecord

    total = PositioningRecord.objects.filter(mine=mine).count()
    deep = max(1, total // 20)
    cases = [
        (mine_officer, "mine positioning page 1 (over-time only)", "/workforce/positioning/?over=any"),
        (mine_officer, f"mine positioning deep page ({deep})", f"/workforce/positioning/?page={deep}"),
        (mine_officer, "mine positioning API page 1", "/api/v1/positioning-records/"),
        (inspector, "county positioning page 1 (over-time only)", "/workforce/positioning/?over=any"),
        (inspector, "county positioning page 1 (all)", "/workforce/positioning/"),
    ]
    everyone = PositioningRecord.objects.filter(mine__bureau=mine.bureau_id).count()
    for user, name, url in cases:
        c = client_for(user)
        median, p95 = measure(get(c, url))
        rows = f"{total} rows in this mine" if user == mine_officer else f"{everyone:,} rows in the county"
        record(name, median, p95, queries_of(get(c, url)), rows, "", "< 100 ms p95", "met" if p95 < 100 else "MISSED")


def bench_matrix(inspector):
    """The county's matrix of its campaign (each county owes its own deadlines): page 1 and the last page."""
    from accounts.models import Organization
    from campaign.models import Campaign

    c = client_for(inspector)
    campaign = Campaign.objects.get(code="scale-campaign")
    units = Organization.objects.filter(bureau=inspector.organization_id, kind__in=("mine", "enterprise")).count()
    deadlines = campaign.deadlines.count()
    last = max(1, -(-units // 50))
    for name, url in (
        ("county submission matrix page 1 (50 orgs)", "/submissions/matrix/"),
        (f"county submission matrix last page ({last})", f"/submissions/matrix/?page={last}"),
    ):
        median, p95 = measure(get(c, url))
        record(name, median, p95, queries_of(get(c, url)), f"{units:,} orgs × {deadlines} deadlines", "", "", "")


def measure_pair(floor, ours, runs=3, warmup=1):
    """Floor and measure taken in turns (floor, ours, floor, ours …) after `warmup` untimed turns: on a shared
    machine a burst of other work then falls on both, and their ratio holds better than from two runs one after the
    other. (The first turn after the old floors — gigabytes allocated and freed by openpyxl — was the slowest of our
    runs by up to a fifth.)"""
    for _ in range(warmup):
        floor()
        ours()
    floor_times, our_times = [], []
    for _ in range(runs):
        for fn, times in ((floor, floor_times), (ours, our_times)):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
    return [(statistics.median(t), max(t)) for t in (floor_times, our_times)]


def timed(fn, runs=3, before=None):
    """Median and worst of `runs` timed calls of `fn`; `before` (untimed) ahead of each."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def bench_export(rows=100_000):
    """The ledger workbook of 100,000 rows: the mines' rows of the first counties (a county alone has ~8,000).

    Three floors write the same rows (as plain lists in memory) with nothing of the ledger's layout: openpyxl's
    write-only mode (the engine of first), XlsxWriter in constant-memory mode (the engine of before) and
    rust_xlsxwriter (rvgsrust-xlsxwriter) in constant-memory mode (the engine now); the ledger's budget is a ratio to
    the last, measured in turns with it."""
    import resource

    import xlsxwriter
    from rvgsrust_xlsxwriter import Workbook as RustWorkbook

    mines = list(Mine.objects.order_by("pk").values_list("pk", flat=True))
    per_mine = max(1, Hazard.objects.filter(mine_id=mines[0]).count())
    qs = Hazard.objects.filter(mine_id__in=mines[: max(1, rows // per_mine)])
    n = qs.count()
    data = list(ledger_rows(qs))
    columns = ledger_columns(dt.date.today())
    plain = [[i, *(col.value(r) for col in columns)] for i, r in enumerate(data, start=1)]
    del data

    def openpyxl_floor():
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        for row in plain:
            ws.append(row)
        with tempfile.TemporaryFile() as out:
            wb.save(out)

    def xlsxwriter_floor():
        with tempfile.TemporaryFile() as out:
            wb = xlsxwriter.Workbook(out, {"constant_memory": True, "default_date_format": "yyyy-mm-dd"})
            ws = wb.add_worksheet()
            for number, row in enumerate(plain):
                ws.write_row(number, 0, row)
            wb.close()

    def rust_floor():
        with tempfile.TemporaryFile() as out:
            wb = RustWorkbook()
            ws = wb.add_worksheet("Sheet1", constant_memory=True)
            for number, row in enumerate(plain):
                ws.write_row(number, 0, row)
            out.write(wb.save_to_buffer())

    def ours():
        with tempfile.TemporaryFile() as out:
            hazard_ledger_workbook(qs, title="隐患台账").save(out)

    runs = int(os.environ.get("BENCH_EXCEL_RUNS", "3"))
    old_median, old_p95 = timed(openpyxl_floor, runs=runs)
    record(f"export old floor: openpyxl write-only from a list ({n:,} rows)", old_median, old_p95, "")
    xw_median, xw_p95 = timed(xlsxwriter_floor, runs=runs)
    record(
        f"export old floor: XlsxWriter constant-memory from a list ({n:,} rows)",
        xw_median,
        xw_p95,
        "",
        f"old floor {old_median:.0f} ms",
        f"{xw_median / old_median:.2f}×",
    )
    # five turns: on this machine one turn's ratio ranged 1.2–1.5
    (floor_median, floor_p95), (median, p95) = measure_pair(rust_floor, ours, runs=max(runs, 5))
    record(
        f"export floor: rust_xlsxwriter constant-memory from a list ({n:,} rows)",
        floor_median,
        floor_p95,
        "",
        f"XlsxWriter {xw_median:.0f} ms, openpyxl {old_median:.0f} ms",
        f"{floor_median / xw_median:.2f}× XlsxWriter",
    )
    # Python's allocations (tracemalloc) and the process's resident peak (the engine's own memory is Rust's).
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    ours()
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = median / floor_median
    ok = ratio <= 1.3 and median < 5000 and peak < 100
    record(
        f"ledger export ({n:,} rows, peak {peak:.0f} MB Python, process peak {rss_before:.0f} → {rss_after:.0f} MB)",
        median,
        p95,
        queries_of(ours),
        f"floor {floor_median:.0f} ms (XlsxWriter {xw_median:.0f} ms, openpyxl {old_median:.0f} ms)",
        f"{ratio:.2f}× ({median / xw_median:.2f}× XlsxWriter, {median / old_median:.2f}× openpyxl)",
        "< 5 s, ≤ 1.3× floor, < 100 MB",
        "met" if ok else ("MISSED (< 5 s)" if ratio <= 1.3 and peak < 100 else "MISSED"),
    )


def import_file(rows):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["规模测试隐患台账"])
    ws.append(
        [
            "序号",
            "排查日期",
            "排查类型",
            "隐患地点",
            "隐患内容",
            "专业",
            "隐患等级",
            "整改措施",
            "整改责任人",
            "整改期限",
            "整改资金（元）",
        ]
    )
    start = dt.date.today() - dt.timedelta(days=30)
    for i in range(rows):
        d = start + dt.timedelta(days=i % 25)
        ws.append(
            [
                i + 1,
                d,
                "班组日查",
                f"{i}号工作面",
                f"基准导入隐患{i}",
                "顶板",
                "一般",
                "补液升架",
                "王建军",
                d + dt.timedelta(days=3),
                100,
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def copy_text(value):
    """A value in COPY's text format, written plainly (the floor's, not the importer's)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def database_floor_rows(mine_officer, mine, content):
    """The rows a 10,000-line file makes, as the import writes them: read, checked and planned once, untimed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.ledger_import import plan_ledger, read_ledger
    from hazards.services.ledger_import import hazard_ledger_spec

    spec = hazard_ledger_spec(actor=mine_officer, mine=mine)
    prepared = read_ledger(spec=spec, upload=SimpleUploadedFile("l.xlsx", content), only_valid_rows=False)
    return plan_ledger(spec=spec, mine=mine, prepared=prepared).rows


def vacuum_ledger():
    """Ahead of each timed turn of an import (untimed): the hazards' tables as autovacuum keeps them, not carrying the
    dead rows of the bench's own earlier turns. Every turn inserts the same file's rows and rolls them back or undoes
    them; their dead index entries stay until a vacuum, and each later turn's unique check visits every one of them
    (the same fingerprints again) — a cost that grew turn by turn (574 → 602 ms over eight committed imports), which no
    real import meets: a mine imports a file once, and its table is vacuumed between. The floors get the same."""
    with connection.cursor() as cursor:
        for model in (Hazard, Hazard.history.model):
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")


def bench_import(mine_officer, mine, rows=10_000):
    """A 10,000-row ledger file: parsed raw by openpyxl's read-only mode (the engine of before) and by python-calamine
    (the engine now, the floor), read into checked rows by `read_table`, and imported whole (rolled back)."""
    from unittest import mock

    from django.core.files.uploadedfile import SimpleUploadedFile
    from python_calamine import CalamineWorkbook

    from core.excel import read_table
    from hazards.criteria.match import _match
    from hazards.services import hazards_import_undo
    from hazards.services.ledger_import import hazard_ledger_spec

    content = import_file(rows)
    columns = hazard_ledger_spec(actor=mine_officer, mine=mine).columns

    def openpyxl_floor():
        book = load_workbook(io.BytesIO(content), read_only=True)
        for _ in book.active.iter_rows(values_only=True):
            pass
        book.close()

    def calamine_floor():
        CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()

    def read():
        table = read_table(SimpleUploadedFile("l.xlsx", content), columns, max_rows=rows)
        assert len(table.rows) == rows
        assert not table.errors

    def ours(dry_run=False):
        # Nothing the process remembers of the file: the matcher's answers (a preview of the same file in the same
        # process would leave them, and a confirm sent to another worker would not find them).
        _match.cache_clear()
        try:
            with transaction.atomic():
                result = hazards_import(
                    actor=mine_officer, mine=mine, upload=SimpleUploadedFile("l.xlsx", content), dry_run=dry_run
                )
                assert result.created == rows
                raise RuntimeError("rollback")
        except RuntimeError:
            pass

    runs = int(os.environ.get("BENCH_EXCEL_RUNS", "3"))
    old_median, old_p95 = timed(openpyxl_floor, runs=runs)
    record(f"import old floor: openpyxl read-only parse ({rows:,} rows)", old_median, old_p95, "")
    (floor_median, floor_p95), (read_median, read_p95) = measure_pair(calamine_floor, read, runs=max(runs, 5))
    record(
        f"import floor: python-calamine parse ({rows:,} rows)",
        floor_median,
        floor_p95,
        "",
        f"old floor {old_median:.0f} ms",
        f"{floor_median / old_median:.2f}×",
    )
    read_ratio = read_median / floor_median
    record(
        f"read_table: header, columns, parsed cells ({rows:,} rows)",
        read_median,
        read_p95,
        "",
        f"floor {floor_median:.0f} ms",
        f"{read_ratio:.2f}×",
        "≤ 1.5× floor",
        "met" if read_ratio <= 1.5 else "MISSED",
    )
    ours()  # the first import of a process loads the matcher's index and the standard's items once
    preview_median, preview_p95 = timed(lambda: ours(dry_run=True), runs=runs)
    record(
        f"ledger import preview ({rows:,} rows: read, checked, planned, 疑似重大隐患 matched)",
        preview_median,
        preview_p95,
        "",
        f"floor {floor_median:.0f} ms",
        f"{preview_median / floor_median:.2f}×",
    )
    median, p95 = timed(ours, runs=runs, before=vacuum_ledger)
    record(
        f"ledger import ({rows:,} rows, rolled back)",
        median,
        p95,
        queries_of(ours),
        f"floor {floor_median:.0f} ms (old floor {old_median:.0f} ms)",
        f"{median / floor_median:.2f}× ({median / old_median:.2f}× old)",
        "< 600 ms",
        "met" if median < 600 else "MISSED",
    )

    floor_rows = database_floor_rows(mine_officer, mine, content)

    def database_floor():
        """The database's part of the import alone, in ms: the rows' ids, their COPY from text written beforehand
        (untimed), their history, the deferred key checks their commit runs; rolled back."""
        fields = [f for f in Hazard._meta.concrete_fields if not f.primary_key]
        table, qn = Hazard._meta.db_table, connection.ops.quote_name
        columns = ", ".join(qn(c) for c in ["id", *(f.column for f in fields)])
        with transaction.atomic():
            batch = ImportBatch.objects.create(kind=LedgerKind.HAZARDS, mine=mine, created_by=mine_officer)
            now = timezone.now()
            values = {"import_batch_id": batch.pk, "created_at": now, "updated_at": now}
            with connection.cursor() as cursor:
                start = time.perf_counter()
                cursor.execute(
                    "WITH sequence AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS name) "
                    "SELECT nextval(sequence.name) FROM sequence, generate_series(1, %s)",
                    [table, len(floor_rows)],
                )
                ids = [pk for (pk,) in cursor.fetchall()]
                paused = time.perf_counter()
                text = "".join(
                    "\t".join(
                        [
                            str(pk),
                            *(copy_text(values.get(f.attname, row.get(f.attname, f.get_default()))) for f in fields),
                        ]
                    )
                    + "\n"
                    for pk, row in zip(ids, floor_rows, strict=True)
                )
                resumed = time.perf_counter()
                cursor.cursor.copy_expert(f"COPY {qn(table)} ({columns}) FROM STDIN", io.StringIO(text))
                record_history(Hazard, ids, mine_officer, import_batch_id=batch.pk)
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                elapsed = (time.perf_counter() - resumed + paused - start) * 1000
            transaction.set_rollback(True)
        return elapsed

    def committed():
        # What the user waits for: the import and its commit, where the deferred foreign-key checks of the rows, their
        # history and their events run (a rolled-back import never runs them). The findings of 一般 lines, raised by a
        # worker after the commit, are not in it (left out here, as the bench's tasks would run in this process).
        with mock.patch("hazards.services.ledger_import.enqueue_import_findings"):
            result = hazards_import(actor=mine_officer, mine=mine, upload=SimpleUploadedFile("l.xlsx", content))
        assert result.created == rows
        batches.append(result.batch_id)

    batches = []
    times, database_times = [], []
    database_floor()  # one untimed turn
    for _ in range(max(runs, 5)):
        vacuum_ledger()
        database_times.append(database_floor())  # in turns with the import (a burst of other work falls on both)
        vacuum_ledger()
        _match.cache_clear()
        start = time.perf_counter()
        committed()
        times.append((time.perf_counter() - start) * 1000)
        hazards_import_undo(actor=mine_officer, batch_id=batches.pop())
    database_median, database_p95 = statistics.median(database_times), max(database_times)
    record(
        f"import database floor: the same {rows:,} rows' COPY from ready text, history, key checks",
        database_median,
        database_p95,
        "",
        f"parse floor {floor_median:.0f} ms",
        f"{database_median / floor_median:.2f}× parse",
    )
    committed_median, committed_p95 = statistics.median(times), max(times)
    both = floor_median + database_median
    record(
        f"ledger import, committed ({rows:,} rows; its deferred key checks at commit; then undone)",
        committed_median,
        committed_p95,
        "",
        f"rolled back {median:.0f} ms; parse + database floors {both:.0f} ms",
        f"{committed_median / median:.2f}× rolled back; {committed_median / both:.2f}× floors",
        "< 600 ms",
        "met" if committed_median < 600 else "MISSED",
    )


def bench_sweeps():
    """The first round after loading the data sends every notice at once (a one-time backlog); the rounds after
    it, every 15 minutes, only what is new. Both in one transaction, rolled back."""
    timings = {}

    def rounds():
        try:
            with transaction.atomic():
                for label in ("first", "steady"):
                    start = time.perf_counter()
                    result = run_all_sweeps(today=dt.date.today())
                    timings[label] = ((time.perf_counter() - start) * 1000, sum(result.values()))
                raise RuntimeError("rollback")
        except RuntimeError:
            pass

    with CaptureQueriesContext(connection) as q:
        rounds()
    first_ms, sent = timings["first"]
    record(f"first sweep round after loading ({sent:,} notices, one-time)", first_ms, first_ms, "", "", "", "", "")
    steady = []
    for _ in range(3):
        rounds()
        steady.append(timings["steady"][0])
    steady.sort()
    record(
        "one full round of the deadline sweeps (steady)",
        statistics.median(steady),
        steady[-1],
        f"{len(q.captured_queries)} (both)",
        "",
        "",
        "< 10 s",
        "met" if steady[-1] < 10_000 else "MISSED",
    )


def login_cookie(base, username, password="bench-pass-123"):
    """Sign in through the server itself, as a browser would; return the session cookie for wrk."""
    import requests

    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, f"login as {username} failed: {response.status_code}"
    return f"sessionid={session.cookies['sessionid']}"


def bench_load(inspector, mine_officer, province_user):
    """Concurrent users on loopback against gunicorn (2 workers, as in production on this 2-core machine)."""
    wrk = shutil.which("wrk")
    if not wrk:
        print("wrk is not installed (apt-get install -y wrk): load test skipped", flush=True)
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_SESSION_COOKIE_SECURE": "False",
        "DJANGO_CSRF_COOKIE_SECURE": "False",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        for label, user, path in (
            ("load: county dashboard, 10 users", inspector, "/dashboard/"),
            ("load: province dashboard, 10 users", province_user, "/dashboard/"),
            ("load: mine ledger, 10 users", mine_officer, "/hazards/"),
        ):
            cookie = login_cookie(f"http://127.0.0.1:{port}", user.username)
            out = subprocess.run(
                [wrk, "-t2", "-c10", "-d10s", "--latency", "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}{path}"],
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout
            rps = next((line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")), "?")
            p50 = next((line.split()[1] for line in out.splitlines() if line.strip().startswith("50%")), "?")
            p99 = next((line.split()[1] for line in out.splitlines() if line.strip().startswith("99%")), "?")
            non2xx = next((line.split()[-1] for line in out.splitlines() if "Non-2xx" in line), "0")
            ROWS.append(
                (label, p50, "", "", f"{rps} req/s, p99 {p99}", "", "no errors", "met" if non2xx == "0" else "MISSED")
            )
            print(f"{label:<46} {rps} req/s, p50 {p50}, p99 {p99}, non-2xx {non2xx}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def bench_document_docx(inspector, mine):
    """One enforcement document (a 责令限期整改指令书 of 20 items) as .docx and as its A4 print page: budget 1 s each.
    The document is drafted and issued once, by the scale bureau's inspectors given certificate numbers."""
    from enforcement.docx import document_docx
    from enforcement.models import DocumentKind, EnforcementDocument
    from enforcement.services import document_draft, document_issue

    marker = "基准测试指令书"
    document = EnforcementDocument.objects.filter(mine=mine, content__facts=marker).first()
    if document is None:
        officers = [inspector, User.objects.get(username="scale-inspector-1")]  # generate_scale_data makes 20
        for n, officer in enumerate(officers):
            if not officer.certificate_no:
                officer.certificate_no = f"1400000000{n:04d}"
                officer.save(update_fields=["certificate_no"])
        today = timezone.localdate()
        hazards = list(Hazard.objects.filter(mine=mine).order_by("pk")[:20])
        draft = document_draft(
            actor=inspector,
            kind=DocumentKind.RECTIFICATION_ORDER,
            mine=mine,
            officers=officers,
            items=[{"hazard": h, "due_on": today + dt.timedelta(days=7)} for h in hazards],
            content={"facts": marker, "basis": "《中华人民共和国安全生产法》第六十五条"},
        )
        document = document_issue(actor=inspector, document=draft, issued_on=today)

    def build():
        document_docx(EnforcementDocument.objects.get(pk=document.pk)).getvalue()

    median, p95 = measure(build)
    ok = p95 < 1000
    record(
        "enforcement document docx (20 items)",
        median,
        p95,
        queries_of(build),
        "",
        "",
        "< 1 s",
        "met" if ok else "MISSED",
    )
    c = client_for(inspector)
    page = get(c, f"/enforcement/documents/{document.pk}/print/")
    median, p95 = measure(page)
    record(
        "enforcement document print page",
        median,
        p95,
        queries_of(page),
        "",
        "",
        "< 1 s",
        "met" if p95 < 1000 else "MISSED",
    )


def write_report(scale):
    lines = [
        "# Performance",
        "",
        f"Measured by `scripts/bench` on {dt.date.today():%Y-%m-%d}: {platform.node()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, PostgreSQL "
        f"{connection.cursor().connection.server_version // 10000}, Django in-process (test client, its start-up's "
        "objects frozen out of the collector as a worker's are: config/wsgi.py) unless noted. "
        f"Load average (1 min) at the start and the end: {LOAD_AT_START:.1f}, {os.getloadavg()[0]:.1f} — the cores are "
        "shared, and anything else running then shows in the absolute times (less in the ratios, measured alike).",
        "",
        f"Data: {scale}. Each figure is the median and 95th percentile (ms) of {RUNS} runs after two warm-ups "
        "(3 runs for the old floors, the import rolled back and the sweeps; 5 for the export, read_table and the "
        "import committed, in turns with their floors after one untimed turn); each stands beside its baseline "
        "measured in the same run.",
        "",
        "| measure | median | p95 | queries | baseline | ratio | budget | |",
        "|---|---:|---:|---:|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in ROWS]
    (ROOT / "docs").mkdir(exist_ok=True)
    path = ROOT / "docs" / "performance.md"
    speed = machine_against_last_run(path.read_text(encoding="utf-8") if path.exists() else "")
    if speed:
        lines[3:3] = ["", speed]
    path.write_text("\n".join(lines) + "\n" + NOTES, encoding="utf-8")


def machine_against_last_run(last):
    """One sentence comparing this run's floors (the rows named "… floor …": the same work, none of ours) with the
    last run's in `last` (the file this run replaces): a machine twice as slow doubles every absolute time, and the
    budgets in milliseconds are read knowing it."""

    def medians(rows):
        found = {}
        for line in rows:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) > 2 and "floor" in cells[0]:
                try:
                    found[cells[0]] = float(cells[1])
                except ValueError:
                    continue
        return found

    before = medians(line for line in last.splitlines() if line.startswith("|"))
    now = medians(f"| {' | '.join(row)} |" for row in ROWS)
    ratios = sorted(now[name] / before[name] for name in now.keys() & before.keys() if before[name] > 0)
    if len(ratios) < 3:
        return ""
    when = re.search(r"Measured by `scripts/bench` on (\d{4}-\d{2}-\d{2})", last)
    return (
        f"This machine against the last run's ({when.group(1) if when else 'date unknown'}): its {len(ratios)} floors "
        f"— the same work, none of ours — took {ratios[0]:.2f}–{ratios[-1]:.2f}× (median "
        f"{statistics.median(ratios):.2f}×) their time then; every absolute time moves with them, the ratios less."
    )


NOTES = """
## How

- `python manage.py generate_scale_data --mines 5000 --hazards-per-mine 200 --violations-per-mine 50
  --trips-per-mine 200 --cities 12 --counties-per-city 10` (those are its defaults) builds the reference data with
  bulk inserts in a database of its own (`scripts/bench` creates `campaign_bench`; `BENCH_DB` names another): a
  province (规模测试省应急管理厅, division code 690000) → 12 cities → 120 county bureaus, the 500 enterprises dealt
  round the counties and each enterprise's mines in its county (about 42 mines and 8,300 hazards a county), each
  county running its own clone of the notice's campaign. About 3½ minutes on this machine (8 s of it the tree, the
  users and the 120 campaigns). `--cities 0` still builds the single bureau of before.
- Who measures what: the county rows log in as the first county's users (`scale-inspector-0`, the officer of its
  first mine), as before, so a county's figures are now one county's; the city rows as `scale-city` (a regulator of
  the first city: 10 counties); the province rows as `scale-province` (all 120 counties, every row of the data).
  Each row's baseline column says how many rows it sees.
- The county dashboard's baseline is the same figures computed by eleven hand-written SQL queries (the floor). The
  city's and the province's are the ranking's figures (hazards not closed, overdue, open major, mines suspended,
  三违 this month, the risk score's parts) for every county in sight, hand-written (six queries; seven with the
  province's cities). For the hazard and 三违 counts the floor has two plans — a hash join over the whole table, or an
  index walk per mine — and keeps whichever is faster in the same run (the walk for a city's tenth of the data, the
  join for the province's all of it), so the floor is the least the database must do at each level.
- Dashboards from maintained tallies (issue 24 item 1): the county dashboard's hazard and 三违 figures, its risk
  ranking, the boards above the county and the charts' per-enterprise and monthly 三违 figures are sums over small
  count tables (`dashboards.models`: hazards per mine × status × level × specialty, and per county × the same (the
  hazards API's exact count for a bureau, a city or a province); hazards not closed per mine ×
  level × due date and per county × level × due date; 三违 per mine × day × type × severity and per county × day ×
  severity), kept in the writing transaction by database triggers (`dashboards/figures.py` says why triggers rather
  than a call in each write path: statement-level with transition tables on PostgreSQL, so an import's COPY is one
  grouped upsert per table; row-level on SQLite). "Overdue" is `due_on < today` on the buckets not closed, read at
  read time: the day boundary needs no write and no nightly job. The "old floor" beside each computed row is the
  hand-written scan of the ledgers the dashboards did before; the computed rows are now held to < 100 ms p95.
  `dashboard tallies: full rebuild` is `rebuild_dashboard_figures` at this scale (the table sizes in its row).
  Read from the ledgers, but only the rows they need through partial indexes of the hazards (hazards 0019): the
  动态清零 series and the 四无 majors (a county's major hazards, about 1 % of its ledger) and 自查不实 (the
  inspections' finds, one index probe each for the own checks at the same place: `missed_by_self_checks_q`). The
  weekly found/closed chart reads the campaign's hazards of the county by its mines' time index (a closed count by
  week of hazards found in the campaign has no bucket smaller than the hazards themselves). Inspections, exams and
  submissions are read as they are: one row per inspection, or per unit and deadline, is already a bucket.
  `BENCH_ONLY=dashboard scripts/bench` measures only these rows and replaces theirs in this file. What the
  triggers cost the writes (measured by hand on the reference data, rolled back; again with the county tally of
  hazards, load average 1): one hazard's status changed 0.5–0.7 ms with them, 0.3 ms without; 10,000 hazards changed
  in one `UPDATE` 0.7–0.9 s with, 0.36 s without (the transition tables grouped once per tally; at load 9–10, before
  the county tally, it was 5.0 s and 2.2 s). A rebuild took 35 s at that load (grouped passes over the million
  hazards and 250,000 三违, under a SHARE lock on both ledgers; the bench's row above is this run's).
- Excel (issue 24): exports are written by rust_xlsxwriter (rvgsrust-xlsxwriter; XlsxWriter by
  `settings.EXCEL_WRITER`) with each sheet in constant-memory mode, and uploads read by python-calamine (Rust),
  openpyxl reading what calamine's guard scan sends away (`core/excel.py`). The export's floor is rust_xlsxwriter
  writing the same 100,000 rows from lists in memory with nothing of the ledger's layout, measured in turns with the
  export (floor, export, floor, export …) so that a burst of other work on the shared cores falls on both; the old
  floors, XlsxWriter's constant-memory mode and openpyxl's write-only mode writing the same lists, stand beside it.
  About a third of the floor is the engine zipping the sheet at the end (~1 s here), with Python's lock released;
  what the export adds is the database's rows turned into Python values (~0.9 s for 100,000 rows × 25 columns on
  this machine, ~0.25 s of it the server) and the columns' getters (~0.2 s). The import's floor is calamine parsing
  the same 10,000-row file (`to_python` of its sheet), in turns with `read_table` (the guard scan, the header, the
  columns and every parsed cell: what the engine's change is about); the whole import (checks, fingerprints, the
  COPY and the history, rolled back) is measured against the 600 ms budget, each run with the 疑似重大隐患
  matcher's memory of descriptions cleared (a confirm that lands on another worker than its preview remembers
  nothing); its preview (a dry run, which also matches every 一般 line against the standard: ~0.25 ms a line) stands
  beside it without a budget; the import committed (then undone, not timed) is held to the same 600 ms: its commit
  runs the deferred foreign-key checks of the rows, which a rolled-back import never does, and it is what the user
  waits for. Beside it, in turns with it, the import's database floor: the same rows (read, checked and planned
  once, untimed) copied in from text written beforehand, their history and the key checks of their commit, with no
  Python of ours — the least the database does for the file with the ledger's indexes, tally triggers and
  constraints; the committed import is compared with that floor plus the parse's (five turns of each). Every
  timed turn that writes the file's rows (the import rolled back, committed, and its database floor) starts from the
  hazards' tables vacuumed, untimed: each turn inserts the same rows and rolls them back or undoes them, and their
  dead index entries, left to the next turn, made each unique check of the same fingerprints visit them all — the
  committed import grew by ~4 ms a turn without it, which a real import, of a file into a vacuumed table, never
  meets. openpyxl's read-only parse is the old floor. `BENCH_ONLY=excel
  scripts/bench` (with `BENCH_DB` naming any database with 100,000 hazards, e.g. from `generate_scale_data --mines
  500`) measures only these rows and replaces theirs in this file.
- Query counts are pinned by the test suite (`django_assert_max_num_queries` at two data sizes), so the budgets do
  not silently rot.
- What is cached, and for how long: only the dashboards' figures and chart data, per visibility scope (a county, a
  city, a province; a province's ranking narrowed to one city apart), for `DASHBOARD_CACHE_SECONDS` (60 s; the page
  says when they were computed). The computed figures are measured against the floor and the served ones against
  the 300 ms budget. Ledger pages, lists, exports and the API lists are never cached.
- The first sweep round after bulk-loading the data finds every overdue item of a million-row ledger at once and
  records its whole backlog (the count is in its row above). That happens once; every later round, which beat runs
  every 15 minutes, reads only items not yet notified (an anti-join on the indexed notice key). The 10-second
  budget is for those rounds.
- Lists across many mines (hazards, 三违, trips underground, enforcement documents) page by position (issue 24 item
  2, `core/paging.py`): the key is the list's time column and the id, newest first, and a page is `WHERE (time, id) <
  (cursor) ORDER BY time DESC, id DESC LIMIT 21` on an index of the same shape that also carries the mine, so the
  visibility rule's join (a county is about 1 % of the province's rows) is answered from the index and only the page's
  20 rows are read from the table (their ids first, then the rows with what they show: two queries). The hazards' and
  三违's count is exact, a sum of the dashboards' tallies, when every filter is one of their dimensions (below); any
  other list's, or under another filter, is the planner's estimate (one EXPLAIN of the list's query) shown as “约 N
  条”, counted exactly (at most `LIST_EXACT_COUNT_BELOW` rows read) only when the estimate is below that threshold.
  The `keyset:` rows measure page 1
  and a page 500 deep (its cursor made once in the setup) as the county and the province see them, pages and API
  (`?cursor=`), beside the floor: the same rows query sent by hand. `generate_scale_data` writes no enforcement
  documents: the benchmark adds 200,000 once (`BENCH_DOCUMENTS`). `BENCH_ONLY=lists scripts/bench` measures only the
  list rows and replaces theirs in this file. By page number (`?page=`) the API's `count` stays exact for hazards, 三违
  and documents (the contract for existing clients) and stops at 10,000 for trips underground; the hazards' and
  三违's exact counts are sums of the dashboards' tallies (`core.counts`, `dashboards.counts`) when every filter is one
  of their dimensions (hazards: 煤矿, 状态, 等级, 专业, 是否销号 — a province's ~7,000 county buckets, not its million
  rows; 三违: 煤矿, 类别, 性质, 日期), the rows counted otherwise; the `offset:` rows measure that old way (page 500
  by number: an exact count and an OFFSET) for the same lists. Filter bars write their `<select>` directly and read an
  organisation list as (id, name) rows: the province's bar lists 5,000 mines on every page.
- Submissions: one per organisation and deadline of its county's campaign, a few missing; those for deadlines still
  to come are drafts.
- Load: wrk on loopback, 2 threads and 10 connections for 10 s each, against gunicorn with 2 worker processes × 2
  threads on this 2-core machine (the benchmark itself shares the cores); each user signs in through the server first.
- Reproduce: `scripts/bench` (the first run generates the data; `BENCH_RESET=1` regenerates it).
"""


EXCEL_ROWS = ("export ", "ledger export", "import ", "read_table", "ledger import")
DASHBOARD_ROWS = ("county dashboard", "city dashboard", "province dashboard", "dashboard tallies")


def excel_only():
    """`BENCH_ONLY=excel`: only the Excel rows, on whatever data the database has (100,000 hazards are enough:
    `generate_scale_data --mines 500`); their lines in docs/performance.md are replaced, the others kept."""
    mine = Mine.objects.filter(hazards__isnull=False).order_by("pk").first()
    mine_officer = User.objects.filter(organization=mine).first()
    bench_export()
    bench_import(mine_officer, mine)
    replace_rows(EXCEL_ROWS)


def dashboard_only():
    """`BENCH_ONLY=dashboard`: only the dashboards' rows (county, city, province: floors, computed, served, and the
    tallies' own size and rebuild), on the reference data; their lines in docs/performance.md are replaced."""
    inspector = User.objects.get(username="scale-inspector-0")
    bureau = inspector.organization
    county_mines = Mine.objects.filter(bureau=bureau).count()
    county_hazards = Hazard.objects.filter(mine__bureau=bureau).count()
    bench_dashboard(inspector, bureau.pk, f"1 county, {county_mines} mines, {county_hazards:,} hazards")
    bench_levels(User.objects.get(username="scale-city"), User.objects.get(username="scale-province"))
    bench_tallies()
    replace_rows(DASHBOARD_ROWS)


def bench_tallies():
    """The maintained tallies: their rows (what the dashboards read instead of the ledgers) and a full rebuild."""
    from dashboards import figures

    sizes = []
    with connection.cursor() as cursor:
        for tally in figures.TALLIES:
            cursor.execute(f"SELECT count(*) FROM {tally.table}")
            sizes.append(f"{tally.table.removeprefix('dashboards_')} {cursor.fetchone()[0]:,}")
    start = time.perf_counter()
    figures.rebuild()
    took = (time.perf_counter() - start) * 1000
    record(
        "dashboard tallies: full rebuild (rebuild_dashboard_figures)",
        took,
        took,
        len(figures.TALLIES) * 2 + 1,
        "; ".join(sizes),
    )


def replace_rows(prefixes):
    """Write this run's rows into docs/performance.md in place of the rows whose names start with `prefixes` (where
    the first of them stood), keeping every other line."""
    path = ROOT / "docs" / "performance.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    table = [i for i, line in enumerate(lines) if line.startswith("|")]  # the header and its rule are kept too
    kept = [i for i in table if not lines[i][2:].startswith(prefixes)]
    at = next((i for i in table if lines[i][2:].startswith(prefixes)), table[-1] + 1)
    new = [f"| {' | '.join(row)} |" for row in ROWS]
    before = [lines[i] for i in kept if i < at]
    after = [lines[i] for i in kept if i > at]
    body = lines[: table[0]] + before + new + after + lines[table[-1] + 1 :]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    missed = [r[0] for r in ROWS if r[-1].startswith("MISSED")]
    print("\nbudgets missed: " + (", ".join(missed) if missed else "none"), flush=True)


LIST_ROWS = ("keyset: ", "offset: ", "county hazard ledger", "province hazard ledger", "county 三违", "province 三违")


def lists_only():
    """`BENCH_ONLY=lists`: only the bureau-wide list rows (issue 24 item 2) on the reference data; their lines in
    docs/performance.md are replaced, the others kept."""
    inspector = User.objects.get(username="scale-inspector-0")
    province_user = User.objects.get(username="scale-province")
    bench_bureau_ledgers(inspector, province_user)
    bench_keyset_lists(inspector, province_user)
    replace_rows(LIST_ROWS)


def main():
    import gc

    # As a worker does at start-up (config/wsgi.py): what the process holds so far kept out of the collector's full
    # passes, which would otherwise land inside a timed request now and then.
    gc.freeze()
    if os.environ.get("BENCH_ONLY") == "excel":
        return excel_only()
    if os.environ.get("BENCH_ONLY") == "lists":
        return lists_only()
    if os.environ.get("BENCH_ONLY") == "dashboard":
        return dashboard_only()
    # The county users log in as before (the first county of the tree); the regulators read the city and the province.
    inspector = User.objects.get(username="scale-inspector-0")
    bureau = inspector.organization
    city_user = User.objects.get(username="scale-city")
    province_user = User.objects.get(username="scale-province")
    mine = Mine.objects.filter(bureau=bureau).order_by("pk").first()
    mine_officer = User.objects.get(organization=mine)
    from accounts.models import Organization
    from reporting.models import Submission
    from violations.models import Violation
    from workforce.models import PositioningRecord

    kinds = dict(Organization.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    county_mines = Mine.objects.filter(bureau=bureau).count()
    county_hazards = Hazard.objects.filter(mine__bureau=bureau).count()
    scale = (
        f"{kinds.get('province', 0)} province, {kinds.get('city', 0)} cities, {kinds.get('bureau', 0)} county bureaus, "
        f"{kinds.get('mine', 0):,} mines, {Hazard.objects.count():,} hazards, {Violation.objects.count():,} 三违, "
        f"{Submission.objects.count():,} submissions, {PositioningRecord.objects.count():,} trips underground; "
        f"the county measured ({bureau.name}) has {county_mines} mines and {county_hazards:,} hazards"
    )
    print(scale, flush=True)
    bench_dashboard(inspector, bureau.pk, f"1 county, {county_mines} mines, {county_hazards:,} hazards")
    bench_levels(city_user, province_user)
    bench_tallies()
    bench_ledger(mine_officer, mine)
    bench_bureau_ledgers(inspector, province_user)
    bench_keyset_lists(inspector, province_user)
    bench_positioning(inspector, mine_officer, mine)
    bench_matrix(inspector)
    if os.environ.get("BENCH_QUICK") != "1":  # the slow rows that the tree does not change
        bench_export()
        bench_import(mine_officer, mine)
        bench_sweeps()
        bench_document_docx(inspector, mine)
    bench_load(inspector, mine_officer, province_user)
    write_report(scale)
    missed = [r[0] for r in ROWS if r[-1].startswith("MISSED")]
    print("\nbudgets missed: " + (", ".join(missed) if missed else "none"), flush=True)


if __name__ == "__main__":
    main()
