"""The bureau-wide ledgers page by position (core.paging): hazards, 三违, trips underground, enforcement documents —
pages and API alike. Small lists keep numbered pages; a list above settings.LIST_EXACT_COUNT_BELOW reads by cursor
with its count estimated (“约 N 条”, `count_is_estimate`). A cursor is only a position: it never shows a row the
user's own list would not, and one that does not decode is a 400 with a Chinese message."""

import base64
import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.paging import BAD_CURSOR, BadCursor, KeysetPaginator
from enforcement.models import EnforcementDocument
from hazards.models import Hazard
from tests.factories import HazardFactory, ViolationFactory
from violations.models import Violation
from workforce.models import PositioningRecord

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")


def _days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


def make_hazards(county, n, *, start=0):
    # Two dates only: most rows tie on the time column, so the id alone keeps the order.
    mines = [county.mine1, county.mine2, county.mine3, county.other_mine]
    for i in range(start, start + n):
        HazardFactory(mine=mines[i % 4], found_on=_days_ago(3 + i % 2), location=f"地点{i}")


def make_violations(county, n, *, start=0):
    mines = [county.mine1, county.mine2, county.mine3, county.other_mine]
    for i in range(start, start + n):
        ViolationFactory(mine=mines[i % 4], occurred_on=_days_ago(2 + i % 2))


def make_trips(county, n, *, start=0):
    mines = [county.mine1, county.mine2, county.mine3, county.other_mine]
    base = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)
    for i in range(start, start + n):
        entered = base - dt.timedelta(hours=i % 2)
        PositioningRecord.objects.create(
            mine=mines[i % 4],
            person_name=f"职工{i}",
            entered_at=entered,
            exited_at=entered + dt.timedelta(hours=8),
            underground_minutes=480,
            fingerprint=f"fp{i}",
        )


def make_documents(county, n, *, start=0):
    # Drafts (no date yet) and issued documents on two dates: the empty dates come first, newest first after them.
    mines = [county.mine1, county.mine2, county.mine3]
    for i in range(start, start + n):
        issued = i % 3 != 0
        EnforcementDocument.objects.create(
            bureau=county.bureau,
            mine=mines[i % 3],
            kind="rectification_order",
            status="issued" if issued else "draft",
            year=2026 if issued else None,
            serial=i + 1 if issued else None,
            number=f"（阳）煤安责改〔2026〕{i + 1}号" if issued else "",
            issued_on=_days_ago(1 + i % 2) if issued else None,
        )


LEDGERS = {
    "hazards": ("/hazards/", "/api/v1/hazards/", make_hazards, Hazard, "found_on"),
    "violations": ("/violations/", "/api/v1/violations/", make_violations, Violation, "occurred_on"),
    "positioning": (
        "/workforce/positioning/",
        "/api/v1/positioning-records/",
        make_trips,
        PositioningRecord,
        "entered_at",
    ),
    "documents": (
        "/enforcement/documents/",
        "/api/v1/enforcement-documents/",
        make_documents,
        EnforcementDocument,
        "issued_on",
    ),
}


def expected_order(model, time, ids):
    """Newest first, the empty dates before all others, ties by the id, newest first: computed here in Python."""
    rows = model.objects.filter(pk__in=ids).values_list(time, "pk")
    return [pk for _, pk in sorted(rows, key=_sort_key, reverse=True)]


def _visible_ids(model, user):
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


def walk_api(api_client, url, *, params=None, first=None):
    """Every row id along `next`, then back along `previous`; (forward ids, pages forward, backward pages)."""
    pages, link = [], first or url
    answer = api_client.get(link, params if first is None else None)
    while True:
        assert answer.status_code == 200, answer.content
        body = answer.json()
        pages.append([row["id"] for row in body["results"]])
        if not body["next"]:
            break
        answer = api_client.get(body["next"])
    back = [pages[-1]]
    while body["previous"]:
        body = api_client.get(body["previous"]).json()
        back.append([row["id"] for row in body["results"]])
    return [pk for page in pages for pk in page], pages, back


