"""检查覆盖: per mine, the bureau's inspections of the current phase of the campaign, days since the last one, how many
were 四不两直; mines not yet inspected in this phase are flagged, and so is an inspection without a 逢查必考 exam
(here, on the inspection list and on its page)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accounts.services import mine_supervisor_assign
from hazards.services import exam_record, inspection_create
from tests.factories import HazardFactory, MineFactory, running_campaign

pytestmark = pytest.mark.django_db

ON_DEC_10 = dt.datetime(2024, 12, 10, 4, tzinfo=dt.UTC)  # noon in Shanghai, enforcement phase (11-26 → 01-20)
TODAY = dt.date(2024, 12, 10)


@pytest.fixture
def world(county):
    campaign = running_campaign(bureau=county.bureau)
    with time_machine.travel(ON_DEC_10, tick=False):
        surprise = inspection_create(
            actor=county.inspector, mine=county.mine1, inspected_on=dt.date(2024, 12, 1), mode="four_no_two_direct"
        )
        exam_record(
            actor=county.inspector, inspection=surprise, person_name="赵建平", post="瓦斯检查工", score=Decimal(92)
        )
        unexamined = inspection_create(
            actor=county.inspector, mine=county.mine1, inspected_on=dt.date(2024, 12, 5), mode="open", notes="明查"
        )
        # The enterprise checking itself is not the bureau's inspection: neither counted nor asked for an exam.
        own = inspection_create(
            actor=county.ent1_officer, mine=county.mine1, inspected_on=dt.date(2024, 12, 8), mode="self"
        )
        earlier = inspection_create(
            actor=county.inspector, mine=county.mine2, inspected_on=dt.date(2024, 11, 10), mode="physical"
        )
        exam_record(actor=county.inspector, inspection=earlier, person_name="孙海", post="局部通风机司机", score=85)
        mine_supervisor_assign(actor=county.inspector, mine=county.mine3, supervisor=county.inspector)
    return {"campaign": campaign, "surprise": surprise, "unexamined": unexamined, "own": own, "earlier": earlier}


def get(client, user, url, **params):
    client.force_login(user)
    with time_machine.travel(ON_DEC_10, tick=False):
        return client.get(url, params)


def test_the_coverage_of_the_current_phase_per_mine(client, county, world):
    response = get(client, county.inspector, reverse("inspection_coverage"))
    assert response.status_code == 200
    assert response.context["phase"].code == "enforcement"
    rows = {m.name: m for m in response.context["page"]}
    assert set(rows) == {"东峰煤矿", "西岭煤矿", "北坡煤矿"}
    east, west, north = rows["东峰煤矿"], rows["西岭煤矿"], rows["北坡煤矿"]
    assert (east.phase_inspections, east.phase_four_no_two, east.phase_exam_missing) == (2, 1, 1)
    assert (east.last_inspected_on, east.days_since) == (dt.date(2024, 12, 5), 5)
    assert not east.not_inspected
    assert (west.phase_inspections, west.last_inspected_on, west.days_since) == (0, dt.date(2024, 11, 10), 30)
    assert west.not_inspected and north.not_inspected
    assert north.last_inspected_on is None and north.days_since is None
    assert response.context["not_inspected_count"] == 2
    # Mines not yet inspected come first: they are what the bureau has to do.
    assert {m.name for m in list(response.context["page"])[:2]} == {"西岭煤矿", "北坡煤矿"}
    html = response.content.decode()
    assert "本阶段未检查" in html and "未考试" in html and "四不两直" in html
    assert [i.pk for i in response.context["exam_missing"]] == [world["unexamined"].pk]
    assert county.inspector.display_name in html  # 北坡煤矿's 监管专员


def test_another_phase_and_the_flag_filter(client, county, world):
    response = get(client, county.inspector, reverse("inspection_coverage"), phase="self_check")
    rows = {m.name: m for m in response.context["page"]}
    assert rows["西岭煤矿"].phase_inspections == 1 and rows["东峰煤矿"].not_inspected
    response = get(client, county.inspector, reverse("inspection_coverage"), not_inspected="1")
    assert {m.name for m in response.context["page"]} == {"西岭煤矿", "北坡煤矿"}


def test_the_coverage_is_the_bureaus_page(client, county, world):
    assert get(client, county.leader, reverse("inspection_coverage")).status_code == 200
    for who in ("mine1_officer", "ent1_officer"):
        assert get(client, getattr(county, who), reverse("inspection_coverage")).status_code == 403
    html = get(client, county.other_inspector, reverse("inspection_coverage")).content.decode()
    assert "东峰煤矿" not in html


@pytest.mark.parametrize("extra", [0, 12])
def test_the_coverage_page_queries_do_not_grow(client, county, world, extra, django_assert_max_num_queries):
    with time_machine.travel(ON_DEC_10, tick=False):
        for _ in range(extra):
            mine = MineFactory(parent=county.ent2)
            mine_supervisor_assign(actor=county.inspector, mine=mine, supervisor=county.inspector)
            inspection_create(actor=county.inspector, mine=mine, inspected_on=TODAY, mode="covert")
            HazardFactory(mine=mine)
    client.force_login(county.inspector)
    with time_machine.travel(ON_DEC_10, tick=False), django_assert_max_num_queries(12):
        assert client.get(reverse("inspection_coverage")).status_code == 200


def test_an_inspection_without_an_exam_is_flagged_on_the_list_and_its_page(client, api_client, county, world):
    response = get(client, county.inspector, reverse("inspection_list"))
    flagged = {i.pk for i in response.context["page"] if i.exam_missing}
    assert flagged == {world["unexamined"].pk}
    assert "未考试" in response.content.decode()
    only = get(client, county.inspector, reverse("inspection_list"), exam_missing="true")
    assert [i.pk for i in only.context["page"]] == [world["unexamined"].pk]
    page = get(client, county.inspector, reverse("inspection_detail", kwargs={"pk": world["unexamined"].pk}))
    assert "本次检查未开展逢查必考" in page.content.decode()
    page = get(client, county.inspector, reverse("inspection_detail", kwargs={"pk": world["surprise"].pk}))
    assert "本次检查未开展逢查必考" not in page.content.decode()
    api_client.force_authenticate(county.inspector)
    rows = {r["id"]: r for r in api_client.get("/api/v1/inspections/").json()["results"]}
    assert rows[world["unexamined"].pk]["exam_missing"] is True
    assert rows[world["surprise"].pk]["exam_missing"] is False and rows[world["own"].pk]["exam_missing"] is False
