"""Who takes part in a campaign, authored (issue 21 item 4): all the county's mines and enterprises, or the ones the
bureau names — through the services, the pages and the API; a unit of another county or of another kind refused; a
mine not taking part neither sees the campaign nor owes its deadlines nor hears of its versions; a change of who takes
part after publishing is a new version; a copy keeps who takes part."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from campaign import authoring
from campaign.membership import units_of
from campaign.models import Campaign, CampaignRevision
from campaign.services import campaign_clone
from campaign.template_data import read_notice
from core.errors import DomainError, NotPermitted
from notifications.models import Notification
from reporting import services as reporting
from reporting.models import Submission
from tests.factories import MineFactory, running_campaign, template_campaign

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def published(county, participants, **kwargs):
    """A published campaign running today over `participants` (authored as the bureau does: draft, task list,
    publish)."""
    campaign = authoring.campaign_create(
        actor=county.inspector,
        name="冬季“三防”专项检查",
        document_no="阳应急发〔2025〕12号",
        starts_on=TODAY - dt.timedelta(days=3),
        ends_on=TODAY + dt.timedelta(days=27),
        participants=participants,
        **kwargs,
    )
    authoring.task_list_import(actor=county.inspector, campaign=campaign, text=read_notice())
    authoring.deadline_save(
        actor=county.inspector,
        campaign=campaign,
        kind="self_check",
        name="冬季“三防”自查清单",
        due_on=TODAY + dt.timedelta(days=4),
        owed_by_mines=True,
        owed_by_enterprises=True,
    )
    return authoring.campaign_publish(actor=county.inspector, campaign=campaign)


def notified(campaign, version):
    key = f"campaign:{campaign.pk}:version:{version}"
    return set(Notification.objects.filter(key=key).values_list("recipient__username", flat=True))


# ------------------------------------------------------------------ the services


def test_participants_round_trip_through_the_services(county):
    campaign = authoring.campaign_create(
        actor=county.inspector,
        name="x",
        starts_on=TODAY,
        ends_on=TODAY,
        covers_all_units=False,
        participants=[county.mine1, county.ent2.pk, county.mine1.pk],
    )
    campaign.refresh_from_db()
    assert not campaign.covers_all_units
    assert set(campaign.participants.all()) == {county.mine1, county.ent2}
    assert set(units_of(campaign)) == {county.ent1, county.mine1, county.ent2, county.mine3}
    # naming units without saying more: only they take part; all again clears the list
    authoring.campaign_update(actor=county.inspector, campaign=campaign, participants=[county.mine2])
    campaign.refresh_from_db()
    assert not campaign.covers_all_units and list(campaign.participants.all()) == [county.mine2]
    authoring.campaign_update(actor=county.inspector, campaign=campaign, covers_all_units=True)
    campaign.refresh_from_db()
    assert campaign.covers_all_units and not campaign.participants.exists()
    # a blank campaign covers all by default
    other = authoring.campaign_create(actor=county.inspector, name="y", starts_on=TODAY, ends_on=TODAY)
    assert other.covers_all_units and not other.participants.exists()
    assert not CampaignRevision.objects.filter(campaign__in=[campaign, other]).exists()  # drafts have no versions


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ({"covers_all_units": False, "participants": []}, "请至少选择一个参加单位"),
        ({"covers_all_units": True, "participants": ["mine1"]}, "不需再选定参加单位"),
        ({"participants": ["other_mine"]}, "不属于本局，不能选为参加单位"),
        ({"participants": [10**20]}, "不属于本局，不能选为参加单位"),
        ({"participants": ["bureau"]}, "“阳城县应急管理局”不是煤矿或主体企业"),
        ({"participants": ["x"]}, "参加单位应为单位编号"),
    ],
)
def test_a_bad_choice_is_refused_and_nothing_is_written(county, choice, message):
    units = {"mine1": county.mine1, "other_mine": county.other_mine, "bureau": county.bureau}
    choice = {**choice, "participants": [units.get(p, p) for p in choice["participants"]]}
    before = Campaign.objects.count()
    with pytest.raises(DomainError) as refused:
        authoring.campaign_create(actor=county.inspector, name="x", starts_on=TODAY, ends_on=TODAY, **choice)
    assert refused.value.field == "participants" and message in refused.value.message
    assert Campaign.objects.count() == before
    campaign = published(county, [county.mine1])
    with pytest.raises(DomainError) as refused:
        authoring.campaign_update(actor=county.inspector, campaign=campaign, **choice)
    assert message in refused.value.message
    campaign.refresh_from_db()
    assert campaign.version == 1 and list(campaign.participants.all()) == [county.mine1]


def test_a_change_of_participants_after_publishing_is_a_version_announced_to_those_taking_part(county):
    campaign = published(county, [county.mine1])
    assert notified(campaign, 1) == {"mine1", "ent1"}
    assert authoring.organisations_concerned(campaign).count() == 2

    authoring.campaign_update(actor=county.inspector, campaign=campaign, participants=[county.mine1, county.mine2])
    campaign.refresh_from_db()
    assert campaign.version == 2
    assert campaign.revisions.get(version=2).changes == ["新增参加单位：西岭煤矿。"]
    assert notified(campaign, 2) == {"mine1", "mine2", "ent1"}  # the unit that came in hears of it

    authoring.campaign_update(actor=county.inspector, campaign=campaign, participants=[county.mine1, county.mine2])
    campaign.refresh_from_db()
    assert campaign.version == 2  # the same units again: no version

    authoring.campaign_update(actor=county.inspector, campaign=campaign, participants=[county.ent1])
    campaign.refresh_from_db()
    assert campaign.version == 2  # naming the enterprise brings the same units: nobody comes or goes

    authoring.campaign_update(actor=county.inspector, campaign=campaign, participants=[county.mine1])
    campaign.refresh_from_db()
    assert campaign.version == 3 and campaign.revisions.get(version=3).changes == ["移出参加单位：西岭煤矿。"]
    assert notified(campaign, 3) == {"mine1", "ent1"}  # the unit that went out no longer hears of it

    authoring.campaign_update(actor=county.inspector, campaign=campaign, covers_all_units=True, name="冬季“三防”检查")
    campaign.refresh_from_db()
    assert campaign.version == 4
    assert campaign.revisions.get(version=4).changes == [
        "名称：冬季“三防”专项检查 → 冬季“三防”检查。",
        "参加范围：选定的煤矿和主体企业 → 全县煤矿和主体企业。",
        "新增参加单位：华泰能源、北坡煤矿、西岭煤矿。",
    ]
    assert notified(campaign, 4) == {"mine1", "mine2", "mine3", "ent1"}


def test_a_mine_not_taking_part_gets_no_version_notices(county):
    campaign = published(county, [county.mine1])
    authoring.deadline_save(
        actor=county.inspector,
        campaign=campaign,
        kind="summary",
        name="工作总结",
        due_on=campaign.ends_on,
        owed_by_mines=True,
    )
    campaign.refresh_from_db()
    assert campaign.version == 2 and notified(campaign, 2) == {"mine1", "ent1"}
    for officer in (county.mine2_officer, county.mine3_officer):
        assert not Notification.objects.filter(recipient=officer, key__startswith=f"campaign:{campaign.pk}:").exists()


def test_a_copy_keeps_who_takes_part(county):
    source = published(county, [county.mine1, county.ent2])
    later = TODAY + dt.timedelta(days=60)
    copy = authoring.campaign_create(actor=county.inspector, name="", starts_on=later, source=source)
    assert not copy.covers_all_units and set(copy.participants.all()) == {county.mine1, county.ent2}
    chosen = authoring.campaign_create(
        actor=county.inspector, name="", starts_on=TODAY, source=source, covers_all_units=True
    )
    assert chosen.covers_all_units and not chosen.participants.exists()
    # a copy for another county does not carry this county's units
    theirs = campaign_clone(source=source, code="theirs", starts_on=TODAY, bureau=county.other_bureau)
    assert theirs.covers_all_units and not theirs.participants.exists()
    assert template_campaign().covers_all_units


# ------------------------------------------------------------------ a mine not taking part


def test_a_mine_not_taking_part_does_not_see_the_campaign(client, api_client, county):
    campaign = published(county, [county.mine1])
    detail = reverse("campaign_detail", kwargs={"pk": campaign.pk})
    progress = reverse("progress", kwargs={"pk": campaign.pk})
    for officer, sees in (
        (county.mine1_officer, True),
        (county.ent1_officer, True),  # the enterprise of a mine taking part oversees it
        (county.mine2_officer, False),
        (county.mine3_officer, False),
        (county.other_inspector, False),
    ):
        client.force_login(officer)
        listed = f'href="{detail}"' in client.get(reverse("campaign_list")).content.decode()
        assert listed == sees, officer
        assert client.get(detail).status_code == (200 if sees else 404)
        assert client.get(progress).status_code == (200 if sees else 404)
        api_client.force_authenticate(officer)
        ids = [c["id"] for c in api_client.get("/api/v1/campaigns/").json()["results"]]
        assert (campaign.pk in ids) == sees
        assert api_client.get(f"/api/v1/campaigns/{campaign.pk}/").status_code == (200 if sees else 404)


def test_choosing_an_enterprise_brings_its_mines_in(client, county):
    campaign = published(county, [county.ent2])
    client.force_login(county.mine3_officer)
    assert client.get(reverse("campaign_detail", kwargs={"pk": campaign.pk})).status_code == 200
    deadline = campaign.deadlines.get(kind="self_check")
    assert deadline.is_owed_by(county.mine3) and deadline.is_owed_by(county.ent2)
    assert not deadline.is_owed_by(county.mine1)
    assert notified(campaign, 1) == {"mine3"}  # ent2 has no officer in this county


def test_a_mine_not_taking_part_does_not_owe_the_deadlines(client, api_client, county):
    campaign = published(county, [county.mine1])
    deadline = campaign.deadlines.get(kind="self_check")
    assert deadline.is_owed_by(county.mine1) and deadline.is_owed_by(county.ent1)
    assert not deadline.is_owed_by(county.mine2)
    with pytest.raises(NotPermitted):
        reporting.submission_open(actor=county.mine2_officer, deadline=deadline)
    client.force_login(county.mine2_officer)
    url = reverse("submission_open", kwargs={"deadline_pk": deadline.pk})
    # The deadline of a campaign it does not take part in is not one it sees (Deadline.objects.visible_to).
    for answer in (client.get(url), client.post(url)):
        assert answer.status_code == 404
    api_client.force_authenticate(county.mine2_officer)
    answer = api_client.post("/api/v1/submissions/", {"deadline": deadline.pk}, format="json")
    assert answer.status_code == 400 and "deadline" in answer.json()
    assert not Submission.objects.filter(organization=county.mine2).exists()
    # the mine taking part opens it
    assert reporting.submission_open(actor=county.mine1_officer, deadline=deadline).organization == county.mine1


# ------------------------------------------------------------------ the API


def test_api_reads_and_writes_participants(api_client, county):
    api_client.force_authenticate(county.inspector)
    body = {"name": "冬季“三防”专项检查", "starts_on": "2025-12-01", "ends_on": "2025-12-31"}
    answer = api_client.post("/api/v1/campaigns/", {**body, "participants": [county.mine1.pk]}, format="json")
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert (created["covers_all_units"], created["participants"]) == (False, [county.mine1.pk])
    again = api_client.get(f"/api/v1/campaigns/{created['id']}/").json()
    assert (again["covers_all_units"], again["participants"]) == (False, [county.mine1.pk])
    answer = api_client.post("/api/v1/campaigns/", body, format="json")
    assert (answer.json()["covers_all_units"], answer.json()["participants"]) == (True, [])
    answer = api_client.post(
        "/api/v1/campaigns/",
        {**body, "covers_all_units": False, "participants": [county.ent2.pk, county.mine1.pk]},
        format="json",
    )
    assert answer.status_code == 201
    assert sorted(answer.json()["participants"]) == sorted([county.ent2.pk, county.mine1.pk])


def test_api_refuses_a_unit_of_another_bureau_or_kind(api_client, county):
    api_client.force_authenticate(county.inspector)
    body = {"name": "冬季“三防”专项检查", "starts_on": "2025-12-01", "ends_on": "2025-12-31"}
    before = Campaign.objects.count()
    for participants, message in (
        ([county.mine1.pk, county.other_mine.pk], f"所选单位（编号 {county.other_mine.pk}）不属于本局"),
        ([county.bureau.pk], "不是煤矿或主体企业"),
        ([], "请至少选择一个参加单位"),
    ):
        answer = api_client.post(
            "/api/v1/campaigns/", {**body, "covers_all_units": False, "participants": participants}, format="json"
        )
        assert answer.status_code == 400, answer.content
        assert message in answer.json()["participants"][0]
    answer = api_client.post("/api/v1/campaigns/", {**body, "participants": ["东峰"]}, format="json")
    assert answer.status_code == 400 and "participants" in answer.json()
    answer = api_client.post("/api/v1/campaigns/", {**body, "participants": [2**70]}, format="json")
    assert answer.status_code == 400 and "participants" in answer.json()
    assert Campaign.objects.count() == before


# ------------------------------------------------------------------ the pages


def test_the_pages_choose_participants_among_the_bureaus_units(client, county):
    client.force_login(county.inspector)
    page = client.get(reverse("campaign_create")).content.decode()
    fieldset = page[page.index('data-slot="participants"') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    # grouped by enterprise: 晋阳煤业集团 then its two mines, then 华泰能源 and its mine; no other county's unit
    names = re.findall(r'<label class="form-check-label[^"]*" for="unit-\d+"[^>]*>([^<]+)', fieldset)
    assert [n.strip() for n in names] == ["华泰能源", "北坡煤矿", "晋阳煤业集团", "东峰煤矿", "西岭煤矿"]
    assert f'value="{county.other_mine.pk}"' not in fieldset
    assert 'name="covers_all_units" id="scope-all" value="all" checked' in fieldset

    fields = {"name": "冬季“三防”专项检查", "starts_on": "2025-12-01", "ends_on": "2025-12-31"}
    answer = client.post(
        reverse("campaign_create"),
        {**fields, "covers_all_units": "chosen", "participants": [county.mine1.pk, county.other_mine.pk]},
    )
    assert answer.status_code == 200 and not Campaign.objects.filter(name=fields["name"]).exists()
    assert f"所选单位（编号 {county.other_mine.pk}）不属于本局，不能选为参加单位。" in answer.content.decode()
    answer = client.post(reverse("campaign_create"), {**fields, "covers_all_units": "chosen"})
    assert answer.status_code == 200 and "请至少选择一个参加单位" in answer.content.decode()
    # 全县 chosen: what was ticked in the hidden list does not count
    answer = client.post(
        reverse("campaign_create"), {**fields, "covers_all_units": "all", "participants": [county.mine1.pk]}
    )
    assert answer.status_code == 302
    Campaign.objects.get(name=fields["name"]).delete()
    answer = client.post(
        reverse("campaign_create"), {**fields, "covers_all_units": "chosen", "participants": [county.mine1.pk]}
    )
    assert answer.status_code == 302
    campaign = Campaign.objects.get(name=fields["name"])
    assert not campaign.covers_all_units and list(campaign.participants.all()) == [county.mine1]


def test_the_edit_page_changes_participants_of_a_published_campaign_as_a_version(client, county):
    campaign = published(county, [county.mine1])
    client.force_login(county.inspector)
    url = reverse("campaign_edit", kwargs={"pk": campaign.pk})
    page = client.get(url).content.decode()
    assert 'id="scope-chosen" value="chosen" checked' in page
    assert re.search(rf'value="{county.mine1.pk}" id="unit-{county.mine1.pk}"[^>]*checked', page)
    fields = {
        "name": campaign.name,
        "document_no": campaign.document_no,
        "issuer": campaign.issuer,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "goals": "",
        "notice_text": campaign.notice_text,
        "covers_all_units": "chosen",
    }
    answer = client.post(url, {**fields, "participants": [county.mine1.pk, county.mine3.pk]})
    assert answer.status_code == 302
    campaign.refresh_from_db()
    assert campaign.version == 2
    assert campaign.revisions.get(version=2).changes == ["新增参加单位：华泰能源、北坡煤矿。"]
    # the page posted again as it was: nothing changes
    assert client.post(url, {**fields, "participants": [county.mine1.pk, county.mine3.pk]}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.version == 2
    # a page without the fieldset (an older form) leaves who takes part as it is
    fields.pop("covers_all_units")
    assert client.post(url, {**fields, "name": "冬季“三防”检查"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.version == 3 and set(campaign.participants.all()) == {county.mine1, county.mine3}


def test_the_campaign_pages_say_who_takes_part(client, county):
    chosen = published(county, [county.mine1, county.ent2])
    everyone = running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=10))
    client.force_login(county.mine1_officer)
    page = client.get(reverse("campaign_detail", kwargs={"pk": chosen.pk})).content.decode()
    block = page[page.index('data-testid="participants"') :][:600]
    assert "华泰能源（北坡煤矿）" in block and "晋阳煤业集团（东峰煤矿）" in block and "西岭煤矿" not in block
    page = client.get(reverse("campaign_detail", kwargs={"pk": everyone.pk})).content.decode()
    assert "全县煤矿和主体企业" in page[page.index('data-testid="participants"') :][:200]
    listing = client.get(reverse("campaign_list")).content.decode()
    cell = listing[listing.index(f'data-testid="participants-{chosen.pk}"') :][:600]
    assert "选定 2 个" in cell and "东峰煤矿" in cell
    assert "全县" in listing[listing.index(f'data-testid="participants-{everyone.pk}"') :][:200]


@pytest.mark.parametrize("extra", [0, 5])
def test_the_pages_run_a_fixed_number_of_queries_whatever_the_participants(
    client, county, extra, django_assert_max_num_queries
):
    mines = [MineFactory(parent=county.ent1) for _ in range(extra)]
    campaign = published(county, [county.mine1, *mines])
    for i in range(extra):
        published(county, [county.mine2], code=f"more-{i}")
    client.force_login(county.inspector)
    client.get(reverse("campaign_list"))  # session and caches warm
    for url, most in (
        (reverse("campaign_list"), 8),
        (reverse("campaign_detail", kwargs={"pk": campaign.pk}), 9),
        (reverse("campaign_edit", kwargs={"pk": campaign.pk}), 8),
        (reverse("campaign_create"), 7),
    ):
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