@pytest.mark.parametrize("ledger", LEDGERS)
def test_the_api_walks_every_ledger_by_cursor_in_order_with_ties_and_back(api_client, county, settings, ledger):
    _, url, make, model, time = LEDGERS[ledger]
    settings.LIST_EXACT_COUNT_BELOW = 4
    make(county, 17)
    api_client.force_authenticate(county.inspector)
    ids, pages, back = walk_api(api_client, url, params={"cursor": "", "page_size": 3})
    visible = _visible_ids(model, county.inspector)
    assert ids == expected_order(model, time, visible)  # each row once, in the key's order, ties by id
    assert [len(p) for p in pages[:-1]] == [3] * (len(pages) - 1)
    assert back == pages[::-1]  # the same pages going back
    # the page numbers still work for existing clients, with the exact count
    numbered = api_client.get(url, {"page": 2, "page_size": 3}).json()
    assert numbered["count"] == len(visible) and numbered["count_is_estimate"] is False
    assert [r["id"] for r in numbered["results"]] == ids[3:6]


def test_ordering_is_stable_when_every_row_has_the_same_time(api_client, county, settings):
    settings.LIST_EXACT_COUNT_BELOW = 2
    for i in range(11):
        HazardFactory(mine=county.mine1, found_on=_days_ago(5), location=f"同日{i}")
    api_client.force_authenticate(county.mine1_officer)
    ids, _, _ = walk_api(api_client, "/api/v1/hazards/", params={"cursor": "", "page_size": 2})
    assert ids == sorted(Hazard.objects.filter(mine=county.mine1).values_list("pk", flat=True), reverse=True)


def _cursor_links(html, rel):
    return re.findall(rf'href="\?(?:[^"]*&)?cursor=([A-Za-z0-9_-]+)" rel="{rel}"', html)


def test_the_page_walks_the_bureau_ledger_by_cursor_with_an_estimate_and_numbered_pages_when_filtered_small(
    client, county, settings
):
    settings.LIST_EXACT_COUNT_BELOW = 15
    make_hazards(county, 48)
    client.force_login(county.inspector)
    html = client.get("/hazards/").content.decode()
    assert 'data-testid="keyset-paging"' in html and "下一页" in html and "末页" not in html
    seen, pages = [], 0
    while True:
        pages += 1
        ids = [int(x) for x in re.findall(r'name="ids" value="(\d+)"', html)]
        seen += ids
        following = _cursor_links(html, "next")
        if not following:
            break
        assert "上一页" in html or pages == 1
        html = client.get("/hazards/", {"cursor": following[0]}).content.decode()
    visible = _visible_ids(Hazard, county.inspector)
    assert seen == expected_order(Hazard, "found_on", visible) and pages == 2  # 36 of the county's: 20 + 16
    # below the threshold once filtered: exact, numbered
    small = client.get("/hazards/", {"mine": county.mine3.pk}).content.decode()
    assert 'data-testid="keyset-paging"' not in small and "共 12 条" in small
    # the filter travels with the cursor links
    filtered = client.get("/hazards/", {"specialty": "roof"}).content.decode()
    assert re.search(r'href="\?specialty=roof&cursor=[A-Za-z0-9_-]+" rel="next"', filtered)


@on_postgresql
def test_a_large_list_says_its_count_is_estimated_and_a_small_one_counts_exactly(client, api_client, county, settings):
    """A list no maintained figures count (trips underground): past the threshold its count is the planner's
    estimate, said as such; filtered below it, counted."""
    settings.LIST_EXACT_COUNT_BELOW = 10
    make_trips(county, 60)
    analyze(PositioningRecord)
    client.force_login(county.inspector)
    html = client.get("/workforce/positioning/").content.decode()
    assert re.search(r"约 \d[\d,]* 条", html) and "（估算）" in html
    api_client.force_authenticate(county.inspector)
    body = api_client.get("/api/v1/positioning-records/", {"cursor": ""}).json()
    assert body["count_is_estimate"] is True and body["count"] > 10 and body["count_is_lower_bound"] is False
    exact = api_client.get("/api/v1/positioning-records/", {"cursor": "", "mine": county.mine3.pk}).json()
    assert (exact["count"], exact["count_is_estimate"]) == (15, False)


