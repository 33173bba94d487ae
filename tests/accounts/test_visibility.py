import pytest
from django.urls import reverse

from accounts.models import Mine, Organization

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(m.name for m in qs)


def test_mine_officer_sees_only_own_mine(county):
    assert names(Mine.objects.visible_to(county.mine1_officer)) == ["东峰煤矿"]


def test_enterprise_officer_sees_its_mines_only(county):
    assert names(Mine.objects.visible_to(county.ent1_officer)) == ["东峰煤矿", "西岭煤矿"]
    orgs = names(Organization.objects.visible_to(county.ent1_officer))
    assert orgs == sorted(["晋阳煤业集团", "东峰煤矿", "西岭煤矿"])


@pytest.mark.parametrize("who", ["inspector", "leader"])
def test_bureau_users_see_every_mine_of_their_bureau_and_no_other(county, who):
    assert names(Mine.objects.visible_to(getattr(county, who))) == ["东峰煤矿", "北坡煤矿", "西岭煤矿"]
    assert names(Mine.objects.visible_to(county.other_inspector)) == ["外县煤矿"]


def test_anonymous_and_orgless_users_see_nothing(county):
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import UserFactory

    assert not Mine.objects.visible_to(AnonymousUser()).exists()
    assert not Mine.objects.visible_to(UserFactory(organization=None)).exists()


def test_mine_page_lists_only_own_mine(client, county):
    client.force_login(county.mine1_officer)
    html = client.get(reverse("mine_list")).content.decode()
    assert "东峰煤矿" in html
    assert "西岭煤矿" not in html
    assert "北坡煤矿" not in html


def test_mine_api_lists_only_own_mine_and_404s_another(api_client, county):
    api_client.force_authenticate(county.mine1_officer)
    data = api_client.get("/api/v1/mines/").json()
    assert data["count"] == 1
    assert data["results"][0]["name"] == "东峰煤矿"
    assert api_client.get(f"/api/v1/mines/{county.mine2.pk}/").status_code == 404
    assert api_client.get("/api/v1/mines/999999/").status_code == 404


def test_mine_api_fields_and_filters(api_client, county):
    county.mine3.status = "suspended"
    county.mine3.save()
    api_client.force_authenticate(county.inspector)
    data = api_client.get("/api/v1/mines/", {"status": "suspended"}).json()
    assert [m["name"] for m in data["results"]] == ["北坡煤矿"]
    mine = data["results"][0]
    assert mine["enterprise"] == county.ent2.pk
    assert mine["status"] == "suspended"
    assert mine["status_display"] == "停产整顿"
    assert {"id", "name", "enterprise", "status"} <= set(mine)


def test_mine_list_page_filters_by_status_and_pages(client, county):
    from tests.factories import MineFactory

    for i in range(25):
        MineFactory(name=f"批量煤矿{i:02d}", parent=county.ent2)
    client.force_login(county.inspector)
    first = client.get(reverse("mine_list"))
    assert "共 28 条" in first.content.decode()
    assert "下一页" in first.content.decode()
    county.mine2.status = "suspended"
    county.mine2.save()
    html = client.get(reverse("mine_list"), {"status": "suspended"}).content.decode()
    assert "西岭煤矿" in html
    assert "东峰煤矿" not in html


def test_mine_list_query_count_is_constant(client, county, django_assert_max_num_queries):
    from tests.factories import MineFactory

    client.force_login(county.inspector)
    for i in range(30):
        MineFactory(name=f"批量{i}", parent=county.ent1)
    with django_assert_max_num_queries(6):
        client.get(reverse("mine_list"))
