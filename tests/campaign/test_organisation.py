"""The notice's organisation (section 二) as records of a campaign: the 领导组 with its members and posts, its 办公室
(where it sits, its phone), the 检查工作组. The bureau's inspectors keep them; everyone who sees the campaign reads
them; the leadership group, mines and enterprises are refused writes (403), another county gets 404."""

import pytest
from django.urls import reverse

from accounts.models import Role
from campaign.models import GroupMember, WorkingGroup
from campaign.organisation import (
    group_member_add,
    group_member_remove,
    group_member_update,
    working_group_create,
    working_group_update,
)
from core.errors import DomainError, NotPermitted, StaleEdit
from tests.factories import UserFactory, running_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(county):
    return running_campaign(bureau=county.bureau)


@pytest.fixture
def other_campaign(county):
    return running_campaign(bureau=county.other_bureau)


@pytest.fixture
def leading(county, campaign):
    county.leader.full_name, county.leader.title = "陈永明", "局长"
    county.leader.save()
    group = working_group_create(
        actor=county.inspector, campaign=campaign, kind="leading", name="百日安全生产专项整治领导组"
    )
    group_member_add(actor=county.inspector, group=group, post="head", user=county.leader, title="县应急管理局局长")
    group_member_add(actor=county.inspector, group=group, post="deputy", name="刘二红", title="县应急管理局总工程师")
    return group


def test_the_notices_organisation_is_recorded(county, campaign, leading):
    office = working_group_create(
        actor=county.inspector,
        campaign=campaign,
        kind="office",
        name="领导组办公室",
        located_at="县应急局煤矿执法一股",
        phone="4220723",
        duties="负责统筹、组织、协调专项整治工作",
    )
    team = working_group_create(actor=county.inspector, campaign=campaign, kind="inspection", name="检查工作组")
    group_member_add(actor=county.inspector, group=team, post="member", name="全体监管专员")
    members = list(leading.members.order_by("order", "pk"))
    assert [(m.get_post_display(), m.display_name, m.display_title) for m in members] == [
        ("组长", "陈永明", "县应急管理局局长"),
        ("副组长", "刘二红", "县应急管理局总工程师"),
    ]
    assert office.located_at == "县应急局煤矿执法一股" and office.get_kind_display() == "领导组办公室"
    assert campaign.working_groups.count() == 3


def test_a_member_is_a_user_of_the_bureau_or_a_name(county, campaign, leading):
    with pytest.raises(DomainError, match="姓名"):
        group_member_add(actor=county.inspector, group=leading, post="member")
    with pytest.raises(DomainError, match="本局"):
        group_member_add(actor=county.inspector, group=leading, post="member", user=county.mine1_officer)
    with pytest.raises(DomainError, match="本局"):
        group_member_add(actor=county.inspector, group=leading, post="member", user=county.other_inspector)
    with pytest.raises(DomainError, match="已在"):
        group_member_add(actor=county.inspector, group=leading, post="member", user=county.leader)


@pytest.mark.parametrize("who", ["mine1_officer", "ent1_officer", "leader", "other_inspector"])
def test_only_the_bureaus_inspectors_keep_it(county, campaign, leading, who):
    actor = getattr(county, who)
    with pytest.raises(NotPermitted):
        working_group_create(actor=actor, campaign=campaign, kind="inspection", name="检查工作组")
    with pytest.raises(NotPermitted):
        working_group_update(actor=actor, group=leading, name="改名")
    with pytest.raises(NotPermitted):
        group_member_add(actor=actor, group=leading, post="member", name="张三")
    member = leading.members.first()
    with pytest.raises(NotPermitted):
        group_member_remove(actor=actor, member=member)
    assert WorkingGroup.objects.count() == 1 and GroupMember.objects.count() == 2


def test_stale_edits_are_refused(county, campaign, leading):
    with pytest.raises(StaleEdit):
        working_group_update(actor=county.inspector, group=leading, row_version=leading.row_version + 1, name="x")
    member = leading.members.get(name="刘二红")
    group_member_update(actor=county.inspector, member=member, row_version=member.row_version, phone="13800000000")
    with pytest.raises(StaleEdit):
        group_member_update(actor=county.inspector, member=member, row_version=1, phone="1")


# ------------------------------------------------------------------ pages


