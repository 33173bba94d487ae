"""The API edits a campaign's structure as the authoring pages do (issue 21 leftovers): its facts (PATCH
/api/v1/campaigns/{id}/), its phases, deadlines and task items (listed and added under /campaigns/{id}/phases/ …,
each changed or deleted at /campaign-phases/{id}/ …), and its thresholds (/campaigns/{id}/thresholds/), through the
same services: a published campaign's change is a new version, announced; a threshold change records who, when and
each figure's old and new value, and changes what the rules decide from then on."""

import datetime as dt
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign import authoring
from campaign.figures import UNDERGROUND_HOURS, figure_of
from campaign.models import (
    Campaign,
    CampaignRevision,
    Deadline,
    Phase,
    RecordEvidence,
    Requirement,
    RequirementProgress,
)
from notifications.models import Notification
from tests.factories import running_campaign
from workforce import services as workforce_services
from workforce.models import PositioningRecord

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = dt.date(2025, 11, 3)


@pytest.fixture
def published(county):
    """The county's 2024 campaign, published (version 1), every unit taking part."""
    return running_campaign(bureau=county.bureau)


@pytest.fixture
def draft(county):
    campaign = authoring.campaign_create(
        actor=county.inspector, name="冬季“三防”专项检查", starts_on=START, ends_on=START + dt.timedelta(days=30)
    )
    authoring.phase_save(
        actor=county.inspector,
        campaign=campaign,
        name="部署阶段",
        starts_on=START,
        ends_on=START + dt.timedelta(days=5),
    )
    authoring.deadline_save(
        actor=county.inspector,
        campaign=campaign,
        kind="work_plan",
        name="工作方案",
        due_on=START + dt.timedelta(days=7),
        owed_by_mines=True,
    )
    section = authoring.requirement_save(actor=county.inspector, campaign=campaign, name="防火")
    measure = authoring.requirement_save(actor=county.inspector, campaign=campaign, parent=section, name="查电气")
    authoring.requirement_save(actor=county.inspector, campaign=campaign, parent=measure, name="查电缆")
    return Campaign.objects.get(pk=campaign.pk)


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def announced(campaign, version, user):
    return Notification.objects.filter(key=f"campaign:{campaign.pk}:version:{version}", recipient=user).count()


# ------------------------------------------------------------------ the campaign's facts


def test_patch_changes_the_facts_and_a_new_start_shifts_every_phase_and_deadline(county, api_client, draft):
    api = as_user(api_client, county.inspector)
    offsets = sorted((d.due_on - draft.starts_on).days for d in draft.deadlines.all())
    phase_offsets = sorted((p.starts_on - draft.starts_on).days for p in draft.phases.all())
    answer = api.patch(
        f"/api/v1/campaigns/{draft.pk}/",
        {"name": "冬季“三防”专项检查（修订）", "starts_on": "2025-12-01", "goals": ["防火", "防冻"]},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["name"] == "冬季“三防”专项检查（修订）" and body["starts_on"] == "2025-12-01"
    assert body["ends_on"] == "2025-12-31"  # shifted with the start
    campaign = Campaign.objects.get(pk=draft.pk)
    assert [g["name"] for g in campaign.goals] == ["防火", "防冻"]
    assert sorted((d.due_on - campaign.starts_on).days for d in campaign.deadlines.all()) == offsets
    assert sorted((p.starts_on - campaign.starts_on).days for p in campaign.phases.all()) == phase_offsets
    assert campaign.version == 0 and not campaign.revisions.exists()  # a draft has no versions


def test_patching_a_published_campaign_makes_a_version_announced_once(county, api_client, published):
    api = as_user(api_client, county.inspector)
    answer = api.patch(f"/api/v1/campaigns/{published.pk}/", {"document_no": "阳应急发〔2024〕281号"}, format="json")
    assert answer.status_code == 200 and answer.json()["version"] == 2
    revision = published.revisions.get(version=2)
    assert revision.changed_by == county.inspector and "阳应急发〔2024〕281号" in revision.summary
    assert announced(published, 2, county.mine1_officer) == 1
    # the same value again: nothing changed, no version
    api.patch(f"/api/v1/campaigns/{published.pk}/", {"document_no": "阳应急发〔2024〕281号"}, format="json")
    assert Campaign.objects.get(pk=published.pk).version == 2


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"ends_on": "2025-11-01"}, "ends_on", "结束日期不能早于开始日期"),
        ({"name": "  "}, "name", "请填写名称"),
        ({"document_no": "文" * 61}, "document_no", "文号不能超过 60 个字"),
        ({"starts_on": "明天"}, "starts_on", "日期格式错误"),
    ],
)
def test_bad_facts_are_400_in_chinese_and_nothing_changes(county, api_client, draft, body, field, message):
    answer = as_user(api_client, county.inspector).patch(f"/api/v1/campaigns/{draft.pk}/", body, format="json")
    assert answer.status_code == 400
    assert message in answer.json()[field][0]
    assert Campaign.objects.get(pk=draft.pk).name == draft.name


