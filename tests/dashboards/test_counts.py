"""The hazards' and 三违's API page numbers owe an exact `count`: when every filter is a dimension of the maintained
tallies (core.counts, dashboards.counts) it is their sum, not a count of the rows — and always the same number, for
every role's scope, as counting the rows would give."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hazards.filters import HazardFilter
from hazards.models import Hazard, HazardLevel, HazardStatus
from tests.factories import HazardFactory, UserFactory, ViolationFactory, regulator_levels
from violations.filters import ViolationFilter
from violations.models import Violation

pytestmark = pytest.mark.django_db

URL = "/api/v1/hazards/"


@pytest.fixture
def ledger(county):
    mines = [county.mine1, county.mine2, county.mine3, county.other_mine]
    statuses = [HazardStatus.OPEN, HazardStatus.RECTIFYING, HazardStatus.CLOSED]
    for i in range(24):
        HazardFactory(
            mine=mines[i % 4],
            status=statuses[i % 3],
            level=HazardLevel.MAJOR if i % 5 == 0 else HazardLevel.GENERAL,
            specialty=["gas", "roof"][i % 2],
            location=f"地点{i}",
        )
    # one changed after it was written, one deleted: the tallies follow every write
    moved = Hazard.objects.filter(mine=county.mine1).order_by("pk").first()
    Hazard.objects.filter(pk=moved.pk).update(status=HazardStatus.CLOSED)
    Hazard.objects.filter(mine=county.mine2).order_by("pk").first().delete()
    levels = regulator_levels(county)
    county.city_user, county.province_user = levels.city_user, levels.province_user
    county.other_city_user = levels.other_city_user
    county.superuser = UserFactory(username="root", is_superuser=True, organization=None)
    return county


FILTERS = [
    {},
    {"status": HazardStatus.CLOSED},
    {"level": HazardLevel.MAJOR},
    {"specialty": "gas", "active": "true"},
    {"active": "false"},
    {"status": HazardStatus.OPEN, "level": HazardLevel.GENERAL, "specialty": "roof"},
    {"q": "地点1"},  # not a tally's dimension: the rows are counted
    {"overdue": "true"},
]


def _hazard_counts(queries):
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and '"hazards_hazard"' in q["sql"]]


WHO = [
    "inspector",
    "ent1_officer",
    "mine1_officer",
    "other_inspector",
    "city_user",
    "province_user",
    "other_city_user",
    "superuser",
]


def _counted(user, filters):
    return HazardFilter(filters, queryset=Hazard.objects.visible_to(user)).qs.count()


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("filters", FILTERS)
def test_the_page_numbers_count_is_what_counting_the_users_rows_gives(api_client, ledger, who, filters):
    user = getattr(ledger, who)
    api_client.force_authenticate(user)
    body = api_client.get(URL, {**filters, "page_size": 2}).json()
    expected = _counted(user, filters)
    assert body["count"] == expected and body["count_is_estimate"] is False
    assert len(body["results"]) == min(2, expected)


@pytest.mark.parametrize("who", ["inspector", "other_inspector", "city_user", "other_city_user", "province_user"])
def test_a_mine_moved_to_another_county_is_counted_where_it_now_is(api_client, ledger, who):
    # only the county changes (an administrator's correction; save() would take it from the enterprise again)
    type(ledger.mine2).objects.filter(pk=ledger.mine2.pk).update(bureau=ledger.other_bureau)
    user = getattr(ledger, who)
    api_client.force_authenticate(user)
    for filters in ({}, {"status": HazardStatus.CLOSED}):
        assert api_client.get(URL, filters).json()["count"] == _counted(user, filters)


def test_a_mine_filter_counts_only_that_mine_and_a_mine_not_in_sight_is_refused(api_client, ledger):
    api_client.force_authenticate(ledger.inspector)
    body = api_client.get(URL, {"mine": ledger.mine1.pk}).json()
    assert body["count"] == Hazard.objects.filter(mine=ledger.mine1).count()
    assert api_client.get(URL, {"mine": ledger.other_mine.pk}).status_code == 400  # not among the choices


def test_tallied_filters_read_the_tallies_and_others_count_the_rows(api_client, ledger):
    api_client.force_authenticate(ledger.inspector)
    with CaptureQueriesContext(connection) as tallied:
        api_client.get(URL, {"status": HazardStatus.CLOSED, "page": 2, "page_size": 2})
    assert not _hazard_counts(tallied.captured_queries)
    assert any('"dashboards_countyhazardtally"' in q["sql"] for q in tallied.captured_queries)
    with CaptureQueriesContext(connection) as searched:
        api_client.get(URL, {"q": "地点", "page_size": 2})
    assert _hazard_counts(searched.captured_queries)


def test_a_page_past_the_end_is_still_a_404_with_the_counted_paginator(api_client, ledger):
    api_client.force_authenticate(ledger.inspector)
    assert api_client.get(URL, {"page": 99, "page_size": 2}).status_code == 404


# --- 三违: per mine by day, type and severity; per county by day and severity -------------------------------------

VIOLATIONS_URL = "/api/v1/violations/"


@pytest.fixture
def violations(ledger):
    mines = [ledger.mine1, ledger.mine2, ledger.mine3, ledger.other_mine]
    today = dt.date.today()
    for i in range(20):
        ViolationFactory(
            mine=mines[i % 4],
            occurred_on=today - dt.timedelta(days=i % 6),
            type=["command", "operation", "discipline"][i % 3],
            severity="serious" if i % 4 == 0 else "general",
        )
    Violation.objects.filter(mine=ledger.mine3).order_by("pk").first().delete()
    ledger.days = (today - dt.timedelta(days=4), today - dt.timedelta(days=1))
    return ledger


def _violation_filters(days):
    after, before = (d.isoformat() for d in days)
    return [
        {},
        {"severity": "serious"},
        {"type": "command"},
        {"occurred_after": after, "occurred_before": before},
        {"severity": "general", "occurred_after": after},
        {"type": "operation", "occurred_before": before},
        {"person": "职工1"},  # not a tally's dimension: the rows are counted
    ]


@pytest.mark.parametrize("who", WHO)
def test_the_violations_page_numbers_count_is_what_counting_the_users_rows_gives(api_client, violations, who):
    user = getattr(violations, who)
    api_client.force_authenticate(user)
    for filters in _violation_filters(violations.days):
        body = api_client.get(VIOLATIONS_URL, {**filters, "page_size": 2}).json()
        expected = ViolationFilter(filters, queryset=Violation.objects.visible_to(user)).qs.count()
        assert (body["count"], body["count_is_estimate"]) == (expected, False), filters
    picked = api_client.get(VIOLATIONS_URL, {"mine": violations.mine1.pk})
    if picked.status_code == 200:  # a 煤矿 the user may pick
        assert picked.json()["count"] == Violation.objects.visible_to(user).filter(mine=violations.mine1).count()


def test_a_county_reads_the_county_tally_of_violations_unless_a_type_is_asked(api_client, violations):
    api_client.force_authenticate(violations.inspector)
    with CaptureQueriesContext(connection) as by_severity:
        api_client.get(VIOLATIONS_URL, {"severity": "serious"})
    assert any('"dashboards_countyviolationtally"' in q["sql"] for q in by_severity.captured_queries)
    with CaptureQueriesContext(connection) as by_type:
        api_client.get(VIOLATIONS_URL, {"type": "command"})
    assert any('"dashboards_violationtally"' in q["sql"] for q in by_type.captured_queries)
    assert not [
        q for q in by_type.captured_queries if "COUNT(" in q["sql"].upper() and "violations_violation" in q["sql"]
    ]