@pytest.mark.parametrize("ledger", ["hazards", "violations"])
def test_the_ledgers_the_dashboards_count_say_their_exact_count_however_long(
    client, api_client, county, settings, ledger
):
    """Hazards and 三违 are counted by the dashboards' figures (core.counts): their pages and the API's pages by
    position say the exact count of a list of any length filtered by the figures' dimensions — the number the
    dashboard's tile shows — and an estimate only under another filter."""
    page_url, api_url, make, model, _ = LEDGERS[ledger]
    settings.LIST_EXACT_COUNT_BELOW = 10
    make(county, 60)
    analyze(model)
    client.force_login(county.inspector)
    html = client.get(page_url).content.decode()
    assert "共 45 条" in html and "（估算）" not in html  # the county's 45 of the 60 (the other county's mine: 15)
    later = client.get(f"{page_url}?cursor={_cursor_links(html, 'next')[0]}").content.decode()
    assert "共 45 条" in later
    api_client.force_authenticate(county.inspector)
    body = api_client.get(api_url, {"cursor": ""}).json()
    assert (body["count"], body["count_is_estimate"], body["count_is_lower_bound"]) == (45, False, False)
    by_mine = api_client.get(api_url, {"cursor": "", "mine": county.mine1.pk}).json()
    assert (by_mine["count"], by_mine["count_is_estimate"]) == (15, False)
    assert api_client.get(api_url).json()["count"] == 45  # page numbers: exact, as before


def test_an_estimate_the_rows_disprove_is_shown_as_more_than_the_threshold_not_as_about(
    client, api_client, county, settings, monkeypatch
):
    """The planner can guess far too few rows (a text search's fixed guess: 1,279 for a word in 100,000+ hazards of the
    reference data). The bounded count then finds more than the threshold, and that is all that is known: the page
    says “超过 10 条”, never “约 10 条（估算）” for a list of 40 (trips underground: no figures count them)."""
    settings.LIST_EXACT_COUNT_BELOW = 10
    make_trips(county, 40)
    monkeypatch.setattr("core.paging.estimate_rows", lambda queryset, reuse=False: 3)
    client.force_login(county.inspector)
    html = client.get("/workforce/positioning/").content.decode()
    assert "超过 10 条" in html and "约 " not in html and "（估算）" not in html
    later = client.get(f"/workforce/positioning/?cursor={_cursor_links(html, 'next')[0]}").content.decode()
    assert "超过 10 条" in later and "（估算）" not in later
    api_client.force_authenticate(county.inspector)
    body = api_client.get("/api/v1/positioning-records/", {"cursor": ""}).json()
    # "at least the threshold and one": never rounded up past what the rows showed
    assert (body["count"], body["count_is_estimate"], body["count_is_lower_bound"]) == (11, True, True)
    # the same list filtered small enough: exact, as before
    exact = api_client.get("/api/v1/positioning-records/", {"cursor": "", "mine": county.mine1.pk}).json()
    assert (exact["count"], exact["count_is_estimate"], exact["count_is_lower_bound"]) == (10, False, False)


def _b64(raw):
    return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode()


BAD_CURSORS = [
    "garbage!",
    "%%%",
    "x" * 500,
    _b64("not json"),
    _b64("[]"),
    _b64(json.dumps({"k": [1], "d": "n"})),  # too few parts
    _b64(json.dumps({"k": ["2026-01-01", 1], "d": "x"})),  # no such direction
    _b64(json.dumps({"k": ["2026-13-45", 1], "d": "n"})),  # no such date
    _b64(json.dumps({"k": ["2026-01-01", "1; drop table"], "d": "n"})),
    _b64(json.dumps({"k": ["2026-01-01", 2**70], "d": "n"})),  # beyond bigint
    _b64(json.dumps({"k": ["2026-01-01", True], "d": "n"})),
    _b64(json.dumps({"k": [None, 5], "d": "p", "x": 1})),
    _b64(json.dumps({"k": [{"a": 1}, 5], "d": "n"})),
]


@pytest.mark.parametrize("ledger", LEDGERS)
def test_a_tampered_cursor_is_a_400_with_a_chinese_message_not_a_500(client, api_client, county, ledger):
    page_url, api_url, make, _, _ = LEDGERS[ledger]
    make(county, 3)
    client.force_login(county.inspector)
    api_client.force_authenticate(county.inspector)
    bad = list(BAD_CURSORS)
    if ledger == "positioning":
        bad.append(_b64(json.dumps({"k": ["2026-01-01", 1], "d": "n"})))  # a date where a moment is kept
        bad.append(_b64(json.dumps({"k": ["2026-01-01T08:00:00", 1], "d": "n"})))  # a moment without its zone
    else:
        bad.append(_b64(json.dumps({"k": ["2026-01-01T08:00:00+08:00", 1], "d": "n"})))  # a moment for a date
    if ledger != "documents":
        bad.append(_b64(json.dumps({"k": [None, 1], "d": "n"})))  # only documents have rows without a date
    for cursor in bad:
        page = client.get(page_url, {"cursor": cursor})
        assert page.status_code == 400, cursor
        assert BAD_CURSOR in page.content.decode() and "回到第一页" in page.content.decode()
        answer = api_client.get(api_url, {"cursor": cursor})
        assert answer.status_code == 400, cursor
        assert answer.json() == {"detail": BAD_CURSOR}


