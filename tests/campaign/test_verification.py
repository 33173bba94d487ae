"""核验: a self-declared item a unit marks 已完成 is a frozen declaration the bureau verifies or returns with a reason.

The states move only as campaign/verification.py draws them (409 otherwise, by service, page and API); a returned
item goes back to the unit (notified), which declares it again; an item returned twice is flagged; items proven by
records are never verified by hand; the tree, the overview and the chart count verified apart from declared."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.models import ProgressDeclaration, RequirementProgress
from campaign.progress import progress_attach, progress_from_records, progress_tree, progress_update
from campaign.verification import (
    needs_verification,
    progress_return,
    progress_verify,
    progress_verify_many,
)
from core.errors import DomainError, InvalidState, NotPermitted, StaleEdit
from dashboards.charts import progress_by_section
from notifications.models import Notification
from tests.factories import running_campaign

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 evidence"
SELF_DECLARED = "1.2.b"  # 层层签订安全生产目标责任书…: no records prove it


@pytest.fixture
def campaign(county):
    return running_campaign(bureau=county.bureau)


def item(campaign, code):
    return campaign.requirements.get(code=code)


def declare(county, campaign, code=SELF_DECLARED, *, mine=None, officer=None, note="已签订责任书 126 份", upload=True):
    mine = mine or county.mine1
    officer = officer or county.mine1_officer
    evidence = SimpleUploadedFile("责任书.pdf", PDF) if upload else None
    return progress_update(
        actor=officer,
        organization=mine,
        requirement=item(campaign, code),
        status="done",
        note=note,
        evidence=evidence,
    )


def test_the_items_verified_by_hand_are_the_self_declared_ones(county, campaign):
    items = list(campaign.requirements.filter(level="item"))
    self_declared = [r for r in items if not r.evidence]
    by_hand = [r for r in items if needs_verification(r, county.mine1)]
    # The issue counted 28; since the bureau's own items are read from its records (0011), 25 are self-declared, all
    # the units' (a mine's: the enterprise declares by hand also the items its mines' records prove, and is verified).
    assert len(items) == 46 and len(self_declared) == 25
    assert by_hand == self_declared
    assert all(r.performed_by == "organizations" for r in by_hand)
    assert not any(needs_verification(r, county.bureau) for r in items)  # the bureau's own: never


def test_declare_verify_return_and_declare_again(county, campaign):
    progress = declare(county, campaign)
    assert progress.state == "declared" and progress.declarations == 1
    first = progress.versions.get()
    assert first.review == "pending" and first.note == "已签订责任书 126 份"
    assert [f["name"] for f in first.files] == ["责任书.pdf"]  # the evidence frozen with the declaration

    returned = progress_return(actor=county.inspector, progress=progress, reason="责任书未加盖公章", version=1)
    assert returned.state == "returned" and returned.times_returned == 1 and not returned.flagged
    assert returned.return_reason == "责任书未加盖公章"
    notice = Notification.objects.get(recipient=county.mine1_officer, topic="progress_reviewed")
    assert "退回" in notice.title and "责任书未加盖公章" in notice.body
    assert notice.url == reverse("progress_edit", args=[campaign.pk, item(campaign, SELF_DECLARED).pk])

    # The unit adds a file to the returned item and declares again: version 2, waiting again.
    progress_attach(
        actor=county.mine1_officer,
        organization=county.mine1,
        requirement=item(campaign, SELF_DECLARED),
        upload=SimpleUploadedFile("盖章版.pdf", PDF),
    )
    again = declare(county, campaign, note="已补盖公章", upload=False)
    assert again.state == "declared" and again.declarations == 2 and again.return_reason == ""
    assert [f["name"] for f in again.versions.get(number=2).files] == ["责任书.pdf", "盖章版.pdf"]

    verified = progress_verify(actor=county.inspector, progress=again, version=2)
    assert verified.state == "verified"
    versions = list(ProgressDeclaration.objects.filter(progress=progress).order_by("number"))
    assert [(v.number, v.review, v.review_reason) for v in versions] == [
        (1, "returned", "责任书未加盖公章"),
        (2, "verified", ""),
    ]
    assert Notification.objects.filter(recipient=county.mine1_officer, topic="progress_reviewed").count() == 2


def test_the_states_move_only_as_allowed(county, campaign):
    requirement = item(campaign, SELF_DECLARED)
    # Nothing declared: nothing to verify or return.
    progress_update(
        actor=county.mine1_officer, organization=county.mine1, requirement=requirement, status="in_progress"
    )
    progress = RequirementProgress.objects.get(organization=county.mine1, requirement=requirement)
    assert progress.state == "not_started"
    with pytest.raises(InvalidState):
        progress_verify(actor=county.inspector, progress=progress)
    with pytest.raises(InvalidState):
        progress_return(actor=county.inspector, progress=progress, reason="x")

    progress = declare(county, campaign)
    # Waiting: the unit may neither change it nor add files.
    with pytest.raises(InvalidState, match="等待县局核验"):
        progress_update(
            actor=county.mine1_officer, organization=county.mine1, requirement=requirement, status="in_progress"
        )
    with pytest.raises(InvalidState):
        progress_attach(
            actor=county.mine1_officer,
            organization=county.mine1,
            requirement=requirement,
            upload=SimpleUploadedFile("x.pdf", PDF),
        )
    # A return needs a reason; the version read must be the latest.
    with pytest.raises(DomainError, match="理由"):
        progress_return(actor=county.inspector, progress=progress, reason="  ")
    with pytest.raises(StaleEdit):
        progress_verify(actor=county.inspector, progress=progress, version=2)
    # Who: the bureau's inspectors only.
    for actor in (county.mine1_officer, county.ent1_officer, county.leader, county.other_inspector):
        with pytest.raises(NotPermitted):
            progress_verify(actor=actor, progress=progress)
    progress_verify(actor=county.inspector, progress=progress)
    # Verified: final.
    with pytest.raises(InvalidState):
        progress_verify(actor=county.inspector, progress=progress)
    with pytest.raises(InvalidState):
        progress_return(actor=county.inspector, progress=progress, reason="x")
    with pytest.raises(InvalidState, match="已通过县局核验"):
        declare(county, campaign, upload=False)
    assert RequirementProgress.objects.get(pk=progress.pk).status == "done"  # the refused change left nothing


def test_an_item_returned_twice_is_flagged_on_the_list(client, county, campaign):
    progress = declare(county, campaign)
    progress_return(actor=county.inspector, progress=progress, reason="缺公章")
    declare(county, campaign, upload=False)
    progress = progress_return(actor=county.inspector, progress=progress, reason="仍缺公章")
    assert progress.times_returned == 2 and progress.flagged
    declare(county, campaign, upload=False)
    other = declare(county, campaign, "2.1.a", note="已开展")  # waiting, never returned
    url = reverse("progress_verification", args=[campaign.pk])
    client.force_login(county.inspector)
    page = client.get(url).content.decode()
    assert f'data-progress="{progress.pk}"' in page and f'data-progress="{other.pk}"' in page
    assert page.count("data-flagged") == 1 and "退回2次" in page
    flagged = client.get(url, {"flagged": "on"}).content.decode()
    assert f'data-progress="{progress.pk}"' in flagged and f'data-progress="{other.pk}"' not in flagged
    # The unit sees the flag and the last reason on its own page.
    progress_return(actor=county.inspector, progress=progress, reason="第三次仍缺公章")
    client.force_login(county.mine1_officer)
    own = client.get(reverse("progress_edit", args=[campaign.pk, item(campaign, SELF_DECLARED).pk])).content.decode()
    assert "第三次仍缺公章" in own and "已退回3次" in own


def test_the_waiting_list_filters_by_unit_and_section(client, county, campaign):
    mine1 = declare(county, campaign)
    mine2 = declare(county, campaign, mine=county.mine2, officer=county.mine2_officer)
    section3 = declare(county, campaign, "3.1.b", note="已排查")
    client.force_login(county.inspector)
    url = reverse("progress_verification", args=[campaign.pk])

    def shown(**query):
        page = client.get(url, query).content.decode()
        return {p.pk for p in (mine1, mine2, section3) if f'data-progress="{p.pk}"' in page}

    assert shown() == {mine1.pk, mine2.pk, section3.pk}
    assert shown(organization=county.mine2.pk) == {mine2.pk}
    assert shown(section=campaign.requirements.get(code="3").pk) == {section3.pk}
    progress_verify(actor=county.inspector, progress=mine2)
    assert shown() == {mine1.pk, section3.pk}
    assert shown(state="verified") == {mine2.pk}
    # A mine's officer has no such list.
    client.force_login(county.mine1_officer)
    assert client.get(url).status_code == 403


def test_batch_verify_verifies_each_and_says_why_not(client, county, campaign):
    a = declare(county, campaign)
    b = declare(county, campaign, mine=county.mine2, officer=county.mine2_officer)
    stale = f"{b.pk}:{b.declarations}:{b.row_version}"
    progress_return(actor=county.inspector, progress=b, reason="缺附件")  # returned meanwhile
    client.force_login(county.inspector)
    response = client.post(
        reverse("progress_verify_batch", args=[campaign.pk]),
        {"items": [f"{a.pk}:{a.declarations}:{a.row_version}", stale, "999999:1:1"], "note": "材料齐全"},
        follow=True,
    )
    text = response.content.decode()
    assert "已批量核验通过 1 项" in text and "未通过" in text
    assert RequirementProgress.objects.get(pk=a.pk).state == "verified"
    assert RequirementProgress.objects.get(pk=b.pk).state == "returned"
    with pytest.raises(NotPermitted):
        progress_verify_many(actor=county.mine1_officer, items=[f"{a.pk}:1:1"])


def test_the_inspector_verifies_and_returns_on_the_items_page(client, county, campaign):
    progress = declare(county, campaign)
    url = reverse("progress_review", args=[progress.pk])
    client.force_login(county.inspector)
    page = client.get(url).content.decode()
    assert 'data-testid="verify-form"' in page and "责任书.pdf" in page
    response = client.post(
        reverse("progress_return", args=[progress.pk]), {"version": 1, "reason": "缺公章", "row_version": 999}
    )
    assert RequirementProgress.objects.get(pk=progress.pk).state == "declared"  # a stale page changes nothing
    response = client.post(reverse("progress_return", args=[progress.pk]), {"version": 1, "reason": "缺公章"})
    assert response.status_code == 302
    assert RequirementProgress.objects.get(pk=progress.pk).state == "returned"
    # The mine sees its item's page, without the forms; another county's inspector does not see it at all.
    client.force_login(county.mine1_officer)
    page = client.get(url).content.decode()
    assert "缺公章" in page and 'data-testid="verify-form"' not in page
    assert client.post(reverse("progress_verify", args=[progress.pk]), {"version": 2}).status_code == 403
    client.force_login(county.other_inspector)
    assert client.get(url).status_code == 404


def test_the_units_page_refuses_a_change_while_waiting_with_409(client, county, campaign):
    progress = declare(county, campaign)
    client.force_login(county.mine1_officer)
    url = reverse("progress_edit", args=[campaign.pk, item(campaign, SELF_DECLARED).pk])
    page = client.get(url).content.decode()
    assert 'data-testid="locked"' in page and "等待县局核验" in page and "<form" not in page.split("locked")[1]
    response = client.post(url, {"status": "in_progress", "note": "改", "row_version": progress.row_version})
    assert response.status_code == 409 and "等待县局核验，核验或退回前不能修改" in response.content.decode()
    # a page read before the declaration is told of the newer version, as every form is (shown again: 200)
    assert client.post(url, {"status": "in_progress", "note": "改", "row_version": 1}).status_code == 200
    assert RequirementProgress.objects.get(organization=county.mine1).status == "done"


def test_items_proven_by_records_are_not_verified_by_hand(county, campaign):
    face_time = campaign.requirements.get(level="item", evidence="face_time")
    progress_from_records(
        organization=county.mine1, requirement=face_time, status="done", figure=None, note="", evidence_url=""
    )
    tree = progress_tree(campaign=campaign, organization=county.mine1)
    row = next(i for s in tree["sections"] for m in s["measures"] for i in m["items"] if i["requirement"] == face_time)
    assert row["state"] == "verified" and not row["verified_by_hand"]
    progress = RequirementProgress.objects.get(requirement=face_time)
    with pytest.raises(InvalidState):
        progress_verify(actor=county.inspector, progress=progress)


def test_tree_overview_and_chart_count_verified_apart_from_declared(client, county, campaign):
    a = declare(county, campaign)
    declare(county, campaign, "1.2.a", note="修订岗位责任制")
    progress_verify(actor=county.inspector, progress=a)
    section = progress_tree(campaign=campaign, organization=county.mine1)["sections"][0]
    assert section["finished"] == 2 and section["verified"] == 1

    row = progress_by_section(county.inspector, campaign)[0]
    assert row["finished"] == 2 and row["verified"] == 1 and row["declared"] == 1
    assert row["verified_rate"] == round(100 / row["owed"], 1) and row["rate"] == round(200 / row["owed"], 1)

    client.force_login(county.inspector)
    page = client.get(reverse("progress_overview", args=[campaign.pk])).content.decode()
    assert '<td class="text-end" data-verified>1</td>' in page
    assert '<td class="text-end" data-declared>1</td>' in page


# ------------------------------------------------------------------ the API


def test_api_progress_gives_each_items_and_units_state(api_client, county, campaign):
    a = declare(county, campaign)
    progress_return(actor=county.inspector, progress=a, reason="缺公章")
    declare(county, campaign, "1.2.a", note="x")
    b = declare(county, campaign, mine=county.mine2, officer=county.mine2_officer)
    progress_verify(actor=county.inspector, progress=b)
    api_client.force_authenticate(county.inspector)
    body = api_client.get(f"/api/v1/campaigns/{campaign.pk}/progress/").json()
    units = {u["organization"]["name"]: u for u in body["results"]}
    assert body["count"] == 5  # two enterprises, three mines
    mine1 = {i["code"]: i for i in units["东峰煤矿"]["items"]}
    assert mine1[SELF_DECLARED]["state"] == "returned" and mine1[SELF_DECLARED]["return_reason"] == "缺公章"
    assert mine1["1.2.a"]["state"] == "declared" and mine1["2.1.a"]["state"] == "not_started"
    assert units["东峰煤矿"]["state"] == "returned" and units["东峰煤矿"]["counts"]["declared"] == 1
    assert {i["code"]: i["state"] for i in units["西岭煤矿"]["items"]}[SELF_DECLARED] == "verified"
    assert units["北坡煤矿"]["state"] == "not_started"
    # A mine sees only itself.
    api_client.force_authenticate(county.mine1_officer)
    body = api_client.get(f"/api/v1/campaigns/{campaign.pk}/progress/").json()
    assert [u["organization"]["name"] for u in body["results"]] == ["东峰煤矿"]
    # Another county's campaign: 404.
    api_client.force_authenticate(county.other_inspector)
    assert api_client.get(f"/api/v1/campaigns/{campaign.pk}/progress/").status_code == 404


def test_api_verify_and_return_answer_403_404_409(api_client, county, campaign):
    progress = declare(county, campaign)
    url = f"/api/v1/task-progress/{progress.pk}/"
    for user in (county.mine1_officer, county.ent1_officer, county.leader):
        api_client.force_authenticate(user)
        assert api_client.post(url + "verify/", {}, format="json").status_code == 403
        assert api_client.post(url + "return/", {}, format="json").status_code == 403  # before the body is read
    api_client.force_authenticate(county.other_inspector)
    assert api_client.post(url + "verify/", {}, format="json").status_code == 404
    api_client.force_authenticate(county.inspector)
    assert api_client.post(url + "return/", {"reason": ""}, format="json").status_code == 400
    response = api_client.post(url + "return/", {"reason": "缺公章", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "returned"
    assert response.json()["versions"][0]["review"] == "returned"
    conflict = api_client.post(url + "verify/", {}, format="json")
    assert conflict.status_code == 409 and "已退回" in conflict.json()["detail"]
    declare(county, campaign, upload=False)
    assert api_client.post(url + "verify/", {"version": 1}, format="json").status_code == 409  # not the one read
    response = api_client.post(url + "verify/", {"version": 2}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "verified"
    assert api_client.post(url + "return/", {"reason": "x"}, format="json").status_code == 409
    listed = api_client.get("/api/v1/task-progress/", {"campaign": campaign.pk, "state": "verified"}).json()
    assert [p["id"] for p in listed["results"]] == [progress.pk]


# ------------------------------------------------------------------ queries do not grow with the data


def _declared_items(county, campaign, n):
    codes = [r.code for r in campaign.requirements.filter(level="item") if needs_verification(r, county.mine1)]
    for mine, officer in ((county.mine1, county.mine1_officer), (county.mine2, county.mine2_officer)):
        for code in codes[:n]:
            declare(county, campaign, code, mine=mine, officer=officer, upload=False)


@pytest.mark.parametrize("n", [2, 10])
def test_the_waiting_list_keeps_to_its_queries(client, county, campaign, django_assert_max_num_queries, n):
    _declared_items(county, campaign, n)
    client.force_login(county.inspector)
    client.get(reverse("progress_verification", args=[campaign.pk]))  # warm the session and the user
    with django_assert_max_num_queries(14):
        page = client.get(reverse("progress_verification", args=[campaign.pk]), {"flagged": ""})
    assert page.content.decode().count("data-progress=") == min(20, 2 * n)


@pytest.mark.parametrize("n", [2, 10])
def test_the_progress_api_keeps_to_its_queries(api_client, county, campaign, django_assert_max_num_queries, n):
    _declared_items(county, campaign, n)
    api_client.force_authenticate(county.inspector)
    with django_assert_max_num_queries(10):
        body = api_client.get(f"/api/v1/campaigns/{campaign.pk}/progress/").json()
    assert sum(u["counts"]["declared"] for u in body["results"]) == 2 * n
    with django_assert_max_num_queries(10):
        api_client.get("/api/v1/task-progress/", {"campaign": campaign.pk, "state": "declared"})


def test_bad_filters_and_batches_get_a_clear_answer(client, county, campaign):
    client.force_login(county.inspector)
    url = reverse("progress_verification", args=[campaign.pk])
    for query in (
        {"organization": "99999999999999999999"},
        {"section": "abc"},
        {"state": "zzz", "flagged": "maybe"},
        {"page": "-1"},
    ):
        assert client.get(url, query).status_code == 200, query
    batch = reverse("progress_verify_batch", args=[campaign.pk])
    response = client.post(batch, {"items": []}, follow=True)
    assert "请先勾选要核验通过的事项" in response.content.decode()
    response = client.post(batch, {"items": ["x" * 41]}, follow=True)
    assert "页面已过期" in response.content.decode()
    response = client.post(batch, {"items": [f"{i}:1:1" for i in range(1, 102)]}, follow=True)
    assert "一次最多批量核验 100 项" in response.content.decode()