def test_everyone_who_sees_the_campaign_reads_its_organisation(client, county, campaign, leading, other_campaign):
    url = reverse("campaign_organisation", kwargs={"pk": campaign.pk})
    for who in ("mine1_officer", "ent1_officer", "leader", "inspector"):
        client.force_login(getattr(county, who))
        html = client.get(url).content.decode()
        assert "百日安全生产专项整治领导组" in html and "陈永明" in html and "组长" in html, who
    client.force_login(county.other_inspector)
    assert client.get(url).status_code == 404
    assert client.get(reverse("campaign_organisation", kwargs={"pk": other_campaign.pk})).status_code == 200


def test_the_inspector_keeps_the_organisation_on_pages(client, county, campaign, leading):
    client.force_login(county.inspector)
    page = client.get(reverse("campaign_organisation", kwargs={"pk": campaign.pk})).content.decode()
    assert "新增工作组" in page
    response = client.post(
        reverse("working_group_create", kwargs={"pk": campaign.pk}),
        {
            "kind": "office",
            "name": "领导组办公室",
            "located_at": "县应急局煤矿执法一股",
            "phone": "4220723",
            "order": 2,
        },
    )
    assert response.status_code == 302
    office = WorkingGroup.objects.get(kind="office")
    edit = reverse("working_group_edit", kwargs={"pk": office.pk})
    body = {"kind": "office", "name": "领导组办公室", "located_at": "县应急局煤矿执法一股", "phone": "4220724"}
    stale = client.post(edit, {**body, "row_version": office.row_version + 5})
    assert stale.status_code == 409 and "已被" in stale.content.decode()
    assert client.post(edit, {**body, "row_version": office.row_version}).status_code == 302
    office.refresh_from_db()
    assert office.phone == "4220724"

    add = reverse("group_member_create", kwargs={"pk": leading.pk})
    empty = client.post(add, {"post": "member", "name": "", "user": ""})
    assert empty.status_code == 200 and "姓名" in empty.content.decode()
    assert client.post(add, {"post": "deputy", "name": "靳郭龙", "title": "县应急指挥中心副主任"}).status_code == 302
    member = GroupMember.objects.get(name="靳郭龙")
    member_edit = reverse("group_member_edit", kwargs={"pk": member.pk})
    body = {"post": "deputy", "name": "靳郭龙", "title": "县应急指挥中心主任", "row_version": member.row_version}
    assert client.post(member_edit, body).status_code == 302
    member.refresh_from_db()
    assert member.title == "县应急指挥中心主任"
    delete = reverse("group_member_delete", kwargs={"pk": member.pk})
    assert client.post(delete, {"row_version": member.row_version}).status_code == 302
    assert not GroupMember.objects.filter(pk=member.pk).exists()
    gone = reverse("working_group_delete", kwargs={"pk": office.pk})
    assert client.post(gone, {"row_version": office.row_version}).status_code == 302
    assert not WorkingGroup.objects.filter(pk=office.pk).exists()


@pytest.mark.parametrize("who", ["mine1_officer", "ent1_officer", "leader"])
def test_the_pages_refuse_writes_to_others_with_403(client, county, campaign, leading, who):
    client.force_login(getattr(county, who))
    member = leading.members.first()
    urls = [
        reverse("working_group_create", kwargs={"pk": campaign.pk}),
        reverse("working_group_edit", kwargs={"pk": leading.pk}),
        reverse("working_group_delete", kwargs={"pk": leading.pk}),
        reverse("group_member_create", kwargs={"pk": leading.pk}),
        reverse("group_member_edit", kwargs={"pk": member.pk}),
        reverse("group_member_delete", kwargs={"pk": member.pk}),
    ]
    for url in urls:
        assert client.post(url, {"kind": "inspection", "name": "x", "post": "member"}).status_code == 403, url
    assert WorkingGroup.objects.count() == 1 and GroupMember.objects.count() == 2
    assert "新增工作组" not in client.get(reverse("campaign_organisation", kwargs={"pk": campaign.pk})).content.decode()


