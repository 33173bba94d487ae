"""Dashboards above the county (issue 22, item 3): a city ranks its counties, a province its cities, with the county
dashboard's own figures; the workbook, the big screen and the API at every level; a fixed number of queries."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import MineStatus, Role
from dashboards.dashboard import compute_dashboard, risk_ranking
from tests.factories import (
    BureauFactory,
    EnterpriseFactory,
    HazardFactory,
    MineFactory,
    UserFactory,
    ViolationFactory,
    regulator_levels,
    running_campaign,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
FIGURES = ("not_closed", "overdue", "major_open", "suspended", "violations_month", "score")


def _fill(mines, *, serious=1):
    """Hazards of every kind, 三违 this month and serious ones, a mine under 停产整顿, and in each mine a 疑似重大隐患
    待核实 (a hazard its own check recorded as 一般 that reads as a major one)."""
    from hazards.services.suspected import suspected_major_record_many

    first, *rest = mines
    readings = [HazardFactory(mine=m, description="回风巷甲烷传感器超限后不能断电") for m in mines]
    assert suspected_major_record_many(hazard_ids=[h.pk for h in readings]) == len(mines)
    HazardFactory.create_batch(2, mine=first)
    HazardFactory(mine=first, level="major", due_on=TODAY - dt.timedelta(days=1))
    HazardFactory(mine=first, status="closed", accepted_on=TODAY)
    for mine in rest:
        HazardFactory(mine=mine, due_on=TODAY - dt.timedelta(days=2))
        ViolationFactory(mine=mine, severity="serious", occurred_on=TODAY - dt.timedelta(days=1))
    ViolationFactory.create_batch(serious, mine=first, severity="serious", occurred_on=TODAY - dt.timedelta(days=1))
    ViolationFactory(mine=first, occurred_on=TODAY.replace(day=1))
    first.status = MineStatus.SUSPENDED
    first.save(update_fields=["status"])


def _county_below(city, code, n_mines=2):
    bureau = BureauFactory(parent=city, division_code=code, name=f"测试县{code}")
    enterprise = EnterpriseFactory(parent=bureau)
    mines = [MineFactory(parent=enterprise) for _ in range(n_mines)]
    leader = UserFactory(username=f"leader{code}", role=Role.LEADER, organization=bureau)
    return bureau, mines, leader


@pytest.fixture
def levels(county):
    lv = regulator_levels(county)
    running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=20))
    _fill([county.mine1, county.mine2, county.mine3], serious=2)
    # 沁水: a campaign over one mine only (the other is not ranked, its hazards still count as the county's)
    lv.qinshui, (m1, m2), lv.qinshui_leader = _county_below(lv.city, "140521")
    campaign = running_campaign(bureau=lv.qinshui, starts_on=TODAY - dt.timedelta(days=30))
    campaign.covers_all_units = False
    campaign.save(update_fields=["covers_all_units"])
    campaign.participants.set([m1])
    _fill([m2, m1])
    # a county without any campaign
    lv.quiet, mines, lv.quiet_leader = _county_below(lv.city, "140524", n_mines=1)
    HazardFactory(mine=mines[0], level="major")
    # beside: the other city's county has hazards of its own
    HazardFactory.create_batch(3, mine=county.other_mine, level="major")
    return lv


def _own_figures(leader):
    """The county dashboard's figures, as its own leadership group reads them."""
    d = compute_dashboard(user=leader, today=TODAY)
    return {
        "not_closed": d["hazards"]["not_closed"],
        "overdue": d["hazards"]["overdue"],
        "major_open": d["hazards"]["major_open"],
        "suspended": len(d["suspended_mines"]),
        "violations_month": d["violations_month"]["total"],
        "score": sum(r["score"] for r in risk_ranking(user=leader, campaign=d["campaign"], today=TODAY)),
    }


