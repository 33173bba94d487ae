"""Campaigns authored in the browser (issue 21 items 1–3, 7): created blank, from the template or from a past campaign
(without its 文号); the notice's task list imported (pasted or as a .docx) into the draft's Requirement tree with the
numbers, whole texts and paragraphs; dates shifted keeping every offset; published, after which a change is a new
version, recorded and announced once; the API's contract and status codes."""

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import Workbook

from campaign import authoring
from campaign.models import CampaignRevision, CampaignStatus, Requirement, RequirementProgress
from campaign.template_data import read_notice
from core.errors import DomainError, InvalidState, NotFound, NotPermitted
from notifications.models import Notification
from tests.factories import running_campaign, template_campaign

pytestmark = pytest.mark.django_db
START = dt.date(2025, 11, 3)


def notice_docx(text=None):
    document = Document()
    for line in (text or read_notice()).splitlines():
        document.add_paragraph(line)
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def draft(county, **kwargs):
    fields = {"name": "冬季“三防”专项检查", "starts_on": START, "ends_on": START + dt.timedelta(days=30)}
    return authoring.campaign_create(actor=county.inspector, **{**fields, **kwargs})


def imported(county, **kwargs):
    campaign = draft(county, document_no="阳应急发〔2025〕12号", **kwargs)
    authoring.task_list_import(actor=county.inspector, campaign=campaign, text=read_notice())
    return campaign


# ------------------------------------------------------------------ creating


def test_a_blank_draft_belongs_to_the_bureau_and_only_the_bureau_sees_it(county):
    from campaign.models import Campaign

    campaign = draft(county)
    assert campaign.status == CampaignStatus.DRAFT and campaign.bureau == county.bureau
    assert campaign.issuer == county.bureau.name and campaign.version == 0
    assert Campaign.objects.visible_to(county.inspector).filter(pk=campaign.pk).exists()
    assert not Campaign.objects.visible_to(county.mine1_officer).filter(pk=campaign.pk).exists()
    assert not Campaign.objects.visible_to(county.other_inspector).filter(pk=campaign.pk).exists()
    assert not Campaign.objects.running_on(START + dt.timedelta(days=1)).filter(pk=campaign.pk).exists()


def test_a_copy_of_the_template_or_a_past_campaign_shifts_its_dates_and_leaves_the_document_number(county):
    template = template_campaign()
    copy = authoring.campaign_create(actor=county.inspector, name="", starts_on=dt.date(2025, 10, 28), source=template)
    assert copy.document_no == "" and copy.name == template.name and copy.is_draft
    assert copy.ends_on == dt.date(2026, 1, 28)
    assert copy.requirements.filter(level="item").count() == template.requirements.filter(level="item").count()
    assert copy.notice_text == template.notice_text != ""
    past = running_campaign(bureau=county.bureau)
    again = authoring.campaign_create(
        actor=county.inspector, name="2025年百日行动", starts_on=START, source=past, document_no="阳应急发〔2025〕1号"
    )
    offsets = sorted((d.due_on - past.starts_on).days for d in past.deadlines.all())
    assert sorted((d.due_on - again.starts_on).days for d in again.deadlines.all()) == offsets
    assert again.document_no == "阳应急发〔2025〕1号"


def test_only_the_bureaus_writers_create_and_only_from_what_they_see(county):
    for user in (county.mine1_officer, county.ent1_officer, county.leader):
        with pytest.raises(NotPermitted):
            authoring.campaign_create(actor=user, name="x", starts_on=START, ends_on=START)
    theirs = running_campaign(bureau=county.other_bureau)
    with pytest.raises(NotFound):
        authoring.campaign_create(actor=county.inspector, name="x", starts_on=START, source=theirs)
    with pytest.raises(DomainError) as refused:
        draft(county, ends_on=START - dt.timedelta(days=1))
    assert refused.value.field == "ends_on"


# ------------------------------------------------------------------ the task list