def test_another_countys_records_are_not_found(client, county, campaign, leading):
    client.force_login(county.other_inspector)
    member = leading.members.first()
    for url in (
        reverse("working_group_create", kwargs={"pk": campaign.pk}),
        reverse("working_group_edit", kwargs={"pk": leading.pk}),
        reverse("working_group_delete", kwargs={"pk": leading.pk}),
        reverse("group_member_create", kwargs={"pk": leading.pk}),
        reverse("group_member_edit", kwargs={"pk": member.pk}),
        reverse("group_member_delete", kwargs={"pk": member.pk}),
    ):
        assert client.post(url, {"kind": "inspection", "name": "x", "post": "member"}).status_code == 404, url


@pytest.mark.parametrize("extra", [0, 15])
def test_the_organisation_page_queries_do_not_grow(
    client, county, campaign, leading, extra, django_assert_max_num_queries
):
    for i in range(extra):
        group = working_group_create(actor=county.inspector, campaign=campaign, kind="inspection", name=f"检查组{i}")
        user = UserFactory(username=f"staff{i}", role=Role.INSPECTOR, organization=county.bureau)
        group_member_add(actor=county.inspector, group=group, post="head", user=user)
        group_member_add(actor=county.inspector, group=group, post="member", name=f"成员{i}")
    client.force_login(county.inspector)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("campaign_organisation", kwargs={"pk": campaign.pk})).status_code == 200


# ------------------------------------------------------------------ API


def test_the_api_reads_for_everyone_who_sees_the_campaign_and_writes_for_the_bureau(
    api_client, county, campaign, leading
):
    api_client.force_authenticate(county.mine1_officer)
    rows = api_client.get("/api/v1/working-groups/", {"campaign": campaign.pk}).json()["results"]
    (group,) = rows
    assert group["kind"] == "leading" and group["name"] == "百日安全生产专项整治领导组"
    assert [(m["post"], m["display_name"]) for m in group["members"]] == [("head", "陈永明"), ("deputy", "刘二红")]
    assert group["members"][0]["user"] == "leader"
    body = {"campaign": campaign.pk, "kind": "inspection", "name": "检查工作组"}
    assert api_client.post("/api/v1/working-groups/", body, format="json").status_code == 403
    assert api_client.patch(f"/api/v1/working-groups/{leading.pk}/", {"name": "x"}, format="json").status_code == 403

    api_client.force_authenticate(county.leader)
    assert api_client.post("/api/v1/working-groups/", body, format="json").status_code == 403
    assert api_client.delete(f"/api/v1/working-groups/{leading.pk}/").status_code == 403

    api_client.force_authenticate(county.other_inspector)
    assert api_client.get(f"/api/v1/working-groups/{leading.pk}/").status_code == 404
    assert api_client.post("/api/v1/working-groups/", body, format="json").status_code == 400  # no such campaign
    member = leading.members.first()
    assert api_client.get(f"/api/v1/working-group-members/{member.pk}/").status_code == 404

    api_client.force_authenticate(county.inspector)
    created = api_client.post("/api/v1/working-groups/", body, format="json")
    assert created.status_code == 201, created.json()
    team = created.json()["id"]
    added = api_client.post(
        "/api/v1/working-group-members/", {"group": team, "post": "head", "user": "inspector"}, format="json"
    )
    assert added.status_code == 201, added.json()
    named = api_client.post(
        "/api/v1/working-group-members/", {"group": team, "post": "member", "name": "全体监管专员"}, format="json"
    )
    assert named.status_code == 201
    stale = api_client.patch(
        f"/api/v1/working-groups/{team}/", {"phone": "4220723"}, format="json", HTTP_IF_MATCH='"77"'
    )
    assert stale.status_code == 412
    detail = api_client.get(f"/api/v1/working-groups/{team}/")
    ok = api_client.patch(
        f"/api/v1/working-groups/{team}/", {"phone": "4220723"}, format="json", HTTP_IF_MATCH=detail["ETag"]
    )
    assert ok.status_code == 200 and ok.json()["phone"] == "4220723"
    assert [m["display_name"] for m in ok.json()["members"]] == [county.inspector.display_name, "全体监管专员"]
    assert api_client.delete(f"/api/v1/working-group-members/{named.json()['id']}/").status_code == 204
    refused = api_client.delete(f"/api/v1/working-groups/{team}/")
    assert refused.status_code == 409 and "先移除成员" in refused.json()["detail"]  # not a whole list in one click
    assert api_client.delete(f"/api/v1/working-group-members/{added.json()['id']}/").status_code == 204
    assert api_client.delete(f"/api/v1/working-groups/{team}/").status_code == 204