def test_the_city_ranking_has_each_countys_own_figures(client, api_client, county, levels):
    api_client.force_authenticate(levels.city_user)
    payload = api_client.get("/api/v1/dashboard/").json()
    assert payload["level"] == "city"
    rows = {r["id"]: r for r in payload["counties"]}
    assert set(rows) == {county.bureau.pk, levels.qinshui.pk, levels.quiet.pk}  # never the other city's county
    for bureau, leader in (
        (county.bureau, county.leader),
        (levels.qinshui, levels.qinshui_leader),
        (levels.quiet, levels.quiet_leader),
    ):
        own = _own_figures(leader)
        assert {k: rows[bureau.pk][k] for k in FIGURES} == own, bureau.name
    # the figures are not all zero: the test would not notice a ranking of nothing
    assert rows[county.bureau.pk]["score"] > 0 and rows[levels.qinshui.pk]["major_open"] == 1
    assert payload["totals"]["not_closed"] == sum(r["not_closed"] for r in rows.values())
    scores = [r["score"] for r in payload["counties"]]
    assert scores == sorted(scores, reverse=True)
    # the page shows the same rows, each linking to the county's own dashboard (its mines ranked)
    client.force_login(levels.city_user)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    for pk in rows:
        assert f"/dashboard/?bureau={pk}" in html
        assert f'data-county="{pk}"' in html
    assert county.other_bureau.name not in html
    drill = client.get(f"/dashboard/?bureau={county.bureau.pk}")
    assert drill.status_code == 200 and 'id="ranking"' in drill.content.decode()


def test_the_province_ranks_its_cities_and_opens_each(client, api_client, county, levels):
    api_client.force_authenticate(levels.province_user)
    payload = api_client.get("/api/v1/dashboard/").json()
    assert payload["level"] == "province"
    assert [c["id"] for c in payload["cities"]] == [levels.city.pk]  # 外市 is under no province
    city_row = payload["cities"][0]
    assert city_row["counties"] == 3
    for key in FIGURES:
        assert city_row[key] == sum(r[key] for r in payload["counties"]) == payload["totals"][key]
    narrowed = api_client.get(f"/api/v1/dashboard/?city={levels.city.pk}").json()
    assert narrowed["level"] == "city" and narrowed["city"]["id"] == levels.city.pk
    assert {r["id"] for r in narrowed["counties"]} == {r["id"] for r in payload["counties"]}
    client.force_login(levels.province_user)
    html = client.get("/dashboard/").content.decode()
    assert f"/dashboard/?city={levels.city.pk}" in html and 'data-testid="cities"' in html
    assert client.get(f"/dashboard/?city={levels.city.pk}").status_code == 200
    # a city not below, a county's id, or no number: 404
    for raw in (levels.other_city.pk, county.bureau.pk, "abc"):
        assert client.get(f"/dashboard/?city={raw}").status_code == 404
    client.force_login(levels.city_user)
    assert client.get(f"/dashboard/?city={levels.other_city.pk}").status_code == 404
    assert client.get(f"/dashboard/?city={levels.province.pk}").status_code == 404


def test_a_county_never_sees_a_neighbours_row(client, api_client, county, levels):
    client.force_login(county.leader)
    assert client.get(f"/dashboard/?bureau={levels.qinshui.pk}").status_code == 404
    assert client.get(f"/dashboard/screen/?bureau={county.other_bureau.pk}").status_code == 404
    assert client.get(f"/dashboard/export/?bureau={levels.qinshui.pk}").status_code == 404
    own = client.get(f"/dashboard/?bureau={county.bureau.pk}")
    assert own.status_code == 200 and levels.qinshui.name not in own.content.decode()
    client.force_login(county.mine1_officer)
    assert client.get(f"/dashboard/?bureau={county.other_bureau.pk}").status_code == 404
    api_client.force_authenticate(county.leader)
    payload = api_client.get("/api/v1/dashboard/").json()
    assert payload["level"] == "county" and "counties" not in payload
    assert payload["hazards"]["not_closed"] == _own_figures(county.leader)["not_closed"]
    assert api_client.get(f"/api/v1/dashboard/?bureau={levels.qinshui.pk}").status_code == 404


def test_export_and_screen_answer_at_every_level(client, county, levels):
    for user in (levels.city_user, levels.province_user):
        client.force_login(user)
        screen = client.get("/dashboard/screen/")
        assert screen.status_code == 200
        html = screen.content.decode()
        assert 'http-equiv="refresh"' in html and f'data-county="{county.bureau.pk}"' in html
        assert county.other_bureau.name not in html
        export = client.get("/dashboard/export/")
        assert export.status_code == 200
        wb = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
        assert "各县排名" in wb.sheetnames and "合计" in wb.sheetnames
        assert ("各市排名" in wb.sheetnames) == (user == levels.province_user)
        names = {row[1] for row in wb["各县排名"].iter_rows(values_only=True)}
        assert {county.bureau.name, levels.qinshui.name, levels.quiet.name} <= names
        assert county.other_bureau.name not in names
        totals = {row[0]: row[1] for row in wb["合计"].iter_rows(values_only=True)}
        leaders = (county.leader, levels.qinshui_leader, levels.quiet_leader)
        assert totals["未销号隐患"] == sum(_own_figures(u)["not_closed"] for u in leaders)
    client.force_login(levels.province_user)
    assert client.get(f"/dashboard/screen/?city={levels.city.pk}").status_code == 200
    assert client.get(f"/dashboard/export/?city={levels.city.pk}").status_code == 200
    assert client.get(f"/dashboard/screen/?city={levels.other_city.pk}").status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/screen/", "/dashboard/export/", "/api/v1/dashboard/"])