def check_saved_2024_tree(campaign):
    campaign.refresh_from_db()
    sections = list(campaign.requirements.filter(level="section").order_by("order"))
    measures = list(campaign.requirements.filter(level="measure").order_by("order"))
    assert [s.number for s in sections] == ["（一）", "（二）", "（三）", "（四）"]
    assert [s.name for s in sections][0] == "挖根源，全面提升安全管理"
    assert len(measures) == 12 and [m.code for m in measures][:4] == ["1.1", "1.2", "1.3", "2.1"]
    assert {m.number for m in measures} == {"1.", "2.", "3."}
    second = measures[1]
    assert second.name == "狠抓安全管理" and second.text.endswith("发现安全隐患及时上报。")
    lines = campaign.notice_text.splitlines()
    assert lines[second.paragraph - 1].strip().startswith("2. 狠抓安全管理")
    last = measures[11]
    assert "企业主要负责人向主管部门作出检查" in last.text and len(last.text) > 100
    # each measure not split is one item with its whole text and paragraph
    items = list(campaign.requirements.filter(level="item").order_by("order"))
    assert len(items) == 12 and items[1].code == "1.2.a" and items[1].text == second.text
    assert items[1].paragraph == second.paragraph


def test_the_seed_notice_pasted_is_saved_as_4_sections_and_12_measures_with_numbers_and_whole_text(county):
    check_saved_2024_tree(imported(county))


def test_the_seed_notice_as_a_docx_is_saved_the_same(county):
    campaign = draft(county)
    preview, created = authoring.task_list_import(
        actor=county.inspector, campaign=campaign, name="通知.docx", data=notice_docx()
    )
    assert created == {"sections": 4, "measures": 12, "items": 12}
    check_saved_2024_tree(campaign)


def test_a_corrected_preview_splits_a_measure_into_lettered_items_with_owner_target_and_evidence(county):
    from campaign.task_list import from_text

    campaign = draft(county)
    preview = from_text(read_notice())
    measure = preview.sections[0]["children"][0]
    measure["items"] = [
        {
            "text": "选取1-2个典型事故案例",
            "target_min": "1",
            "target_max": "2",
            "target_unit": "个案例",
            "evidence": "accident_cases",
        },
        {"text": "组织开展1次警示教育", "owner": "organizations", "target_min": 1, "target_unit": "次"},
    ]
    preview.sections[3]["children"][1]["items"] = [{"text": "县局四不两直检查", "owner": "bureau"}]
    preview.sections[0]["name"] = "挖根源"
    authoring.task_list_save(
        actor=county.inspector, campaign=campaign, sections=preview.sections, notice_text=preview.source
    )
    a, b = campaign.requirements.filter(code__in=["1.1.a", "1.1.b"]).order_by("code")
    assert (a.name, a.target_display, a.evidence, a.paragraph) == (
        "选取1-2个典型事故案例",
        "1–2个案例",
        "accident_cases",
        measure["where"],
    )
    assert b.target_display == "不少于1次" and b.evidence == ""
    assert campaign.requirements.get(code="4.2.a").performed_by == "bureau"
    assert campaign.requirements.get(code="1").name == "挖根源"


def test_a_bad_tree_is_refused_with_where_and_nothing_written(county):
    from campaign.task_list import from_text

    campaign = imported(county)
    before = list(campaign.requirements.values_list("code", "name"))
    preview = from_text(read_notice())
    preview.sections[1]["children"][0]["items"] = [{"text": "甲", "evidence": "made_up"}, {"text": ""}]
    with pytest.raises(authoring.TaskTreeInvalid) as refused:
        authoring.task_list_save(actor=county.inspector, campaign=campaign, sections=preview.sections)
    where = preview.sections[1]["children"][0]["where"]
    assert {e["paragraph"] for e in refused.value.errors} == {where}
    assert any("made_up" in e["message"] for e in refused.value.errors)
    assert list(campaign.requirements.values_list("code", "name")) == before


def test_an_import_never_replaces_recorded_progress(county):
    campaign = imported(county)
    RequirementProgress.objects.create(
        organization=county.bureau, requirement=campaign.requirements.get(code="4.2.a"), status="done"
    )
    with pytest.raises(InvalidState, match="不能整体替换"):
        authoring.task_list_import(actor=county.inspector, campaign=campaign, text=read_notice())
    assert RequirementProgress.objects.filter(requirement__campaign=campaign).count() == 1


def test_a_published_campaign_refuses_an_import(county):
    campaign = imported(county)
    authoring.campaign_publish(actor=county.inspector, campaign=campaign)
    with pytest.raises(InvalidState):
        authoring.task_list_import(actor=county.inspector, campaign=campaign, text=read_notice())


# ------------------------------------------------------------------ dates, publishing, versions