@pytest.mark.parametrize("ledger", LEDGERS)
def test_a_cursor_from_another_users_list_shows_only_the_users_own_rows(api_client, county, settings, ledger):
    _, url, make, model, time = LEDGERS[ledger]
    settings.LIST_EXACT_COUNT_BELOW = 2
    make(county, 24)
    # The inspector's cursor after two rows of its own filter (mine2): a position among the county's rows.
    api_client.force_authenticate(county.inspector)
    first = api_client.get(url, {"cursor": "", "page_size": 2, "mine": county.mine2.pk}).json()
    cursor = re.search(r"cursor=([A-Za-z0-9_-]+)", first["next"]).group(1)
    position = _sort_key(model.objects.values_list(time, "pk").get(pk=first["results"][-1]["id"]))
    for user in (county.mine1_officer, county.ent1_officer, county.other_inspector):
        api_client.force_authenticate(user)
        ids, _, _ = walk_api(api_client, url, first=f"{url}?cursor={cursor}&page_size=2")
        visible = _visible_ids(model, user)
        rows = model.objects.filter(pk__in=visible).values_list(time, "pk")
        after = [pk for key, pk in sorted(((_sort_key(r), r[1]) for r in rows), reverse=True) if key < position]
        assert ids == after  # the user's own rows after that position: nothing of anyone else's, none lost
        assert set(ids) <= visible


def _sort_key(row):
    time, pk = row
    return (time is None, time or dt.date.min, pk)


