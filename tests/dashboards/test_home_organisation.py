"""The home page and who is responsible: an inspector's home starts with "我包保的煤矿" (status, open hazards, open
major hazards, last inspection and days since); a mine's home shows its 监管专员 and the bureau's phone and e-mail."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from accounts.services import bureau_contacts_update, mine_supervisor_assign
from hazards.services import inspection_create
from tests.factories import HazardFactory, MineFactory, running_campaign

pytestmark = pytest.mark.django_db

ON_DEC_10 = dt.datetime(2024, 12, 10, 4, tzinfo=dt.UTC)


@pytest.fixture
def world(county):
    running_campaign(bureau=county.bureau)
    county.inspector.full_name, county.inspector.phone = "刘伟", "13835612345"
    county.inspector.save()
    for mine in (county.mine1, county.mine2):
        mine_supervisor_assign(actor=county.inspector, mine=mine, supervisor=county.inspector)
    county.mine2.status = "suspended"
    county.mine2.save()
    HazardFactory(mine=county.mine1)
    HazardFactory(mine=county.mine1, status="closed")
    HazardFactory(mine=county.mine2, level="major", contingency_plan="撤人")
    HazardFactory(mine=county.mine3)  # not his mine
    with time_machine.travel(ON_DEC_10, tick=False):
        inspection_create(actor=county.inspector, mine=county.mine1, inspected_on=dt.date(2024, 12, 3), mode="open")
    bureau_contacts_update(
        actor=county.inspector, bureau=county.bureau, contact_phone="4220723", contact_email="jjy0425@163.com"
    )
    return county


def home(client, user):
    client.force_login(user)
    with time_machine.travel(ON_DEC_10, tick=False):
        response = client.get("/")
    assert response.status_code == 200
    return response


def test_the_inspectors_home_starts_with_his_mines(client, world):
    response = home(client, world.inspector)
    rows = {r["mine"].name: r for r in response.context["my_mines"]}
    assert set(rows) == {"东峰煤矿", "西岭煤矿"}
    east, west = rows["东峰煤矿"], rows["西岭煤矿"]
    assert (east["open"], east["major_open"], east["last_inspected_on"], east["days_since"]) == (
        1,
        0,
        dt.date(2024, 12, 3),
        7,
    )
    assert (west["open"], west["major_open"], west["last_inspected_on"], west["days_since"]) == (1, 1, None, None)
    html = response.content.decode()
    assert "我包保的煤矿" in html and "停产整顿" in html and "未检查" in html
    assert html.index("我包保的煤矿") < html.index("各单位报送时限")  # it starts the page


def test_a_bureau_user_without_mines_is_told_so_and_mines_see_no_such_panel(client, world):
    html = home(client, world.leader).content.decode()
    assert "我包保的煤矿" not in html  # the leadership group supervises no mine
    assert "我包保的煤矿" not in home(client, world.mine1_officer).content.decode()


def test_a_mine_officer_sees_his_supervisor_and_the_bureaus_contacts(client, world):
    html = home(client, world.mine1_officer).content.decode()
    assert "本矿监管专员" in html and "刘伟" in html and "13835612345" in html
    assert "4220723" in html and "jjy0425@163.com" in html
    html = home(client, world.mine3_officer).content.decode()
    assert "本矿监管专员" in html and "尚未安排" in html and "刘伟" not in html
    assert "4220723" in html


@pytest.mark.parametrize("extra", [0, 10])
def test_the_home_page_queries_do_not_grow_with_his_mines(client, world, extra, django_assert_max_num_queries):
    for _ in range(extra):
        mine = MineFactory(parent=world.ent1)
        mine_supervisor_assign(actor=world.inspector, mine=mine, supervisor=world.inspector)
        HazardFactory(mine=mine, funds=Decimal(1))
    client.force_login(world.inspector)
    # 17: with the one for the main leaders' 检查 (四(四)3) awaited or to be received.
    with time_machine.travel(ON_DEC_10, tick=False), django_assert_max_num_queries(18):  # +1: the campaign switcher
        client.get("/")
    client.force_login(world.mine1_officer)
    # 17 for a mine: one more for the 通报批评 naming it that it has not read (accountability.home)
    # and one for the 三违 whose 科队长问责 is overdue or the main leader's 检查 owed (四(四)3);
    # +1: the campaign switcher
    with time_machine.travel(ON_DEC_10, tick=False), django_assert_max_num_queries(19):
        client.get("/")