def test_shifting_the_start_moves_every_phase_and_deadline_keeping_its_offset(county):
    campaign = authoring.campaign_create(
        actor=county.inspector, name="x", starts_on=dt.date(2025, 10, 28), source=template_campaign()
    )

    def offsets(c):
        c.refresh_from_db()
        return (
            (c.ends_on - c.starts_on).days,
            [((p.starts_on - c.starts_on).days, (p.ends_on - c.starts_on).days) for p in c.phases.order_by("order")],
            sorted((d.code[:7], (d.due_on - c.starts_on).days) for d in c.deadlines.all()),
        )

    before = offsets(campaign)
    authoring.campaign_update(actor=county.inspector, campaign=campaign, starts_on=dt.date(2025, 12, 1))
    campaign.refresh_from_db()
    assert campaign.starts_on == dt.date(2025, 12, 1) and offsets(campaign) == before
    monthly = campaign.deadlines.filter(kind="monthly").order_by("due_on")
    assert all(d.period == f"{d.due_on:%Y-%m}" for d in monthly)


def test_publishing_needs_a_document_number_and_items_and_happens_once(county):
    campaign = draft(county)
    with pytest.raises(DomainError) as refused:
        authoring.campaign_publish(actor=county.inspector, campaign=campaign)
    assert refused.value.field == "document_no"
    authoring.campaign_update(actor=county.inspector, campaign=campaign, document_no="阳应急发〔2025〕12号")
    with pytest.raises(DomainError, match="任务清单"):
        authoring.campaign_publish(actor=county.inspector, campaign=campaign)
    authoring.task_list_import(actor=county.inspector, campaign=campaign, text=read_notice())
    with pytest.raises(NotPermitted):
        authoring.campaign_publish(actor=county.leader, campaign=campaign)
    published = authoring.campaign_publish(actor=county.inspector, campaign=campaign)
    assert published.status == CampaignStatus.PUBLISHED and published.version == 1
    with pytest.raises(InvalidState):
        authoring.campaign_publish(actor=county.inspector, campaign=campaign)
    # the organisations concerned are told, once each
    titles = list(
        Notification.objects.filter(key=f"campaign:{campaign.pk}:version:1").values_list("recipient_id", flat=True)
    )
    officers = {county.mine1_officer.pk, county.mine2_officer.pk, county.mine3_officer.pk, county.ent1_officer.pk}
    assert officers <= set(titles) and len(titles) == len(set(titles))
    assert county.inspector.pk not in titles


def test_a_change_after_publishing_is_a_new_version_recorded_and_announced_once(county):
    campaign = imported(county)
    item = campaign.requirements.get(code="1.1.a")
    authoring.requirement_save(actor=county.inspector, campaign=campaign, requirement=item, name="改了", text="")
    assert not CampaignRevision.objects.filter(campaign=campaign).exists()  # a draft has no versions yet
    authoring.campaign_publish(actor=county.inspector, campaign=campaign)
    item.refresh_from_db()
    authoring.requirement_save(
        actor=county.inspector,
        campaign=campaign,
        requirement=item,
        name="选取1-2个典型事故案例",
        text=item.text,
        target_min=1,
        target_unit="个",
    )
    authoring.requirement_save(
        actor=county.inspector,
        campaign=campaign,
        requirement=item,
        name="选取1-2个典型事故案例",
        text=item.text,
        target_min=1,
        target_unit="个",
    )  # the same values again: nothing changed, no version
    campaign.refresh_from_db()
    assert campaign.version == 2
    revision = campaign.revisions.get(version=2)
    assert revision.changed_by == county.inspector and "1.1.a" in revision.summary
    key = f"campaign:{campaign.pk}:version:2"
    assert Notification.objects.filter(key=key, recipient=county.mine1_officer).count() == 1
    from notifications.campaign_versions import announce_revision

    assert announce_revision(revision=revision) == 0  # told once per version, however often announced
    authoring.deadline_save(
        actor=county.inspector,
        campaign=campaign,
        kind="summary",
        name="总结报市局",
        due_on=campaign.ends_on,
        owed_by_bureau=True,
    )
    campaign.refresh_from_db()
    assert campaign.version == 3 and "县局（报上级）" in campaign.revisions.get(version=3).summary


