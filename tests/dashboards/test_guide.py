"""使用说明: one page, the reader's own role first, describing the product's real pages with working links."""

import re

import pytest

from accounts.models import Role
from tests.factories import UserFactory, regulator_levels, running_campaign

pytestmark = pytest.mark.django_db

TITLES = {
    Role.MINE_OFFICER: "煤矿安全管理人员",
    Role.ENTERPRISE_OFFICER: "主体企业安全管理人员",
    Role.INSPECTOR: "县局执法人员",
    Role.LEADER: "领导组成员",
    Role.ADMIN: "系统管理员",
    Role.REGULATOR: "市局/省厅监管人员",
}


@pytest.fixture
def users(county):
    running_campaign(bureau=county.bureau)
    admin = UserFactory(username="sysadmin", role=Role.ADMIN, organization=county.bureau, is_staff=True)
    return {
        Role.MINE_OFFICER: county.mine1_officer,
        Role.ENTERPRISE_OFFICER: county.ent1_officer,
        Role.INSPECTOR: county.inspector,
        Role.LEADER: county.leader,
        Role.ADMIN: admin,
        Role.REGULATOR: regulator_levels(county).city_user,
    }


def own_section(html):
    match = re.search(r"<section[^>]*data-own-role[^>]*>(.*?)</section>", html, re.S)
    assert match, "the reader's own section is missing"
    return match.group(1)


@pytest.mark.parametrize("role", list(TITLES))
def test_the_readers_own_role_comes_first_and_every_role_is_there(client, users, role):
    client.force_login(users[role])
    response = client.get("/guide/")
    assert response.status_code == 200
    html = response.content.decode()
    positions = {r: html.find(f"{title}使用说明") for r, title in TITLES.items()}
    assert all(p > 0 for p in positions.values()), positions
    assert positions[role] == min(positions.values())
    assert f"{TITLES[role]}使用说明" in own_section(html)


@pytest.mark.parametrize("role", list(TITLES))
def test_every_link_in_the_readers_own_section_opens_for_that_reader(client, users, role):
    client.force_login(users[role])
    section = own_section(client.get("/guide/").content.decode())
    links = sorted(set(re.findall(r'href="(/[^"#]*)"', section)))
    assert len(links) >= 5, links
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code in (200, 302), f"{role}: {link} → {response.status_code}"
        if response.status_code == 302:  # a list that opens on its first item, never the login page
            assert not response["Location"].startswith("/accounts/login/"), link


def test_the_guide_is_linked_from_the_nav_of_every_page(client, users):
    client.force_login(users[Role.MINE_OFFICER])
    for url in ("/", "/hazards/", "/violations/", "/search/?q=隐患", "/guide/"):
        assert 'href="/guide/"' in client.get(url).content.decode(), url


def test_the_guide_needs_a_login(client):
    response = client.get("/guide/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_mine_officers_guide_describes_the_import_as_it_now_works(client, users):
    """Preview before anything is written, columns mapped by hand, the import records and their undo (issue 18, item
    1): the guide said only "一次导入"."""
    client.force_login(users[Role.MINE_OFFICER])
    section = own_section(client.get("/guide/").content.decode())
    for words in ("预览", "确认", "对应", "导入记录", "撤销"):
        assert words in section, words
    assert 'href="/hazards/import/batches/"' in section
