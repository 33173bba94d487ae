"""监管专员包保: which bureau user supervises which mines (one mine may have several, a user many mines), kept by the
bureau's inspectors; a mine sees its 监管专员 and the bureau's contact phone and e-mail; `GET /api/v1/mines/` carries
`supervisors` (usernames) and keeps `status` as it was."""

import pytest
from django.urls import reverse

from accounts.models import MineSupervisor, Role
from accounts.services import bureau_contacts_update, mine_supervisor_assign, mine_supervisor_remove
from core.errors import DomainError, NotPermitted, StaleEdit
from tests.factories import MineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_inspector(county):
    return UserFactory(
        username="inspector_b", role=Role.INSPECTOR, organization=county.bureau, full_name="马晋斌", phone="13903561234"
    )


@pytest.fixture
def assigned(county, second_inspector):
    county.inspector.full_name, county.inspector.phone = "刘伟", "13835612345"
    county.inspector.save()
    a = mine_supervisor_assign(actor=county.inspector, mine=county.mine1, supervisor=county.inspector)
    b = mine_supervisor_assign(actor=county.inspector, mine=county.mine2, supervisor=county.inspector)
    c = mine_supervisor_assign(actor=county.inspector, mine=county.mine1, supervisor=second_inspector, duty="assist")
    d = mine_supervisor_assign(actor=county.inspector, mine=county.mine3, supervisor=second_inspector)
    return a, b, c, d


def test_one_mine_may_have_several_supervisors_and_a_user_many_mines(county, assigned, second_inspector):
    assert set(county.mine1.supervisions.values_list("supervisor__username", flat=True)) == {"inspector", "inspector_b"}
    assert county.inspector.supervised_mines.count() == 2
    with pytest.raises(DomainError, match="已包保"):
        mine_supervisor_assign(actor=county.inspector, mine=county.mine1, supervisor=county.inspector)


@pytest.mark.parametrize("who", ["mine1_officer", "ent1_officer", "leader"])
def test_only_the_bureaus_inspectors_assign_supervisors(county, who):
    with pytest.raises(NotPermitted):
        mine_supervisor_assign(actor=getattr(county, who), mine=county.mine1, supervisor=county.inspector)
    assert not MineSupervisor.objects.exists()


def test_a_supervisor_is_an_inspector_of_the_mines_own_bureau(county):
    with pytest.raises(DomainError, match="监管专员"):
        mine_supervisor_assign(actor=county.inspector, mine=county.mine1, supervisor=county.other_inspector)
    with pytest.raises(DomainError, match="监管专员"):
        mine_supervisor_assign(actor=county.inspector, mine=county.mine1, supervisor=county.mine1_officer)
    with pytest.raises(NotPermitted):  # another county's mine
        mine_supervisor_assign(actor=county.inspector, mine=county.other_mine, supervisor=county.inspector)


def test_a_stale_removal_is_refused(county, assigned):
    first = assigned[0]
    with pytest.raises(StaleEdit):
        mine_supervisor_remove(actor=county.inspector, assignment=first, row_version=first.row_version + 1)
    mine_supervisor_remove(actor=county.inspector, assignment=first, row_version=first.row_version)
    assert not MineSupervisor.objects.filter(pk=first.pk).exists()


# ------------------------------------------------------------------ pages


