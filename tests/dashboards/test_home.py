import datetime as dt

import pytest
import time_machine

from tests.factories import running_campaign

pytestmark = pytest.mark.django_db

ON_DEC_1 = dt.datetime(2024, 12, 1, 4, tzinfo=dt.UTC)  # noon in Shanghai, enforcement phase


@pytest.fixture
def campaign(county):
    return running_campaign(bureau=county.bureau)


def home(client, user):
    client.force_login(user)
    with time_machine.travel(ON_DEC_1, tick=False):
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_mine_officer_home_shows_phase_and_what_the_mine_owes(client, county, campaign):
    html = home(client, county.mine1_officer)
    assert "当前：部门精准执法阶段" in html
    assert "东峰煤矿" in html
    assert "本单位应报送事项" in html
    assert "问题隐患清单和整改清单" in html  # mines owe the self-check lists
    assert "12月工作进展情况" in html
    assert "30 天" in html  # 12-31 is 30 days after 12-01
    assert "已过 31 天" in html  # the work plan was due 10-31
    assert "today-marker" in html


def test_enterprise_home_lists_its_deadlines_and_its_mines_only(client, county, campaign):
    html = home(client, county.ent1_officer)
    assert "本单位应报送事项" in html
    assert "问题隐患清单和整改清单" not in html  # owed by mines only
    assert "总体工作总结" in html
    assert '<div class="fs-3 fw-semibold">2</div>' in html  # two mines


def test_bureau_home_shows_all_deadlines_and_all_its_mines(client, county, campaign):
    county.mine3.status = "suspended"
    county.mine3.save()
    for user in (county.inspector, county.leader):
        html = home(client, user)
        assert "各单位报送时限" in html
        assert '<div class="fs-3 fw-semibold">3</div>' in html
        assert '<div class="fs-3 fw-semibold text-danger">1</div>' in html


def test_home_without_campaign_says_so(client, county):
    assert "当前没有进行中的专项整治" in home(client, county.mine1_officer)


@pytest.mark.parametrize("rows", [1, 30])
def test_home_query_count_is_bounded(client, county, campaign, rows, django_assert_max_num_queries):
    from tests.factories import HazardFactory, ViolationFactory

    HazardFactory.create_batch(rows, mine=county.mine1)
    ViolationFactory.create_batch(rows, mine=county.mine2)
    client.force_login(county.inspector)
    # 16: one more than before for the inspector's 我包保的煤矿 (one query for all his mines); 17: one for the main
    # leaders' 检查 (四(四)3) awaited or to be received.
    with time_machine.travel(ON_DEC_1, tick=False), django_assert_max_num_queries(18):  # +1: the campaign switcher
        client.get("/")


def test_home_hazard_figures_match_the_lists_they_link_to(client, county, campaign):
    from tests.factories import HazardFactory

    today = dt.date(2024, 12, 1)
    HazardFactory(mine=county.mine1, status="open", due_on=today - dt.timedelta(days=1))
    HazardFactory(mine=county.mine1, status="rectifying", due_on=today + dt.timedelta(days=3))
    HazardFactory(mine=county.mine1, status="awaiting_acceptance", level="major", due_on=today)
    HazardFactory(mine=county.mine1, status="closed", due_on=today - dt.timedelta(days=9))
    HazardFactory(mine=county.mine2, status="open", due_on=today - dt.timedelta(days=1))
    html = home(client, county.mine1_officer)
    assert '<div class="fs-4 fw-semibold">3</div><div class="small text-secondary">未销号隐患</div>' in html
    assert '<div class="fs-4 fw-semibold text-danger">1</div><div class="small text-secondary">逾期未整改</div>' in html
    assert '<div class="fs-4 fw-semibold text-info">1</div><div class="small text-secondary">待验收</div>' in html
    assert '<div class="fs-4 fw-semibold text-danger">1</div><div class="small text-secondary">重大隐患</div>' in html
    with time_machine.travel(ON_DEC_1, tick=False):
        active = client.get("/hazards/", {"active": "true"})
        overdue = client.get("/hazards/", {"overdue": "true"})
    assert active.context["page"].paginator.count == 3
    assert overdue.context["page"].paginator.count == 1
