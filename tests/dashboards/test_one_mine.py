"""A user who sees one mine (a mine's officer, or an enterprise with a single mine) gets a one-mine dashboard: the
mine's own status and risk score instead of a ranking of one, and no comparison charts across mines or enterprises."""

import pytest
import time_machine

from accounts.models import Role
from dashboards.dashboard import dashboard
from tests.factories import UserFactory

from .test_dashboard import NOW, TODAY, known_county  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def page(client, user, path):
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def ent2_officer(known_county):  # noqa: F811
    # ent2 owns one mine (北坡煤矿): its officer sees one mine too
    return UserFactory(username="ent2", role=Role.ENTERPRISE_OFFICER, organization=known_county.ent2)


def test_the_figures_say_when_the_user_sees_one_mine(known_county, ent2_officer):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        assert dashboard(user=known_county.mine1_officer, today=TODAY)["own_mine"]["mine"] == known_county.mine1
        assert dashboard(user=ent2_officer, today=TODAY)["own_mine"]["mine"] == known_county.mine3
        assert dashboard(user=known_county.ent1_officer, today=TODAY)["own_mine"] is None
        assert dashboard(user=known_county.inspector, today=TODAY)["own_mine"] is None


def test_a_mine_officer_sees_the_mines_own_status_and_score_not_a_ranking(client, known_county):  # noqa: F811
    html = page(client, known_county.mine1_officer, "/dashboard/")
    assert 'data-table="ranking"' not in html and "风险排名" not in html
    assert 'data-table="suspended"' not in html  # a list of the suspended mines among one
    assert 'data-figure="suspended"' not in html  # nor their count
    assert 'data-testid="own-mine"' in html
    assert "停产整顿" in html  # mine1 is suspended in the known county
    # mine1: 1 major open ×10 + 1 overdue ×3 + 5 general open ×1 + 1 serious ×2 + 3 reports late or missing ×2
    assert 'data-figure="own_score">26<' in html


def test_an_enterprise_with_one_mine_gets_the_one_mine_dashboard(client, known_county, ent2_officer):  # noqa: F811
    html = page(client, ent2_officer, "/dashboard/")
    assert 'data-table="ranking"' not in html and 'data-testid="own-mine"' in html


def test_the_bureau_and_an_enterprise_of_several_mines_keep_the_ranking(client, known_county):  # noqa: F811
    for user in (known_county.inspector, known_county.ent1_officer):
        html = page(client, user, "/dashboard/")
        assert 'data-table="ranking"' in html and 'data-testid="own-mine"' not in html
        assert 'data-figure="suspended"' in html


def test_the_charts_of_one_mine_compare_nothing(client, known_county):  # noqa: F811
    html = page(client, known_county.mine1_officer, "/dashboard/charts/")
    assert 'data-chart="by_enterprise"' not in html  # one enterprise's bar, named after the enterprise
    assert 'data-chart="four_no"' not in html  # a donut of one mine
    assert "data-four-no-single" in html
    assert 'data-chart="progress_by_section"' in html
    html = page(client, known_county.inspector, "/dashboard/charts/")
    assert 'data-chart="by_enterprise"' in html and 'data-chart="four_no"' in html


def test_the_big_screen_of_one_mine_compares_nothing(client, known_county):  # noqa: F811
    html = page(client, known_county.mine1_officer, "/dashboard/screen/")
    assert 'data-chart="by_enterprise"' not in html and 'data-chart="four_no"' not in html
    assert "data-four-no-single" in html and 'data-chart="progress_by_section"' in html
    html = page(client, known_county.leader, "/dashboard/screen/")
    assert 'data-chart="by_enterprise"' in html and 'data-chart="four_no"' in html


def test_the_api_names_the_one_mine(api_client, known_county):  # noqa: F811
    api_client.force_authenticate(known_county.mine1_officer)
    with time_machine.travel(NOW, tick=False):
        d = api_client.get("/api/v1/dashboard/").json()
    assert d["own_mine"]["mine"] == "东峰煤矿" and d["own_mine"]["score"] == 26
    api_client.force_authenticate(known_county.inspector)
    with time_machine.travel(NOW, tick=False):
        assert api_client.get("/api/v1/dashboard/").json()["own_mine"] is None