def test_the_inspector_maintains_the_assignments_on_pages(client, county, second_inspector):
    client.force_login(county.inspector)
    page = client.get(reverse("mine_supervisor_create"))
    assert page.status_code == 200 and "监管专员" in page.content.decode()
    response = client.post(
        reverse("mine_supervisor_create"),
        {"mine": county.mine1.pk, "supervisor": second_inspector.pk, "duty": "lead", "note": "驻矿"},
    )
    assert response.status_code == 302
    assignment = MineSupervisor.objects.get()
    assert (assignment.mine, assignment.supervisor, assignment.note) == (county.mine1, second_inspector, "驻矿")

    edit = reverse("mine_supervisor_edit", kwargs={"pk": assignment.pk})
    stale = client.post(edit, {"supervisor": second_inspector.pk, "duty": "assist", "note": "x", "row_version": 99})
    assert stale.status_code == 409 and "已被" in stale.content.decode()
    ok = client.post(
        edit,
        {"supervisor": second_inspector.pk, "duty": "assist", "note": "协助", "row_version": assignment.row_version},
    )
    assert ok.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.duty, assignment.note) == ("assist", "协助")

    html = client.get(reverse("mine_supervisor_list")).content.decode()
    assert "东峰煤矿" in html and "马晋斌" in html and "协包" in html

    delete = reverse("mine_supervisor_delete", kwargs={"pk": assignment.pk})
    assert client.post(delete, {"row_version": assignment.row_version}).status_code == 302
    assert not MineSupervisor.objects.exists()


@pytest.mark.parametrize("who", ["mine1_officer", "ent1_officer", "leader"])
def test_others_may_read_but_not_write(client, county, assigned, who):
    client.force_login(getattr(county, who))
    assert client.get(reverse("mine_supervisor_list")).status_code == 200
    assert client.get(reverse("mine_supervisor_create")).status_code == 403
    before = MineSupervisor.objects.count()
    body = {"mine": county.mine1.pk, "supervisor": county.inspector.pk, "duty": "lead"}
    assert client.post(reverse("mine_supervisor_create"), body).status_code == 403
    own = assigned[0]  # mine1's: every one of these users sees it
    assert client.post(reverse("mine_supervisor_edit", kwargs={"pk": own.pk}), body).status_code == 403
    assert client.post(reverse("mine_supervisor_delete", kwargs={"pk": own.pk})).status_code == 403
    assert MineSupervisor.objects.count() == before


def test_another_countys_assignment_is_not_found(client, county, assigned):
    client.force_login(county.other_inspector)
    own = assigned[0]
    assert client.get(reverse("mine_supervisor_edit", kwargs={"pk": own.pk})).status_code == 404
    assert client.post(reverse("mine_supervisor_delete", kwargs={"pk": own.pk})).status_code == 404
    assert "东峰煤矿" not in client.get(reverse("mine_supervisor_list")).content.decode()


def test_a_mine_officer_sees_only_his_mines_supervisors(client, county, assigned):
    client.force_login(county.mine3_officer)
    html = client.get(reverse("mine_supervisor_list")).content.decode()
    assert "北坡煤矿" in html and "东峰煤矿" not in html


def test_the_mine_page_shows_its_supervisors_and_the_bureaus_contacts(client, county, assigned):
    bureau_contacts_update(
        actor=county.inspector, bureau=county.bureau, contact_phone="0356-4220723", contact_email="jjy0425@163.com"
    )
    client.force_login(county.mine1_officer)
    html = client.get(reverse("mine_list")).content.decode()
    assert "刘伟" in html and "13835612345" in html and "马晋斌" in html
    assert "0356-4220723" in html and "jjy0425@163.com" in html


def test_the_bureaus_contacts_are_kept_by_its_inspectors(client, county):
    url = reverse("bureau_contacts_edit")
    for who in ("mine1_officer", "leader"):
        client.force_login(getattr(county, who))
        assert client.post(url, {"contact_phone": "1", "contact_email": ""}).status_code == 403
    client.force_login(county.inspector)
    bad = client.post(url, {"contact_phone": "4220723", "contact_email": "不是邮箱"})
    assert bad.status_code == 200 and "邮箱" in bad.content.decode()
    assert client.post(url, {"contact_phone": "4220723", "contact_email": "jjy0425@163.com"}).status_code == 302
    county.bureau.refresh_from_db()
    assert (county.bureau.contact_phone, county.bureau.contact_email) == ("4220723", "jjy0425@163.com")
    with pytest.raises(NotPermitted):
        bureau_contacts_update(actor=county.inspector, bureau=county.other_bureau, contact_phone="1", contact_email="")


# ------------------------------------------------------------------ API