def test_an_item_with_progress_is_not_deleted(county):
    campaign = imported(county)
    authoring.campaign_publish(actor=county.inspector, campaign=campaign)
    item = campaign.requirements.get(code="1.2.a")
    RequirementProgress.objects.create(organization=county.mine1, requirement=item, status="done")
    with pytest.raises(InvalidState):
        authoring.requirement_delete(actor=county.inspector, requirement=item.parent)
    assert Requirement.objects.filter(pk=item.pk).exists()


def test_the_template_and_the_2024_campaign_carry_the_notice_with_item_paragraphs(county):
    template = template_campaign()
    lines = template.notice_text.splitlines()
    item = template.requirements.get(code="2.3.a")
    assert item.paragraph and lines[item.paragraph - 1].strip().startswith("3. 健全重大事故隐患排查治理机制")
    assert running_campaign(bureau=county.bureau).requirements.get(code="2.3.a").paragraph == item.paragraph


# ------------------------------------------------------------------ the API


def test_api_create_import_publish_and_running(county, api_client):
    api_client.force_authenticate(county.inspector)
    answer = api_client.post(
        "/api/v1/campaigns/",
        {
            "name": "冬季“三防”专项检查",
            "starts_on": "2025-12-01",
            "ends_on": "2025-12-31",
            "document_no": "阳应急发〔2025〕9号",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    pk = answer.json()["id"]
    assert answer.json()["status"] == "draft"
    upload = io.BytesIO(notice_docx())
    upload.name = "通知.docx"
    answer = api_client.post(f"/api/v1/campaigns/{pk}/task-list/", {"file": upload}, format="multipart")
    assert answer.status_code == 201, answer.content
    assert (answer.json()["sections"], answer.json()["measures"]) == (4, 12)
    answer = api_client.post(f"/api/v1/campaigns/{pk}/publish/")
    assert answer.status_code == 200 and answer.json()["version"] == 1
    assert api_client.post(f"/api/v1/campaigns/{pk}/publish/").status_code == 409
    answer = api_client.post(f"/api/v1/campaigns/{pk}/task-list/", {"text": read_notice()}, format="json")
    assert answer.status_code == 409 and "已发布" in answer.json()["detail"]
    with_today = running_campaign(bureau=county.bureau, starts_on=dt.date.today() - dt.timedelta(days=3))
    running = api_client.get("/api/v1/campaigns/", {"running": "true"}).json()["results"]
    assert [c["id"] for c in running] == [with_today.pk]


def test_api_task_list_errors_are_400_with_where(county, api_client):
    api_client.force_authenticate(county.inspector)
    campaign = draft(county)
    url = f"/api/v1/campaigns/{campaign.pk}/task-list/"
    answer = api_client.post(url, {"text": "（一）第一部分\n1. 甲。\n3. 丙。"}, format="json")
    assert answer.status_code == 400 and answer.json()["errors"][0]["paragraph"] == 3
    book = Workbook()
    book.active.append(["名称"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "清单.xlsx"
    answer = api_client.post(url, {"file": data}, format="multipart")
    assert answer.status_code == 400 and "row" in answer.json()["errors"][0]
    assert api_client.post(url, {}, format="json").status_code == 400
    assert not campaign.requirements.exists()


def test_api_statuses_for_others(county, api_client):
    campaign = draft(county)
    theirs = authoring.campaign_create(actor=county.other_inspector, name="外县", starts_on=START, ends_on=START)
    body = {"name": "x", "starts_on": "2025-12-01", "ends_on": "2025-12-31"}
    for user in (county.mine1_officer, county.ent1_officer, county.leader):
        api_client.force_authenticate(user)
        assert api_client.post("/api/v1/campaigns/", body, format="json").status_code == 403
    api_client.force_authenticate(county.leader)  # sees the draft, may not touch it
    assert api_client.post(f"/api/v1/campaigns/{campaign.pk}/publish/").status_code == 403
    api_client.force_authenticate(county.mine1_officer)  # a draft is not the mine's to see
    assert api_client.post(f"/api/v1/campaigns/{campaign.pk}/publish/").status_code == 404
    api_client.force_authenticate(county.inspector)
    assert api_client.post(f"/api/v1/campaigns/{theirs.pk}/publish/").status_code == 404
    answer = api_client.post(f"/api/v1/campaigns/{theirs.pk}/task-list/", {"text": read_notice()}, format="json")
    assert answer.status_code == 404
    assert not theirs.requirements.exists()
