"""The charts above the county (issue 22, item 3): a city's regulator sees its counties ranked on the county charts'
own figures, each county opening its own charts; the page, its data and the API answer the same; the campaign
switcher picks a county's campaign; a fixed number of queries whatever the number of counties."""

import datetime as dt

import pytest

from dashboards.charts import LEVEL_SERIES, on_time_rate
from dashboards.dashboard import compute_dashboard
from reporting import services as rp
from tests.dashboards.test_levels_dashboard import TODAY, _county_below, _fill, _own_figures, levels  # noqa: F401
from tests.factories import regulator_levels, running_campaign

pytestmark = pytest.mark.django_db
KEYS = [k for k, _, _ in LEVEL_SERIES]


def test_the_city_charts_rank_its_counties_with_their_own_figures(client, api_client, county, levels):  # noqa: F811
    api_client.force_authenticate(levels.city_user)
    payload = api_client.get("/api/v1/dashboard/charts/").json()
    assert payload["level"] == "city"
    rows = {r["id"]: r for r in payload["counties"]}
    assert set(rows) == {county.bureau.pk, levels.qinshui.pk, levels.quiet.pk}  # never the other city's county
    for bureau, leader in (
        (county.bureau, county.leader),
        (levels.qinshui, levels.qinshui_leader),
        (levels.quiet, levels.quiet_leader),
    ):
        own = _own_figures(leader)
        assert {k: rows[bureau.pk][k] for k in own} == own, bureau.name
    assert [s["key"] for s in payload["series"]] == KEYS
    for s in payload["series"]:
        values = [c["value"] for c in s["counties"] if c["value"] is not None]
        assert len(s["counties"]) == 3
        assert values == sorted(values, reverse=s["key"] != "on_time_rate"), s["key"]
    # the page's own data answers the same
    client.force_login(levels.city_user)
    assert client.get("/dashboard/data/").json()["counties"] == payload["counties"]
    page = client.get("/dashboard/charts/")
    assert page.status_code == 200
    html = page.content.decode()
    for pk in rows:
        assert f"/dashboard/charts/?bureau={pk}" in html
        assert f'data-county="{pk}"' in html
    for key in KEYS:
        assert f'data-series="{key}"' in html
    assert county.other_bureau.name not in html
    # each county opens as its own charts (read-only), a neighbour's is not in sight
    assert 'data-chart="hazards_weekly"' in client.get(f"/dashboard/charts/?bureau={county.bureau.pk}").content.decode()
    assert client.get(f"/dashboard/charts/?bureau={county.other_bureau.pk}").status_code == 404


def test_on_time_is_the_county_charts_share(client, county, levels):  # noqa: F811
    """报送按期率 counts the reports the county's ranked mines owed by today and sent on time, as the score does."""
    campaign = county.bureau.campaigns.get()
    deadline = campaign.deadlines.get(kind="work_plan")
    client.force_login(levels.city_user)
    # mine1 sends its work plan while it is due tomorrow (on time); then the day passes
    deadline.due_on = TODAY + dt.timedelta(days=1)
    deadline.save(update_fields=["due_on"])
    sub = rp.submission_open(actor=county.mine1_officer, deadline=deadline)
    plan = dict.fromkeys(("goals", "organization", "measures_1", "measures_2", "measures_3", "measures_4"), "x")
    rp.submission_save(actor=county.mine1_officer, submission=sub, narrative=plan)
    assert not rp.submission_submit(actor=county.mine1_officer, submission=sub).late
    before = {r["id"]: r for r in client.get("/dashboard/data/").json()["counties"]}[county.bureau.pk]
    deadline.due_on = TODAY - dt.timedelta(days=1)
    deadline.save(update_fields=["due_on"])
    after = {r["id"]: r for r in client.get("/dashboard/data/").json()["counties"]}[county.bureau.pk]
    # three ranked mines now owe one more report, and one of them sent it on time
    assert after["reports_owed"] == before["reports_owed"] + 3
    assert after["reports_on_time"] == before["reports_on_time"] + 1
    assert after["on_time_rate"] == on_time_rate(after)
    assert after["on_time_rate"] == round(100 * after["reports_on_time"] / after["reports_owed"], 1)
    assert compute_dashboard(user=county.leader, today=TODAY)["campaign"].pk == campaign.pk