def analyze(model):
    """The planner's statistics of the ledger and the organisations, as autovacuum keeps them in production (without
    them PostgreSQL guesses from the table's size on disk, and whether the count is estimated would depend on what
    earlier tests left there)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")
            cursor.execute("ANALYZE accounts_organization")


def _queries(fn):
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def _second_page(client, url, params):
    first = client.get(url, params)
    assert first.status_code == 200
    if hasattr(first, "data"):
        return first.json()["next"]
    cursor = _cursor_links(first.content.decode(), "next")[0]
    return f"{url}?cursor={cursor}"


# Queries per page in the keyset mode, whatever the size: the session and user, the page's own context (filter bars,
# permissions), the estimate (PostgreSQL), the rows and what they select beside them. Pinned at two sizes.
@pytest.mark.parametrize("ledger", LEDGERS)
def test_keyset_pages_cost_the_same_queries_at_two_sizes(client, api_client, county, settings, ledger):
    page_url, api_url, make, _, _ = LEDGERS[ledger]
    settings.LIST_EXACT_COUNT_BELOW = 5
    client.force_login(county.inspector)
    api_client.force_authenticate(county.inspector)
    counts = []
    for size, start in ((32, 0), (64, 32)):
        make(county, size, start=start)
        analyze(LEDGERS[ledger][3])
        page_next = _second_page(client, page_url, {})
        api_next = _second_page(api_client, api_url, {"cursor": ""})
        counts.append(
            (
                _queries(lambda: client.get(page_url)),
                _queries(lambda: client.get(page_next)),  # noqa: B023
                _queries(lambda: api_client.get(api_url, {"cursor": ""})),
                _queries(lambda: api_client.get(api_next)),  # noqa: B023
            )
        )
    assert counts[0] == counts[1], counts
    page_first, page_later, api_first, api_later = counts[0]
    # PostgreSQL: a later page reuses the estimate the first page made (the same list, the same filter); a list the
    # dashboards' figures count asks them again (one query, exact), as the first page did
    reused = 1 if connection.vendor == "postgresql" and ledger not in COUNTED_BY_FIGURES else 0
    assert page_later == page_first - reused and api_later == api_first - reused
    assert api_first == PINNED_API[ledger]


#: the ledgers whose lists are counted by the dashboards' figures (core.counts), not estimated
COUNTED_BY_FIGURES = ("hazards", "violations")
#: the API's queries for a keyset page (signed in by force_authenticate): the count (the figures' sum; else on
#: PostgreSQL the estimate, one EXPLAIN, reused for a minute; SQLite: counted), the page's ids, its rows, the
#: documents' officers and items — not the filter bar's list of mines, which only a page draws (core.filters)
PINNED_API = {"hazards": 3, "violations": 3, "positioning": 3, "documents": 5}


@on_postgresql
def test_a_later_page_reuses_its_own_lists_estimate_and_nothing_else(county, settings):
    """The first page's estimate serves the next pages of the same list: kept under the list's own SQL (the visibility
    rule's condition and the filter in it), made on the server. Nothing in the request names it, so one list's count
    never shows on another user's or another filter's page, and a cursor naming a count is not one this site made."""
    from django.core.cache import cache

    settings.LIST_EXACT_COUNT_BELOW = 2
    cache.clear()
    make_hazards(county, 24)
    analyze(Hazard)

    def listed(user, **filters):
        return Hazard.objects.visible_to(user).filter(**filters).order_by("-found_on", "-id")

    def explains(qs, cursor=None):
        with CaptureQueriesContext(connection) as captured:
            page = KeysetPaginator(qs, 3).page(cursor=cursor, keyset=True)
        return page, sum(q["sql"].startswith("EXPLAIN") for q in captured.captured_queries)

    first, made = explains(listed(county.inspector))
    assert made == 1 and first.count_is_estimate
    second, made = explains(listed(county.inspector), first.next_cursor)
    assert made == 0 and (second.count, second.count_is_estimate) == (first.count, True)
    assert explains(listed(county.inspector))[1] == 1  # the first page asks again (and keeps what it hears)
    for user, filters in (
        (county.other_inspector, {}),  # another county's inspector, with this county's cursor
        (county.mine1_officer, {}),  # a mine of the same county
        (county.inspector, {"mine": county.mine3}),  # the same user, another filter
    ):
        assert explains(listed(user, **filters), first.next_cursor)[1] == 1, (user, filters)
    forged = _b64(json.dumps({"k": [_days_ago(3).isoformat(), 1], "d": "n", "c": 1_000_000}))
    with pytest.raises(BadCursor):
        KeysetPaginator(listed(county.inspector), 3).page(cursor=forged)


@pytest.mark.parametrize("threshold", [50, 5])
def test_a_list_is_counted_and_positioned_by_its_ids_alone_not_with_what_its_rows_show(county, settings, threshold):
    """A page's rows may carry a subquery each (the 执法文书 page: the followed document's number, the item count):
    the count (numbered pages) and the page's ids (keyset pages) read neither; only the rows query does."""
    from enforcement.selectors import document_list_page

    settings.LIST_EXACT_COUNT_BELOW = threshold
    make_documents(county, 25)
    analyze(EnforcementDocument)
    with CaptureQueriesContext(connection) as captured:
        page = KeysetPaginator(document_list_page(user=county.inspector), 20).page(number=1)
        rows = list(page)
    reading = [q["sql"] for q in captured.captured_queries if "documentitem" in q["sql"] or "follows_id" in q["sql"]]
    assert len(reading) == 1 and reading[0].startswith('SELECT "enforcement_enforcementdocument"."id",'), reading
    assert page.keyset is (threshold == 5) and len(rows) == 20
    assert page.keyset or page.paginator.count == 25


def test_the_paginator_counts_exactly_on_sqlite_and_never_fully_beyond_the_threshold(county, settings):
    settings.LIST_EXACT_COUNT_BELOW = 5
    make_hazards(county, 8)
    paginator = KeysetPaginator(Hazard.objects.visible_to(county.inspector).order_by("-found_on", "-id"), 3)
    count, estimated = paginator.count()
    if connection.vendor != "postgresql":
        assert (count, estimated) == (6, False)
    else:
        assert count >= 6 and estimated is True  # beyond the threshold: an estimate, never a full count
    small = KeysetPaginator(Hazard.objects.filter(mine=county.mine1).order_by("-found_on", "-id"), 3)
    page = small.page(number=9)  # out of range: the last page, as Django's
    assert (page.keyset, page.number, len(page), small.count()) == (False, 1, 2, (2, False))


def test_the_schema_documents_the_cursor_and_the_estimate(client, county):
    client.force_login(county.inspector)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/hazards/", "/api/v1/violations/", "/api/v1/positioning-records/"):
        names = [p["name"] for p in schema["paths"][path]["get"]["parameters"]]
        assert "cursor" in names and "page" in names, path
    listed = schema["paths"]["/api/v1/hazards/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    paginated = schema["components"]["schemas"][listed["$ref"].rsplit("/", 1)[1]]
    for name in ("count_is_estimate", "count_is_lower_bound"):
        assert name in paginated["properties"] and name in paginated["required"]