# ------------------------------------------------------------------ phases, deadlines, task items


def test_phases_are_listed_added_changed_and_deleted(county, api_client, draft):
    api = as_user(api_client, county.inspector)
    url = f"/api/v1/campaigns/{draft.pk}/phases/"
    listed = api.get(url).json()
    assert listed["count"] == 1 and listed["results"][0]["name"] == "部署阶段"
    answer = api.post(url, {"name": "整治阶段", "starts_on": "2025-11-09", "ends_on": "2025-11-30"}, format="json")
    assert answer.status_code == 201, answer.content
    phase = answer.json()
    assert phase["order"] == 2 and phase["campaign"] == draft.pk
    answer = api.patch(f"/api/v1/campaign-phases/{phase['id']}/", {"summary": "全面排查"}, format="json")
    assert answer.status_code == 200 and answer.json()["summary"] == "全面排查"
    assert answer.json()["name"] == "整治阶段" and answer.json()["ends_on"] == "2025-11-30"  # the others stay
    assert api.get(f"/api/v1/campaign-phases/{phase['id']}/").json()["summary"] == "全面排查"
    assert api.delete(f"/api/v1/campaign-phases/{phase['id']}/").status_code == 204
    assert not Phase.objects.filter(pk=phase["id"]).exists()


def test_deadlines_are_listed_added_changed_and_deleted(county, api_client, draft):
    api = as_user(api_client, county.inspector)
    url = f"/api/v1/campaigns/{draft.pk}/deadlines/"
    assert [d["name"] for d in api.get(url).json()["results"]] == ["工作方案"]
    answer = api.post(
        url,
        {"kind": "summary", "name": "总结报市局", "due_on": "2025-12-03", "owed_by_mines": False,
         "owed_by_enterprises": False, "owed_by_bureau": True},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    deadline = answer.json()
    assert deadline["owed_by_bureau"] and not deadline["owed_by_mines"] and deadline["code"] == "summary"
    answer = api.patch(f"/api/v1/campaign-deadlines/{deadline['id']}/", {"due_on": "2025-12-02"}, format="json")
    assert answer.status_code == 200 and answer.json()["due_on"] == "2025-12-02"
    assert answer.json()["owed_by_bureau"] and answer.json()["name"] == "总结报市局"
    assert api.delete(f"/api/v1/campaign-deadlines/{deadline['id']}/").status_code == 204
    assert not Deadline.objects.filter(pk=deadline["id"]).exists()


def test_task_items_are_listed_added_changed_and_deleted(county, api_client, draft):
    api = as_user(api_client, county.inspector)
    url = f"/api/v1/campaigns/{draft.pk}/requirements/"
    listed = api.get(url).json()
    assert [(r["code"], r["level"]) for r in listed["results"]] == [
        ("1", "section"),
        ("1.1", "measure"),
        ("1.1.a", "item"),
    ]
    measure = draft.requirements.get(code="1.1")
    answer = api.post(
        url,
        {
            "parent": measure.pk,
            "name": "出入井时间",
            "text": "严格控制出入井时间。",
            "evidence": "underground_time",
            "target_max": "10",
            "target_unit": "小时",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    item = answer.json()
    assert (item["code"], item["level"], item["parent"], item["target_max"]) == ("1.1.b", "item", measure.pk, "10.00")
    answer = api.patch(f"/api/v1/campaign-requirements/{item['id']}/", {"target_max": "9"}, format="json")
    assert answer.status_code == 200 and answer.json()["target_max"] == "9.00"
    assert answer.json()["evidence"] == "underground_time" and answer.json()["text"] == "严格控制出入井时间。"
    assert api.delete(f"/api/v1/campaign-requirements/{item['id']}/").status_code == 204
    assert not Requirement.objects.filter(pk=item["id"]).exists()


def test_each_change_of_a_published_campaigns_structure_is_a_version(county, api_client, published):
    api = as_user(api_client, county.inspector)
    phase = published.phases.order_by("order").first()
    assert api.patch(f"/api/v1/campaign-phases/{phase.pk}/", {"name": "动员部署"}, format="json").status_code == 200
    body = {"kind": "summary", "name": "总结报市局", "due_on": str(published.ends_on), "owed_by_bureau": True}
    assert api.post(f"/api/v1/campaigns/{published.pk}/deadlines/", body, format="json").status_code == 201
    item = published.requirements.get(code="1.2.b")
    answer = api.patch(f"/api/v1/campaign-requirements/{item.pk}/", {"name": "修改后的事项"}, format="json")
    assert answer.status_code == 200
    published.refresh_from_db()
    assert published.version == 4
    summaries = list(published.revisions.order_by("version").values_list("summary", flat=True))
    assert "动员部署" in summaries[-3] and "总结报市局" in summaries[-2] and "1.2.b" in summaries[-1]
    assert announced(published, 4, county.mine1_officer) == 1


def test_bad_structure_is_400_in_chinese_and_a_state_that_forbids_is_409(county, api_client, published):
    api = as_user(api_client, county.inspector)
    phases = f"/api/v1/campaigns/{published.pk}/phases/"
    answer = api.post(phases, {"name": "x", "starts_on": "2024-11-10", "ends_on": "2024-11-01"}, format="json")
    assert answer.status_code == 400 and "结束日期不能早于开始日期" in answer.json()["ends_on"][0]
    answer = api.post(phases, {"name": "x", "starts_on": "2030-01-01", "ends_on": "2030-01-02"}, format="json")
    assert answer.status_code == 400 and "阶段应在专项整治的起止日期之内" in answer.json()["starts_on"][0]
    body = {"kind": "summary", "name": "无人报送", "due_on": "2024-12-01", "owed_by_mines": False}
    body["owed_by_enterprises"] = False
    answer = api.post(f"/api/v1/campaigns/{published.pk}/deadlines/", body, format="json")
    assert answer.status_code == 400 and "请至少选择一个报送单位" in answer.json()["owed_by_mines"][0]
    item = published.requirements.get(code="1.2.b")
    url = f"/api/v1/campaign-requirements/{item.pk}/"
    answer = api.patch(url, {"target_min": "5", "target_max": "3"}, format="json")
    assert answer.status_code == 400 and "目标下限不能大于上限" in answer.json()["target_min"][0]
    answer = api.post(
        f"/api/v1/campaigns/{published.pk}/requirements/", {"parent": item.pk, "name": "x"}, format="json"
    )
    assert answer.status_code == 400 and "请选择所属的部分或措施" in answer.json()["parent"][0]
    assert Campaign.objects.get(pk=published.pk).version == 1  # nothing refused made a version
    RequirementProgress.objects.create(organization=county.mine1, requirement=item, status="done")
    answer = api.delete(url)
    assert answer.status_code == 409 and "已有单位填报" in answer.json()["detail"]
    assert Requirement.objects.filter(pk=item.pk).exists()


def test_units_read_what_they_see_and_may_change_nothing(county, api_client, published, draft):
    """A mine or an enterprise: 403 on a campaign it sees (published), 404 on one it does not (the bureau's draft);
    the leadership group reads and may change nothing; another bureau's inspector 404."""
    phase, deadline = published.phases.first(), published.deadlines.first()
    item = published.requirements.get(code="1.2.b")
    hidden = {"campaign": draft, "phase": draft.phases.first(), "deadline": draft.deadlines.first()}
    hidden["item"] = draft.requirements.get(code="1.1.a")
    writes = [
        ("patch", "/api/v1/campaigns/{c}/", {"name": "被改了"}),
        ("post", "/api/v1/campaigns/{c}/phases/", {"name": "x", "starts_on": "2024-11-01", "ends_on": "2024-11-02"}),
        ("post", "/api/v1/campaigns/{c}/deadlines/", {"kind": "summary", "name": "x", "due_on": "2024-12-01"}),
        ("post", "/api/v1/campaigns/{c}/requirements/", {"name": "x"}),
        ("patch", "/api/v1/campaign-phases/{p}/", {"name": "被改了"}),
        ("delete", "/api/v1/campaign-phases/{p}/", {}),
        ("patch", "/api/v1/campaign-deadlines/{d}/", {"name": "被改了"}),
        ("delete", "/api/v1/campaign-deadlines/{d}/", {}),
        ("patch", "/api/v1/campaign-requirements/{r}/", {"name": "被改了"}),
        ("delete", "/api/v1/campaign-requirements/{r}/", {}),
        ("patch", "/api/v1/campaigns/{c}/thresholds/", {"pass_mark": 90}),
    ]
    reads = [
        "/api/v1/campaigns/{c}/phases/",
        "/api/v1/campaigns/{c}/deadlines/",
        "/api/v1/campaigns/{c}/requirements/",
        "/api/v1/campaign-phases/{p}/",
        "/api/v1/campaign-deadlines/{d}/",
        "/api/v1/campaign-requirements/{r}/",
    ]

    def urls(template, objects):
        return template.format(
            c=objects["campaign"].pk, p=objects["phase"].pk, d=objects["deadline"].pk, r=objects["item"].pk
        )

    seen = {"campaign": published, "phase": phase, "deadline": deadline, "item": item}
    for user in (county.mine1_officer, county.ent1_officer, county.leader):
        api = as_user(api_client, user)
        for url in reads:
            assert api.get(urls(url, seen)).status_code == 200, (user, url)
        for method, url, body in writes:
            answer = getattr(api, method)(urls(url, seen), body, format="json")
            assert answer.status_code == 403, (user, method, url, answer.status_code)
            assert "detail" in answer.json()
    for user in (county.mine1_officer, county.ent1_officer):
        api = as_user(api_client, user)
        assert api.get(f"/api/v1/campaigns/{published.pk}/thresholds/").status_code == 403
        for method, url, body in writes:
            answer = getattr(api, method)(urls(url, hidden), body, format="json")
            assert answer.status_code == 404, (user, method, url, answer.status_code)
        for url in reads:
            assert api.get(urls(url, hidden)).status_code == 404
    api = as_user(api_client, county.other_inspector)
    for objects in (seen, hidden):
        for method, url, body in writes:
            assert getattr(api, method)(urls(url, objects), body, format="json").status_code == 404
    published.refresh_from_db()
    assert published.version == 1 and published.name != "被改了"
    assert Phase.objects.filter(pk=phase.pk).exists() and Requirement.objects.get(pk=item.pk).name != "被改了"
    assert figure_of(Campaign.objects.get(pk=published.pk), UNDERGROUND_HOURS) == 10


# ------------------------------------------------------------------ thresholds


def _trips(day, *names):
    """Trips of 9 h 30 underground: within 10 h, over 9 h."""
    lines = [f"{name},{4000 + i},综采一队,{day} 07:00,{day} 16:30,6:00" for i, name in enumerate(names)]
    text = "姓名,卡号,班组,下井时间,升井时间,工作面时长\n" + "\n".join(lines) + "\n"
    return SimpleUploadedFile("下井记录.csv", text.encode("utf-8"))


def _over_underground():
    return set(PositioningRecord.objects.filter(over_underground=True).values_list("person_name", flat=True))


def test_a_threshold_change_is_a_version_with_old_and_new_values_and_changes_the_rules_outcome(
    county, api_client, published, time_machine
):
    time_machine.move_to(dt.datetime(2024, 12, 2, 10, 0, tzinfo=SHANGHAI), tick=False)
    officer, mine = county.mine1_officer, county.mine1
    workforce_services.positioning_import(actor=officer, mine=mine, upload=_trips("2024-11-12", "甲"))
    assert _over_underground() == set()  # 9 h 30 within the notice's 10 h

    api = as_user(api_client, county.inspector)
    url = f"/api/v1/campaigns/{published.pk}/thresholds/"
    before = api.get(url).json()
    assert before["values"]["underground_hours"] == 10 and before["values"]["reminder_days"] == [7, 3, 1]
    assert before["history"] == [] and before["may_edit"]
    held = {f["name"]: f for f in before["figures"]}["underground_hours"]
    item = Requirement.objects.get(pk=held["item"])
    assert item.evidence == RecordEvidence.UNDERGROUND_TIME and held["settable"]

    answer = api.patch(url, {"underground_hours": 9, "reminder_days": [5, 2], "pass_mark": 80}, format="json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["values"]["underground_hours"] == 9 and body["version"] == 2
    revision = CampaignRevision.objects.get(campaign=published, version=2)
    assert revision.changed_by == county.inspector and revision.changed_at is not None
    assert revision.changes == [
        "阈值：出入井时间上限 由 10 小时 改为 9 小时。",
        "阈值：报送截止前提醒天数 由 7、3、1 天 改为 5、2 天。",
    ]  # the pass mark sent unchanged is no change
    assert body["history"][0]["changes"] == revision.changes and body["history"][0]["changed_by"] == "inspector"
    assert announced(published, 2, county.mine1_officer) == 1
    assert (
        "由 10 小时 改为 9 小时"
        in Notification.objects.get(key=f"campaign:{published.pk}:version:2", recipient=county.mine1_officer).body
    )

    # the rule follows: a trip of the same length recorded now is over the limit; the earlier one stays as judged
    workforce_services.positioning_import(actor=officer, mine=mine, upload=_trips("2024-11-13", "乙"))
    assert _over_underground() == {"乙"}

    # the same figures again: no new version
    assert api.patch(url, {"underground_hours": "9.00"}, format="json").json()["version"] == 2
    assert list(published.revisions.values_list("version", flat=True)) == [2]


def test_a_drafts_thresholds_are_just_saved(county, api_client):
    campaign = authoring.campaign_create(
        actor=county.inspector, name="草稿", starts_on=START, source=running_campaign(bureau=county.bureau)
    )
    answer = as_user(api_client, county.inspector).patch(
        f"/api/v1/campaigns/{campaign.pk}/thresholds/", {"underground_hours": 9}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["values"]["underground_hours"] == 9
    assert answer.json()["version"] == 0 and answer.json()["history"] == []
    assert not CampaignRevision.objects.filter(campaign=campaign).exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"pass_mark": 120}, "pass_mark", "逢查必考合格分数应在 1 到 100分 之间"),
        ({"pass_mark": 85.5}, "pass_mark", "逢查必考合格分数应为整数"),
        ({"underground_hours": 0}, "underground_hours", "出入井时间上限应在 1 到 24小时 之间"),
        ({"underground_hours": "9.555"}, "underground_hours", "小数"),
        ({"reminder_days": [7, 0]}, "reminder_days", "每个天数应在 1 到 30 天之间"),
        ({"reminder_days": "一周"}, "reminder_days", "列表"),
        ({"reminder_hours": 3}, "reminder_hours", "未知阈值"),
    ],
)
def test_bad_thresholds_are_400_in_chinese_and_nothing_saved(county, api_client, published, body, field, message):
    answer = as_user(api_client, county.inspector).patch(
        f"/api/v1/campaigns/{published.pk}/thresholds/", body, format="json"
    )
    assert answer.status_code == 400
    assert message in str(answer.json()[field]), answer.json()
    campaign = Campaign.objects.get(pk=published.pk)
    assert campaign.version == 1 and figure_of(campaign, UNDERGROUND_HOURS) == 10


def test_the_thresholds_page_shows_who_changed_what_and_says_a_version_was_made(client, county, published):
    from campaign.thresholds import thresholds_of

    client.force_login(county.inspector)
    url = reverse("campaign_thresholds", args=[published.pk])
    assert "发布以来未修改过阈值" in client.get(url).content.decode()
    form = {**thresholds_of(published).values, "reminder_days": "7,3,1", "underground_hours": "11"}
    response = client.post(url, form, follow=True)
    page = response.content.decode()
    assert "形成第 2 版并已通知各单位" in page
    assert "阈值：出入井时间上限 由 10 小时 改为 11 小时。" in page and county.inspector.display_name in page
    client.force_login(county.leader)  # reads the history too
    assert "由 10 小时 改为 11 小时" in client.get(url).content.decode()


# ------------------------------------------------------------------ query counts


@pytest.mark.parametrize("extra", [0, 30])
def test_the_structure_lists_do_not_grow_with_the_items(
    county, api_client, published, extra, django_assert_max_num_queries
):
    start = published.starts_on
    Phase.objects.bulk_create(
        Phase(campaign=published, order=10 + i, code=f"extra_{i}", name=f"阶段{i}", starts_on=start, ends_on=start)
        for i in range(extra)
    )
    Deadline.objects.bulk_create(
        Deadline(campaign=published, code=f"extra_{i}", kind="summary", name=f"时限{i}", due_on=start)
        for i in range(extra)
    )
    measure = published.requirements.get(code="1.2")
    Requirement.objects.bulk_create(
        Requirement(campaign=published, parent=measure, level="item", code=f"x.{i}", name=f"事项{i}", order=500 + i)
        for i in range(extra)
    )
    api = as_user(api_client, county.inspector)
    # 6: with the campaign's participants, prefetched with it (who takes part: campaign.membership)
    for what in ("phases", "deadlines", "requirements"):
        with django_assert_max_num_queries(6):
            answer = api.get(f"/api/v1/campaigns/{published.pk}/{what}/", {"page_size": 200})
        assert answer.status_code == 200
        assert answer.json()["count"] == getattr(published, what).count() and answer.json()["count"] >= extra
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/v1/campaigns/{published.pk}/thresholds/").status_code == 200