def test_the_ranking_costs_the_same_queries_for_one_county_or_six(client, county, url):
    lv = regulator_levels(county)
    county.bureau.parent = None  # the city starts with one county of its own
    county.bureau.save(update_fields=["parent"])

    def add_county(n):
        bureau, mines, _ = _county_below(lv.city, f"1405{30 + n}", n_mines=3)
        campaign = running_campaign(bureau=bureau, starts_on=TODAY - dt.timedelta(days=20))
        if n % 2:  # half of them over named units, each a condition of its own
            campaign.covers_all_units = False
            campaign.save(update_fields=["covers_all_units"])
            campaign.participants.set(mines[:2])
        _fill(mines)

    add_county(0)
    client.force_login(lv.city_user)
    one = _queries(client, url)
    for n in range(1, 6):
        add_county(n)
    six = _queries(client, url)
    assert six == one, f"{url}: {one} queries for one county, {six} for six"
    assert one <= 20


def test_the_county_lens_holds_on_the_lists_the_tiles_link_to(client, county, levels):
    """A tile on a county's home page read from the city and the list behind it count the same rows: `?bureau=` reads
    the ledgers and lists as that county too (dashboards.middleware); a county not below is 404."""
    from hazards.models import Hazard

    client.force_login(levels.city_user)
    home = client.get(f"/?bureau={county.bureau.pk}")
    assert home.status_code == 200
    assert f"/hazards/?active=true&amp;bureau={county.bureau.pk}" in home.content.decode()
    listed = client.get(f"/hazards/?bureau={county.bureau.pk}")
    shown = {h.mine.bureau_id for h in listed.context["page"].object_list}
    assert shown == {county.bureau.pk}
    assert Hazard.objects.filter(mine__bureau=levels.qinshui).exists()  # the other county has some, not shown
    everything = client.get("/hazards/")
    assert {county.bureau.pk, levels.qinshui.pk} <= {h.mine.bureau_id for h in everything.context["page"].object_list}
    assert client.get(f"/hazards/?bureau={county.other_bureau.pk}").status_code == 404  # another city's county
    assert client.get("/hazards/?bureau=abc").status_code == 404
    # a county's own users: the parameter means nothing on a list (their scope is their county already)
    client.force_login(county.inspector)
    assert client.get(f"/hazards/?bureau={levels.qinshui.pk}").status_code == 200


def test_every_link_of_a_county_dashboard_read_from_the_city_keeps_the_county(client, county, levels):
    """The dashboard of a county read from above (`/dashboard/?bureau=`): each link to a list carries the county, so
    the list it opens counts what its tile counted; the tiles counted over a window (the phase's inspections, the
    controls' last 30 days) carry their first day too."""
    import re

    client.force_login(levels.city_user)
    page = client.get(f"/dashboard/?bureau={county.bureau.pk}")
    assert page.status_code == 200
    html = page.content.decode().split("<main", 1)[1].split("</main>", 1)[0]  # the page, not the site's menu
    lists = ("/hazards/", "/violations/", "/inspections/", "/workforce/", "/submissions/", "/mines/", "/accidents/")
    links = [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)]
    to_lists = [href for href in links if href.startswith(lists)]
    assert len(to_lists) > 10
    assert [href for href in to_lists if f"bureau={county.bureau.pk}" not in href] == []
    assert any("over=over_underground&entered_after=" in href for href in to_lists)
    assert any("late=true&shift_after=" in href for href in to_lists)
    assert any("retraining_open=true" in href for href in to_lists)
    # a county's own user reads its own county: no parameter on its links
    client.force_login(county.inspector)
    own = client.get("/dashboard/").content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert "?bureau=" not in own and "&amp;bureau=" not in own
