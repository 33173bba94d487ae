"""The dashboards' cached figures are keyed by what the user may see, not by the organisation alone."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.factories import HazardFactory, UserFactory

pytestmark = pytest.mark.django_db
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dashboard-cache-test"}}


@pytest.fixture
def cached():
    with override_settings(DASHBOARD_CACHE_SECONDS=300, CACHES=LOCMEM):
        cache.clear()
        yield
        cache.clear()


def test_an_orgless_user_is_never_served_the_operators_figures(cached, client, api_client, county):
    HazardFactory(mine=county.mine1, description="县里的隐患")
    HazardFactory(mine=county.other_mine, description="外县的隐患")
    operator = UserFactory(username="root", role="admin", organization=None, is_superuser=True, is_staff=True)
    stray = UserFactory(username="stray", role="inspector", organization=None)  # no organisation: sees nothing
    api_client.force_authenticate(operator)
    assert api_client.get("/api/v1/dashboard/").json()["hazards"]["total"] == 2
    client.force_login(operator)
    assert client.get("/dashboard/data/").json()["figures"]["hazards"]["total"] == 2
    # Now from the cache: the same figures must not reach a user who sees nothing.
    api_client.force_authenticate(stray)
    assert api_client.get("/api/v1/dashboard/").json()["hazards"]["total"] == 0
    client.force_login(stray)
    assert client.get("/dashboard/data/").json()["figures"]["hazards"]["total"] == 0
    assert "县里的隐患" not in client.get("/dashboard/").content.decode()


def test_the_cache_is_still_shared_within_one_scope(cached, api_client, county):
    HazardFactory(mine=county.mine1)
    api_client.force_authenticate(county.inspector)
    first = api_client.get("/api/v1/dashboard/").json()
    HazardFactory(mine=county.mine2)  # within the cache window: the figure stays
    api_client.force_authenticate(county.leader)
    assert api_client.get("/api/v1/dashboard/").json()["hazards"]["total"] == first["hazards"]["total"] == 1
    api_client.force_authenticate(county.ent1_officer)
    assert api_client.get("/api/v1/dashboard/").json()["hazards"]["total"] == 2  # another scope, computed afresh


def test_the_level_board_is_cached_per_scope_and_city(cached, client, api_client, county):
    """Above the county the ranking is cached like the county's figures: per scope (a city's never reaches another
    city's regulator), per `?city=`, and the page says when it was computed."""
    from tests.factories import regulator_levels

    lv = regulator_levels(county)
    HazardFactory(mine=county.mine1)
    api_client.force_authenticate(lv.city_user)
    first = api_client.get("/api/v1/dashboard/").json()
    assert first["totals"]["not_closed"] == 1
    HazardFactory(mine=county.mine2)  # within the cache window: the city's figure stays
    assert api_client.get("/api/v1/dashboard/").json()["totals"]["not_closed"] == 1
    # another scope computes afresh; the province's narrowed to the city is a key of its own
    api_client.force_authenticate(lv.province_user)
    assert api_client.get("/api/v1/dashboard/").json()["totals"]["not_closed"] == 2
    assert api_client.get(f"/api/v1/dashboard/?city={lv.city.pk}").json()["totals"]["not_closed"] == 2
    api_client.force_authenticate(lv.other_city_user)
    assert api_client.get("/api/v1/dashboard/").json()["totals"]["not_closed"] == 0
    client.force_login(lv.city_user)
    assert "数据统计于" in client.get("/dashboard/").content.decode()
