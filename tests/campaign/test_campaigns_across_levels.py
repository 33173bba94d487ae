"""Campaigns across levels (issue 22 item 2): a city issues a campaign, its counties adopt it (each a draft of its own
with the city's phases, deadlines and task list, completed and published by the county), and the counties owe the
city their reports — through the same submissions, versions, review, 催报, reminders and matrix as the mines' reports,
pre-filled from the county's ledgers. A county of another city sees none of it; the city writes nothing below."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Role
from campaign import authoring
from campaign.models import Campaign, CampaignStatus
from campaign.template_data import read_notice
from core.errors import InvalidState, NotFound, NotPermitted
from notifications.models import Notification
from reporting import services as reporting
from reporting.models import Submission, SubmissionStatus, SubmissionUrge
from reporting.sweeps import sweep_submissions
from tests.factories import BureauFactory, HazardFactory, UserFactory, regulator_levels

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def levels(county):
    """The county fixture under 晋城市, a second county (沁水) of the same city, and a city campaign published with a
    monthly report owed by the counties (due in two days) and a self-check list owed by the mines."""
    lv = regulator_levels(county)
    lv.neighbour = BureauFactory(name="沁水县应急管理局", parent=lv.city, division_code="140521")
    lv.neighbour_inspector = UserFactory(username="qinshui", role=Role.INSPECTOR, organization=lv.neighbour)
    campaign = authoring.campaign_create(
        actor=lv.city_user,
        name="晋城市煤矿安全生产百日专项整治",
        document_no="晋市应急发〔2026〕5号",
        starts_on=TODAY - dt.timedelta(days=10),
        ends_on=TODAY + dt.timedelta(days=80),
    )
    authoring.task_list_import(actor=lv.city_user, campaign=campaign, text=read_notice())
    lv.monthly = authoring.deadline_save(
        actor=lv.city_user,
        campaign=campaign,
        kind="monthly",
        name="月度进展（报市局）",
        due_on=TODAY + dt.timedelta(days=2),
        owed_by_mines=False,
        owed_by_enterprises=False,
        owed_by_bureau=True,
    )
    lv.self_check = authoring.deadline_save(
        actor=lv.city_user,
        campaign=campaign,
        kind="self_check",
        name="煤矿自查清单",
        due_on=TODAY + dt.timedelta(days=20),
        owed_by_mines=True,
        owed_by_enterprises=False,
    )
    lv.campaign = authoring.campaign_publish(actor=lv.city_user, campaign=campaign)
    return lv


def test_the_city_authors_its_own_campaign_and_counties_below_read_it(county, levels):
    campaign = levels.campaign
    assert campaign.bureau_id == levels.city.pk and campaign.status == CampaignStatus.PUBLISHED
    seen = set(Campaign.objects.visible_to(county.inspector).values_list("pk", flat=True))
    assert campaign.pk in seen  # the county reads the city's campaign it answers to
    assert campaign in Campaign.objects.visible_to(levels.neighbour_inspector)
    assert campaign not in Campaign.objects.visible_to(county.other_inspector)  # another city's county
    assert campaign not in Campaign.objects.visible_to(county.mine1_officer)  # mines follow their county's
    # …but it is not one the county works in: its dashboards and switcher stay on its own campaigns
    assert campaign not in Campaign.objects.visible_to(county.inspector).worked_in_by(county.inspector)
    # the city authors only its own: a county's campaign is read-only to it
    county_campaign = authoring.campaign_create(actor=county.inspector, name="本县方案", starts_on=TODAY)
    with pytest.raises(NotPermitted):
        authoring.campaign_update(actor=levels.city_user, campaign=county_campaign, name="改名")
    with pytest.raises(NotPermitted):
        authoring.deadline_save(
            actor=county.inspector, campaign=campaign, kind="summary", name="x", due_on=TODAY, owed_by_bureau=True
        )


def test_the_city_campaign_is_announced_to_the_counties_below(county, levels):
    key = f"campaign:{levels.campaign.pk}:version:1"
    told = set(Notification.objects.filter(key=key).values_list("recipient__username", flat=True))
    assert {"inspector", "leader", "qinshui"} <= told
    assert not told & {"other_inspector", "mine1", "city"}


def test_a_county_adopts_the_city_campaign_once_and_completes_it(county, levels):
    copy = authoring.campaign_adopt(actor=county.inspector, campaign=levels.campaign)
    assert copy.bureau_id == county.bureau.pk and copy.adopts_id == levels.campaign.pk and copy.is_draft
    assert (copy.starts_on, copy.ends_on) == (levels.campaign.starts_on, levels.campaign.ends_on)
    assert copy.document_no == "" and copy.issuer == county.bureau.name
    # what the mines owe comes along; what the county owes the city stays on the city's campaign
    assert list(copy.deadlines.values_list("name", "owed_by_bureau")) == [("煤矿自查清单", False)]
    assert copy.requirements.count() == levels.campaign.requirements.count()
    # the county adds its own deadline and publishes under its own 文号
    authoring.deadline_save(
        actor=county.inspector,
        campaign=copy,
        kind="work_plan",
        name="煤矿工作方案",
        due_on=TODAY + dt.timedelta(days=5),
        owed_by_mines=True,
    )
    authoring.campaign_update(actor=county.inspector, campaign=copy, document_no="阳应急发〔2026〕8号")
    authoring.campaign_publish(actor=county.inspector, campaign=copy)
    assert copy.deadlines.count() == 2
    with pytest.raises(InvalidState):  # 409: once per county
        authoring.campaign_adopt(actor=county.inspector, campaign=levels.campaign)
    with pytest.raises(NotFound):  # another city's county
        authoring.campaign_adopt(actor=county.other_inspector, campaign=levels.campaign)
    with pytest.raises(NotPermitted):  # the read-only leadership group
        authoring.campaign_adopt(actor=county.leader, campaign=levels.campaign)
    with pytest.raises(NotPermitted):  # the city itself
        authoring.campaign_adopt(actor=levels.city_user, campaign=levels.campaign)


def test_the_campaign_pages_show_who_adopted_and_offer_adoption(client, county, levels):
    authoring.campaign_adopt(actor=county.inspector, campaign=levels.campaign)
    client.force_login(levels.city_user)
    page = client.get(reverse("campaign_detail", args=[levels.campaign.pk])).content.decode()
    assert 'data-testid="adoptions"' in page and "编制中" in page and "未落实" in page
    client.force_login(levels.neighbour_inspector)
    page = client.get(reverse("campaign_detail", args=[levels.campaign.pk])).content.decode()
    assert 'data-testid="adopt"' in page and "各县落实情况" not in page  # its own answer, not its neighbours'
    answer = client.post(reverse("campaign_adopt", args=[levels.campaign.pk]))
    adopted = Campaign.objects.get(adopts=levels.campaign, bureau=levels.neighbour)
    assert answer.status_code == 302 and answer["Location"] == reverse("campaign_detail", args=[adopted.pk])
    page = client.get(answer["Location"]).content.decode()
    assert 'data-testid="adopts"' in page
    client.force_login(county.leader)
    assert client.post(reverse("campaign_adopt", args=[levels.campaign.pk])).status_code == 403
    client.force_login(county.other_inspector)
    assert client.post(reverse("campaign_adopt", args=[levels.campaign.pk])).status_code == 404


def test_a_county_report_to_the_city_goes_draft_submitted_returned_resubmitted_approved(county, levels):
    HazardFactory(mine=county.mine1, found_on=TODAY)  # the county's ledgers pre-fill its report
    deadline = levels.monthly
    assert deadline.is_owed_by(county.bureau) and deadline.is_owed_by(levels.neighbour)
    assert not deadline.is_owed_by(county.other_bureau) and not deadline.is_owed_by(county.mine1)
    submission = reporting.submission_open(actor=county.inspector, deadline=deadline)
    assert submission.organization_id == county.bureau.pk and submission.status == SubmissionStatus.DRAFT
    assert reporting.prefill(submission)["figures"]["hazards_found"] == 1
    reporting.submission_save(actor=county.inspector, submission=submission, narrative={"done": "全县开展自查"})
    reporting.submission_submit(actor=county.inspector, submission=submission)
    with pytest.raises(NotPermitted):  # the county does not review its own report
        reporting.submission_approve(actor=county.inspector, submission=submission)
    with pytest.raises(NotPermitted):  # the province reads; the city directly above reviews
        reporting.submission_approve(actor=levels.province_user, submission=submission)
    reporting.submission_return(actor=levels.city_user, submission=submission, reason="请补充重大隐患整改情况")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    told = Notification.objects.get(recipient=county.inspector, topic="submission_reviewed")
    assert "被上级退回" in told.title
    assert not Notification.objects.filter(recipient=county.leader, topic="submission_reviewed").exists()
    reporting.submission_save(actor=county.inspector, submission=submission, narrative={"done": "已补充"})
    reporting.submission_submit(actor=county.inspector, submission=submission)
    reporting.submission_approve(actor=levels.city_user, submission=submission, version=2)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED and submission.versions_submitted == 2
    assert list(submission.versions.values_list("review_status", flat=True)) == ["returned", "approved"]
    assert submission.versions.get(number=1).content["figures"]["hazards_found"] == 1


def test_who_may_send_and_see_a_county_report(county, levels):
    with pytest.raises(NotPermitted):  # the leadership group reads
        reporting.submission_open(actor=county.leader, deadline=levels.monthly)
    with pytest.raises(NotFound):  # a mine owes its county, not the city
        reporting.submission_open(actor=county.mine1_officer, deadline=levels.monthly)
    with pytest.raises(NotFound):  # another city's county
        reporting.submission_open(actor=county.other_inspector, deadline=levels.monthly)
    submission = reporting.submission_open(actor=county.inspector, deadline=levels.monthly)
    assert submission in Submission.objects.visible_to(levels.city_user)
    assert submission in Submission.objects.visible_to(levels.province_user)
    for outsider in (levels.neighbour_inspector, levels.other_city_user, county.mine1_officer):
        assert submission not in Submission.objects.visible_to(outsider)
    # the city reviews the counties' reports only, never a mine's
    mine_report = Submission.objects.create(organization=county.mine1, deadline=levels.self_check)
    from reporting.permissions import can_review

    assert not can_review(levels.city_user, mine_report)
    assert can_review(county.inspector, mine_report)


def test_the_city_matrix_urge_and_reminders_reach_the_counties(client, county, levels):
    client.force_login(levels.city_user)
    page = client.get(reverse("submission_matrix") + f"?campaign={levels.campaign.pk}")
    assert page.status_code == 200
    rows = [row["organization"].name for row in page.context["rows"]]
    assert sorted(rows) == sorted(["阳城县应急管理局", "沁水县应急管理局"])  # one row per county, no mine
    totals = {t["deadline"].pk: t for t in page.context["column_totals"]}
    assert totals[levels.monthly.pk]["owed"] == 2 and totals[levels.monthly.pk]["missing"] == 2
    answer = client.post(reverse("submission_urge_column", args=[levels.monthly.pk]))
    assert answer.status_code == 302
    assert SubmissionUrge.objects.filter(deadline=levels.monthly).count() == 2
    urged = Notification.objects.filter(topic="submission_urged")
    assert set(urged.values_list("recipient__username", flat=True)) == {"inspector", "qinshui"}
    assert "上级催报" in urged.first().title
    # one cell of the matrix
    cell = reverse("submission_urge_cell", args=[levels.monthly.pk, county.bureau.pk])
    assert client.post(cell).status_code == 302
    # a county's inspector may not urge for the city
    client.force_login(county.inspector)
    assert client.post(reverse("submission_urge_column", args=[levels.monthly.pk])).status_code in (403, 404)
    # the sweep reminds the counties' writers (not their leadership group), and escalates past due to the city
    Notification.objects.all().delete()
    sweep_submissions(today=levels.monthly.due_on - dt.timedelta(days=1))
    reminded = set(
        Notification.objects.filter(topic="submission_reminder").values_list("recipient__username", flat=True)
    )
    assert {"inspector", "qinshui"} <= reminded and "leader" not in reminded
    sweep_submissions(today=levels.monthly.due_on + dt.timedelta(days=1))
    escalated = Notification.objects.filter(topic="submission_escalation", key__contains=f":{levels.monthly.pk}:")
    assert set(escalated.values_list("recipient__username", flat=True)) == {"city"}


def test_the_api_lets_the_city_review_and_nothing_more(api_client, county, levels):
    submission = reporting.submission_open(actor=county.inspector, deadline=levels.monthly)
    reporting.submission_save(actor=county.inspector, submission=submission, narrative={"done": "全县开展自查"})
    reporting.submission_submit(actor=county.inspector, submission=submission)
    url = f"/api/v1/submissions/{submission.pk}/"
    api_client.force_authenticate(county.leader)
    assert api_client.post(url + "approve/", {}, format="json").status_code == 403
    api_client.force_authenticate(county.inspector)
    assert api_client.post(url + "approve/", {}, format="json").status_code == 403
    api_client.force_authenticate(levels.city_user)
    assert api_client.patch(url, {"narrative": {"done": "改"}}, format="json").status_code == 403
    answer = api_client.post(url + "return/", {"reason": "请补充"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "returned"
    # the city's writes stop at its own: a county's hazard is read-only
    mine_report = Submission.objects.create(organization=county.mine1, deadline=levels.self_check)
    assert api_client.post(f"/api/v1/submissions/{mine_report.pk}/approve/", {}, format="json").status_code == 403


def test_the_county_home_keeps_a_returned_report_however_old(client, county, levels):
    submission = reporting.submission_open(actor=county.inspector, deadline=levels.monthly)
    reporting.submission_save(actor=county.inspector, submission=submission, narrative={"done": "全县开展自查"})
    reporting.submission_submit(actor=county.inspector, submission=submission)
    reporting.submission_return(actor=levels.city_user, submission=submission, reason="请补充")
    # the campaign ended two months ago: its finished reports have left the home page, the returned one has not
    Campaign.objects.filter(pk=levels.campaign.pk).update(
        starts_on=TODAY - dt.timedelta(days=150), ends_on=TODAY - dt.timedelta(days=60)
    )
    client.force_login(county.inspector)
    page = client.get("/")
    rows = [row["deadline"].pk for row in page.context["upward"]]
    assert rows == [levels.monthly.pk]
    assert "修改后重新报送" in page.content.decode()
    reporting.submission_submit(actor=county.inspector, submission=submission)
    reporting.submission_approve(actor=levels.city_user, submission=submission)
    assert client.get("/").context["upward"] == []
