"""The pages: a 通报批评 on the home page of the units it names (and not on others'), the bureau's forms (403 for
the units), a step the state forbids 409, candidates from the records and the form they pre-fill, query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import AccountabilityAction, ActionKind, ActionRead
from tests.factories import HazardFactory, running_campaign

from .helpers import TODAY, criticism, summons

pytestmark = pytest.mark.django_db


def test_a_criticism_shows_on_the_home_page_of_the_units_it_names_until_read(client, county):
    note = criticism(county.inspector, [county.mine1], title="关于对东峰煤矿予以通报批评的决定")
    shown = {}
    for user in (
        county.mine1_officer,
        county.mine2_officer,
        county.mine3_officer,
        county.ent1_officer,
        county.inspector,
    ):
        client.force_login(user)
        shown[user.username] = "关于对东峰煤矿予以通报批评的决定" in client.get("/").content.decode()
    # ent1 is told of its mine's criticism too (it oversees mine1); the bureau, who issued it, is not nagged
    assert shown == {"mine1": True, "mine2": False, "mine3": False, "ent1": True, "inspector": False}
    client.force_login(county.mine1_officer)
    assert client.get(reverse("accountability_detail", args=[note.pk])).status_code == 200
    assert ActionRead.objects.filter(action=note, user=county.mine1_officer).exists()
    assert "关于对东峰煤矿予以通报批评的决定" not in client.get("/").content.decode()
    client.force_login(county.inspector)
    assert "东峰煤矿 · " in client.get(reverse("accountability_detail", args=[note.pk])).content.decode()


def test_a_summons_does_not_banner_and_a_draft_never_shows(client, county):
    summons(county.inspector, [county.mine1], title="约谈东峰")
    criticism(county.inspector, [county.mine1], title="草稿通报", issue=False)
    client.force_login(county.mine1_officer)
    html = client.get("/").content.decode()
    assert "约谈东峰" not in html and "草稿通报" not in html
    listed = client.get(reverse("accountability_list")).content.decode()
    assert "约谈东峰" in listed and "草稿通报" not in listed


def test_only_the_bureau_drafts_and_issues_on_the_pages(client, county):
    client.force_login(county.mine1_officer)
    assert client.get(reverse("accountability_create")).status_code == 403
    note = criticism(county.inspector, [county.mine1])
    assert client.post(reverse("accountability_issue", args=[note.pk])).status_code == 403
    client.force_login(county.leader)
    assert client.get(reverse("accountability_create") + "?kind=summons").status_code == 403
    client.force_login(county.inspector)
    response = client.post(
        reverse("accountability_create") + "?kind=notice_criticism",
        {"kind": "notice_criticism", "title": "通报", "targets": [county.mine2.pk], "reason": "迟报两次"},
    )
    assert response.status_code == 302
    draft = AccountabilityAction.objects.get(title="通报")
    issue = {"issued_on": TODAY, "row_version": draft.row_version}
    assert client.post(reverse("accountability_issue", args=[draft.pk]), issue).status_code == 302
    draft.refresh_from_db()
    assert draft.number.startswith("阳应急通〔")
    again = client.post(reverse("accountability_issue", args=[draft.pk]), {**issue, "row_version": draft.row_version})
    assert again.status_code == 409 and "不能重复签发" in again.content.decode()


def test_a_bad_form_says_why_and_saves_nothing(client, county):
    client.force_login(county.inspector)
    response = client.post(
        reverse("accountability_create") + "?kind=summons",
        {
            "kind": "summons",
            "title": "约谈",
            "targets": [county.mine1.pk],
            "reason": "x",
            "summoned_at": f"{TODAY}T09:00",
            "follow_up_on": TODAY - dt.timedelta(days=1),
        },
    )
    assert response.status_code == 200 and "跟踪复查日期应晚于约谈日期" in response.content.decode()
    assert not AccountabilityAction.objects.exists()


def test_candidates_come_from_the_records_and_prefill_the_form(client, county):
    campaign = running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=60))
    HazardFactory(
        mine=county.mine1,
        level="major",
        contingency_plan="撤人",
        found_on=TODAY - dt.timedelta(days=20),
        due_on=TODAY - dt.timedelta(days=5),
        source="bureau_inspection",
        location="3105回风巷",
    )
    client.force_login(county.inspector)
    html = client.get(reverse("accountability_candidates")).content.decode()
    assert "重大隐患逾期未整改" in html and "自查不实" in html
    # progress: every unit did nothing by the end of the first phases; reports: the past deadlines were all missed
    assert "阶段结束时任务进度严重滞后" in html and "多次迟报、漏报" in html
    assert "北坡煤矿" in html and campaign.name in html
    form = client.get(
        reverse("accountability_create"),
        {"kind": "summons", "source": "overdue_major_hazards", "target": county.mine1.pk},
    )
    page = form.content.decode()
    assert form.status_code == 200 and 'data-testid="from-candidate"' in page
    assert "东峰煤矿有1项重大事故隐患逾期未整改" in page
    assert f'<option value="{county.mine1.pk}" selected>' in page
    assert form.context["form"].initial["source"] == "overdue_major_hazards"
    # a unit does not see the proposals
    client.force_login(county.mine1_officer)
    assert client.get(reverse("accountability_candidates")).status_code == 403


def test_an_accident_in_the_campaign_proposes_accountability_of_its_mine(client, county):
    from tests.accidents.helpers import record

    running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=60))
    record(county.inspector, county.mine2, days_ago=3, late_minutes=200, serious_injuries=1, minor_injuries=1)
    record(county.inspector, county.mine3, days_ago=90)  # before the campaign: not its accident
    client.force_login(county.inspector)
    html = client.get(reverse("accountability_candidates"), {"source": "accidents_in_campaign"}).content.decode()
    assert "专项整治期间发生事故" in html
    assert "西岭煤矿在专项整治期间发生生产安全事故1起（受伤2人），其中迟报1起，依法严肃追责问责。" in html
    assert "北坡煤矿在专项整治期间" not in html
    form = client.get(
        reverse("accountability_create"),
        {"kind": "accountability", "source": "accidents_in_campaign", "target": county.mine2.pk},
    )
    assert form.status_code == 200 and "西岭煤矿在专项整治期间发生生产安全事故1起" in form.content.decode()


def test_an_action_made_from_a_candidate_is_shown_beside_it(client, county):
    running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=60))
    HazardFactory(mine=county.mine1, level="major", contingency_plan="x", due_on=TODAY - dt.timedelta(days=2))
    summons(county.inspector, [county.mine1], source="overdue_major_hazards")
    client.force_login(county.inspector)
    html = client.get(reverse("accountability_candidates")).content.decode()
    assert "已签发 阳应急约谈〔" in html


def _many(county, n):
    for i in range(n):
        criticism(county.inspector, [county.mine1, county.mine2], title=f"通报{i}")
        summons(county.inspector, [county.mine3, county.ent2], title=f"约谈{i}")


def test_list_page_and_api_keep_their_queries_at_two_sizes(client, api_client, county):
    _many(county, 1)
    client.force_login(county.inspector)
    api_client.force_authenticate(county.inspector)
    with CaptureQueriesContext(connection) as few_page:
        assert client.get(reverse("accountability_list")).status_code == 200
    with CaptureQueriesContext(connection) as few_api:
        assert api_client.get("/api/v1/accountability-actions/").status_code == 200
    _many(county, 6)
    with CaptureQueriesContext(connection) as many_page:
        html = client.get(reverse("accountability_list")).content.decode()
    with CaptureQueriesContext(connection) as many_api:
        data = api_client.get("/api/v1/accountability-actions/").json()
    assert html.count("北坡煤矿、华泰能源") == 7 and data["count"] == 14
    assert len(many_page) == len(few_page) and len(many_api) == len(few_api)


def test_home_and_candidates_keep_their_queries_at_two_sizes(client, county):
    running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=60))
    _many(county, 1)
    client.force_login(county.mine1_officer)
    with CaptureQueriesContext(connection) as few_home:
        client.get("/")
    client.force_login(county.inspector)
    with CaptureQueriesContext(connection) as few_candidates:
        client.get(reverse("accountability_candidates"))
    _many(county, 5)
    from tests.accidents.helpers import record

    for mine in (county.mine1, county.mine2, county.mine3):
        HazardFactory(mine=mine, level="major", contingency_plan="x", due_on=TODAY - dt.timedelta(days=2))
        record(county.inspector, mine, days_ago=2)
    with CaptureQueriesContext(connection) as many_candidates:
        client.get(reverse("accountability_candidates"))
    client.force_login(county.mine1_officer)
    with CaptureQueriesContext(connection) as many_home:
        client.get("/")
    assert len(many_home) == len(few_home)
    assert len(many_candidates) == len(few_candidates)


def test_kinds_in_the_contract():
    assert set(ActionKind.values) == {"notice_criticism", "summons", "accountability"}