def test_the_mines_api_carries_supervisors_and_keeps_status(api_client, county, assigned):
    county.mine2.status = "suspended"
    county.mine2.save()
    api_client.force_authenticate(county.inspector)
    rows = {m["name"]: m for m in api_client.get("/api/v1/mines/").json()["results"]}
    assert sorted(rows["东峰煤矿"]["supervisors"]) == ["inspector", "inspector_b"]
    assert rows["西岭煤矿"]["supervisors"] == ["inspector"]
    assert rows["北坡煤矿"]["supervisors"] == ["inspector_b"]
    assert rows["西岭煤矿"]["status"] == "suspended" and rows["东峰煤矿"]["status"] == "normal"
    detail = api_client.get(f"/api/v1/mines/{county.mine1.pk}/").json()
    assert sorted(detail["supervisors"]) == ["inspector", "inspector_b"]


def test_an_inactive_supervisor_is_not_listed(api_client, county, assigned, second_inspector):
    second_inspector.is_active = False
    second_inspector.save()
    api_client.force_authenticate(county.mine1_officer)
    (row,) = api_client.get("/api/v1/mines/").json()["results"]
    assert row["supervisors"] == ["inspector"]


@pytest.mark.parametrize("extra", [0, 20])
def test_the_mines_api_and_page_queries_do_not_grow(
    client, api_client, county, assigned, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        mine = MineFactory(parent=county.ent1)
        mine_supervisor_assign(actor=county.inspector, mine=mine, supervisor=county.inspector)
    api_client.force_authenticate(county.inspector)
    with django_assert_max_num_queries(4):
        assert api_client.get("/api/v1/mines/").status_code == 200
    client.force_login(county.inspector)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("mine_list")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("mine_supervisor_list")).status_code == 200


def test_the_supervisors_api_reads_for_everyone_and_writes_for_the_bureau(api_client, county, assigned):
    a = assigned[0]
    api_client.force_authenticate(county.mine1_officer)
    rows = api_client.get("/api/v1/mine-supervisors/").json()["results"]
    assert {r["mine"] for r in rows} == {county.mine1.pk}
    assert api_client.post(
        "/api/v1/mine-supervisors/", {"mine": county.mine1.pk, "supervisor": "inspector"}, format="json"
    ).status_code in (400, 403)
    assert api_client.patch(f"/api/v1/mine-supervisors/{a.pk}/", {"note": "x"}, format="json").status_code == 403
    assert api_client.delete(f"/api/v1/mine-supervisors/{a.pk}/").status_code == 403

    api_client.force_authenticate(county.leader)
    assert api_client.delete(f"/api/v1/mine-supervisors/{a.pk}/").status_code == 403

    api_client.force_authenticate(county.other_inspector)
    assert api_client.get(f"/api/v1/mine-supervisors/{a.pk}/").status_code == 404
    assert api_client.delete(f"/api/v1/mine-supervisors/{a.pk}/").status_code == 404

    api_client.force_authenticate(county.inspector)
    detail = api_client.get(f"/api/v1/mine-supervisors/{a.pk}/")
    assert detail["ETag"] == f'"{a.row_version}"' and detail.json()["supervisor"] == "inspector"
    stale = api_client.patch(f"/api/v1/mine-supervisors/{a.pk}/", {"note": "驻矿"}, format="json", HTTP_IF_MATCH='"99"')
    assert stale.status_code == 412
    ok = api_client.patch(
        f"/api/v1/mine-supervisors/{a.pk}/", {"note": "驻矿"}, format="json", HTTP_IF_MATCH=f'"{a.row_version}"'
    )
    assert ok.status_code == 200 and ok.json()["note"] == "驻矿"
    created = api_client.post(
        "/api/v1/mine-supervisors/", {"mine": county.mine2.pk, "supervisor": "inspector_b"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert api_client.delete(f"/api/v1/mine-supervisors/{created.json()['id']}/").status_code == 204
    other = api_client.post(
        "/api/v1/mine-supervisors/", {"mine": county.other_mine.pk, "supervisor": "inspector"}, format="json"
    )
    assert other.status_code == 400  # another county's mine does not exist for this user