def test_the_switcher_has_the_county_read_the_campaign_picked(client, county, levels):  # noqa: F811
    old = running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=80))
    old.name = "冬季三防"
    old.save(update_fields=["name"])
    client.force_login(levels.city_user)
    default = {r["id"]: r for r in client.get("/dashboard/data/").json()["counties"]}
    page = client.get(f"/dashboard/charts/?campaign={old.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="campaign-switcher"' in html and "冬季三防" in html
    assert f"?bureau={county.bureau.pk}&amp;campaign={old.pk}" in html
    picked = {r["id"]: r for r in client.get(f"/dashboard/data/?campaign={old.pk}").json()["counties"]}
    # the other counties read their own default campaign either way
    assert picked[levels.qinshui.pk] == default[levels.qinshui.pk]
    beside = running_campaign(bureau=county.other_bureau, starts_on=TODAY - dt.timedelta(days=5))
    assert client.get(f"/dashboard/charts/?campaign={beside.pk}").status_code == 404  # a campaign beside: not found


def test_a_county_user_keeps_its_own_charts(client, api_client, county, levels):  # noqa: F811
    client.force_login(county.leader)
    html = client.get("/dashboard/charts/").content.decode()
    assert 'data-chart="hazards_weekly"' in html and 'data-testid="level-charts"' not in html
    api_client.force_authenticate(county.leader)
    payload = api_client.get("/api/v1/dashboard/charts/").json()
    assert "level" not in payload and "hazards_weekly" in payload


@pytest.mark.parametrize("url", ["/dashboard/charts/", "/dashboard/data/", "/api/v1/dashboard/charts/"])
def test_the_charts_cost_the_same_queries_for_two_counties_or_five(
    client, api_client, county, url, django_assert_max_num_queries
):
    lv = regulator_levels(county)
    county.bureau.parent = None  # the city starts with counties of its own only
    county.bureau.save(update_fields=["parent"])

    def add_county(n):
        bureau, mines, _ = _county_below(lv.city, f"1405{30 + n}", n_mines=3)
        campaign = running_campaign(bureau=bureau, starts_on=TODAY - dt.timedelta(days=20))
        if n % 2:  # half of them over named units, each a condition of its own
            campaign.covers_all_units = False
            campaign.save(update_fields=["covers_all_units"])
            campaign.participants.set(mines[:2])
        _fill(mines)

    def get():
        if url.startswith("/api/"):
            api_client.force_authenticate(lv.city_user)
            return api_client.get(url)
        client.force_login(lv.city_user)
        return client.get(url)

    for n in range(2):
        add_county(n)
    get()  # warm: the session, content types
    # 25: the boards read the tallies of the counties (one per ledger) and of the mines a county's campaign names
    # (one per ledger, a probe of the bucket index when none does) where they scanned the ledgers once each
    with django_assert_max_num_queries(25) as two:
        assert get().status_code == 200
    for n in range(2, 5):
        add_county(n)
    with django_assert_max_num_queries(len(two.captured_queries)) as five:
        response = get()
        assert response.status_code == 200
    assert len(five.captured_queries) == len(two.captured_queries)


def test_the_province_charts_rank_every_county_below_and_narrow_to_a_city(client, api_client, county, levels):  # noqa: F811
    api_client.force_authenticate(levels.province_user)
    payload = api_client.get("/api/v1/dashboard/charts/").json()
    assert payload["level"] == "province" and [c["id"] for c in payload["cities"]] == [levels.city.pk]
    assert {r["id"] for r in payload["counties"]} == {county.bureau.pk, levels.qinshui.pk, levels.quiet.pk}
    narrowed = api_client.get(f"/api/v1/dashboard/charts/?city={levels.city.pk}").json()
    assert narrowed["level"] == "city" and narrowed["city"]["id"] == levels.city.pk
    client.force_login(levels.province_user)
    html = client.get("/dashboard/charts/").content.decode()
    assert f"/dashboard/charts/?city={levels.city.pk}" in html and 'data-testid="cities"' in html
    assert client.get(f"/dashboard/charts/?city={levels.city.pk}").status_code == 200
    assert client.get(f"/dashboard/charts/?city={levels.other_city.pk}").status_code == 404


def test_many_campaigns_are_one_list_to_pick_from_each_named_with_its_county(client, county, levels):  # noqa: F811
    """A city (a province) with more campaigns than a row of buttons holds: one <select> (sent as it changes), each
    campaign named with its county — and the county's city when they are of several cities."""
    for n in range(7):
        bureau, _, _ = _county_below(levels.city, f"1405{60 + n}", n_mines=1)
        running_campaign(bureau=bureau, starts_on=TODAY - dt.timedelta(days=10))
    client.force_login(levels.city_user)
    html = client.get("/dashboard/charts/?bureau_unused=1&twice=a&twice=b&page=3").content.decode()
    switcher = html.split('data-testid="campaign-switcher"', 1)[1].split("</nav>", 1)[0]
    assert "<select" in switcher and "data-submit-on-change" in switcher
    assert switcher.count("<option") >= 8 and 'btn-outline-primary" href' not in switcher
    assert "测试县140560·" in switcher
    # the page's other parameters kept, each value of one chosen twice; its page number not
    assert '<input type="hidden" name="bureau_unused" value="1">' in switcher
    assert '<input type="hidden" name="twice" value="a"><input type="hidden" name="twice" value="b">' in switcher
    assert 'name="page"' not in switcher
