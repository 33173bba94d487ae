"""The authoring pages (issue 21): a draft created in the browser from an uploaded .docx, its preview corrected (a
measure split into two lettered items with owner, target and evidence) and saved, published; the notice with an item's
paragraph marked, linked from a mine's progress page; who is offered what; query counts that do not grow."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from campaign import authoring
from campaign.authoring_views import posted_tree, sentences
from campaign.models import Campaign, CampaignStatus
from campaign.template_data import read_notice
from tests.factories import running_campaign

pytestmark = pytest.mark.django_db
START = dt.date(2025, 12, 1)


def docx_upload():
    document = Document()
    for line in read_notice().splitlines():
        document.add_paragraph(line)
    data = io.BytesIO()
    document.save(data)
    return SimpleUploadedFile("阳应急发〔2024〕280号.docx", data.getvalue())


def form_fields(html):
    """The preview form's named inputs, textareas and selected options, as a browser would post them."""
    form = html[html.index("data-task-tree") :]
    form = form[: form.index("</form>")]
    form = re.sub(r"<template.*?</template>", "", form, flags=re.S)
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form):
        fields[name] = value
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, flags=re.S):
        fields[name] = value
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, flags=re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body) or re.search(r'<option value="([^"]*)"', body)
        fields[name] = chosen.group(1)
    fields.pop("csrfmiddlewaretoken", None)
    import html as html_lib

    return {k: html_lib.unescape(v) for k, v in fields.items()}


def test_the_inspector_creates_imports_corrects_and_publishes_in_the_browser(client, county):
    client.force_login(county.inspector)
    page = client.get(reverse("campaign_list")).content.decode()
    assert reverse("campaign_create") in page
    answer = client.post(
        reverse("campaign_create"),
        {
            "name": "冬季“三防”专项检查",
            "document_no": "阳应急发〔2025〕30号",
            "starts_on": "2025-12-01",
            "ends_on": "2025-12-31",
        },
    )
    campaign = Campaign.objects.get(name="冬季“三防”专项检查")
    assert answer.status_code == 302 and campaign.status == CampaignStatus.DRAFT
    page = client.get(reverse("campaign_detail", kwargs={"pk": campaign.pk})).content.decode()
    assert "草稿" in page and reverse("task_list_import", kwargs={"pk": campaign.pk}) in page
    preview = client.post(reverse("task_list_import", kwargs={"pk": campaign.pk}), {"file": docx_upload()})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'data-testid="measure-4-3"' in html and "三、主要内容" in html
    fields = form_fields(html)
    assert fields["m-1-1-name"] == "狠抓事故警示教育" and fields["s-1-number"] == "（一）"
    # the bureau splits 1.1 into two lettered items and sets the first one's target and evidence rule
    fields["i-1-1-1-text"] = "选取今年以来省内外本行业1-2个典型安全生产事故案例"
    fields.update({"i-1-1-1-target_min": "1", "i-1-1-1-target_max": "2", "i-1-1-1-target_unit": "个案例"})
    fields["i-1-1-1-evidence"] = "accident_cases"
    fields["i-1-1-2-text"] = "组织本单位开展1次警示教育"
    fields["i-1-1-2-where"] = fields["m-1-1-where"]
    fields["i-4-2-1-owner"] = "bureau"
    fields["s-1-name"] = "挖根源"
    fields["keep_notice"] = "on"
    answer = client.post(reverse("task_list_save", kwargs={"pk": campaign.pk}), fields)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    a, b = campaign.requirements.filter(code__startswith="1.1.").order_by("code")
    assert (a.code, a.target_display, a.evidence) == ("1.1.a", "1–2个案例", "accident_cases")
    assert b.code == "1.1.b" and b.paragraph == a.paragraph and a.paragraph
    assert campaign.requirements.filter(level="measure").count() == 12
    assert campaign.requirements.get(code="4.2.a").performed_by == "bureau"
    assert campaign.requirements.get(code="1").name == "挖根源"
    campaign.refresh_from_db()
    assert campaign.notice_text.splitlines()[a.paragraph - 1].startswith("1. 狠抓事故警示教育")
    answer = client.post(reverse("campaign_publish", kwargs={"pk": campaign.pk}))
    campaign.refresh_from_db()
    assert answer.status_code == 302 and campaign.status == CampaignStatus.PUBLISHED
    page = client.get(reverse("campaign_detail", kwargs={"pk": campaign.pk})).content.decode()
    assert "第 1 版" in page and 'data-testid="revisions"' in page
    assert reverse("task_list_import", kwargs={"pk": campaign.pk}) not in page  # locked
    assert client.get(reverse("task_list_import", kwargs={"pk": campaign.pk})).status_code == 409


def test_a_bad_correction_shows_the_preview_again_with_where_and_saves_nothing(client, county):
    campaign = authoring.campaign_create(actor=county.inspector, name="x", starts_on=START, ends_on=START)
    client.force_login(county.inspector)
    html = client.post(
        reverse("task_list_import", kwargs={"pk": campaign.pk}), {"text": read_notice()}
    ).content.decode()
    fields = form_fields(html)
    fields["i-2-1-1-target_min"] = "五"
    answer = client.post(reverse("task_list_save", kwargs={"pk": campaign.pk}), fields)
    assert answer.status_code == 400 and "目标下限应为数字" in answer.content.decode()
    assert 'value="健全安全生产责任机制"' in answer.content.decode()  # the corrections are kept
    assert not campaign.requirements.exists()


def test_another_part_of_the_notice_can_be_taken_as_the_task_list(client, county):
    campaign = authoring.campaign_create(actor=county.inspector, name="x", starts_on=START, ends_on=START)
    client.force_login(county.inspector)
    html = client.post(
        reverse("task_list_import", kwargs={"pk": campaign.pk}), {"text": read_notice(), "part": 2}
    ).content.decode()
    assert 'value="2" selected' in html and "工作领导组" in html


def test_a_bad_upload_says_why(client, county):
    campaign = authoring.campaign_create(actor=county.inspector, name="x", starts_on=START, ends_on=START)
    client.force_login(county.inspector)
    answer = client.post(
        reverse("task_list_import", kwargs={"pk": campaign.pk}), {"file": SimpleUploadedFile("a.pdf", b"%PDF")}
    )
    assert answer.status_code == 400 and ".docx" in answer.content.decode()


def test_units_and_the_leader_are_not_offered_authoring(client, county):
    campaign = running_campaign(bureau=county.bureau, starts_on=dt.date.today() - dt.timedelta(days=5))
    for user in (county.mine1_officer, county.leader):
        client.force_login(user)
        page = client.get(reverse("campaign_detail", kwargs={"pk": campaign.pk})).content.decode()
        assert reverse("campaign_edit", kwargs={"pk": campaign.pk}) not in page
        assert client.get(reverse("campaign_create")).status_code == 403
        assert client.get(reverse("campaign_edit", kwargs={"pk": campaign.pk})).status_code == 403


def test_a_mine_officer_opens_an_items_paragraph_from_the_progress_page(client, county):
    campaign = running_campaign(bureau=county.bureau, starts_on=dt.date.today() - dt.timedelta(days=5))
    item = campaign.requirements.get(code="2.3.a")
    client.force_login(county.mine1_officer)
    page = client.get(reverse("progress", kwargs={"pk": campaign.pk})).content.decode()
    link = f"{reverse('campaign_notice', kwargs={'pk': campaign.pk})}?p={item.paragraph}#p{item.paragraph}"
    assert link in page
    notice = client.get(link).content.decode()
    marked = notice[notice.index('data-testid="marked-paragraph"') - 200 :]
    assert f'id="p{item.paragraph}"' in marked[:300] and "健全重大事故隐患排查治理机制" in marked[:1000]


def test_a_published_campaigns_item_edited_in_the_browser_is_a_new_version(client, county):
    campaign = running_campaign(bureau=county.bureau, starts_on=dt.date.today() - dt.timedelta(days=5))
    item = campaign.requirements.get(code="1.2.a")
    client.force_login(county.inspector)
    page = client.get(reverse("requirement_edit", kwargs={"pk": item.pk})).content.decode()
    assert "保存后形成第 2 版" in page
    answer = client.post(
        reverse("requirement_edit", kwargs={"pk": item.pk}),
        {"name": "明确各级管理人员的安全职责", "performed_by": "organizations", "evidence": ""},
    )
    assert answer.status_code == 302
    campaign.refresh_from_db()
    assert campaign.version == 2 and campaign.revisions.get(version=2).changed_by == county.inspector
    page = client.get(reverse("campaign_detail", kwargs={"pk": campaign.pk})).content.decode()
    assert "第 2 版" in page and "1.2.a" in page


def test_shifting_dates_in_the_browser(client, county):
    campaign = running_campaign(bureau=county.bureau, starts_on=dt.date(2025, 10, 28))
    due = {d.code: (d.due_on - campaign.starts_on).days for d in campaign.deadlines.all()}
    client.force_login(county.inspector)
    fields = {
        "name": campaign.name,
        "document_no": campaign.document_no,
        "issuer": campaign.issuer,
        "issued_on": "2024-10-28",
        "starts_on": "2025-11-04",
        "ends_on": "2026-02-04",
        "goals": "\n".join(g["name"] for g in campaign.goals),
        "notice_text": campaign.notice_text,
    }
    answer = client.post(reverse("campaign_edit", kwargs={"pk": campaign.pk}), fields)
    assert answer.status_code == 302
    campaign.refresh_from_db()
    assert campaign.starts_on == dt.date(2025, 11, 4)
    assert {d.code: (d.due_on - campaign.starts_on).days for d in campaign.deadlines.all()}.keys() >= {"work_plan"}
    assert (campaign.deadlines.get(code="work_plan").due_on - campaign.starts_on).days == due["work_plan"]


def test_sentences_and_the_posted_tree():
    assert sentences("甲乙。丙丁；戊\n己") == ["甲乙。", "丙丁；", "戊", "己"]
    tree = posted_tree(
        {
            "s-1-name": "甲",
            "m-1-1-name": "乙",
            "i-1-1-3-text": "后",
            "i-1-1-1-text": "先",
            "i-1-1-2-text": " ",
            "x": "y",
        }
    )
    assert tree == [{"name": "甲", "children": [{"name": "乙", "items": [{"text": "先"}, {"text": "后"}]}]}]


# ------------------------------------------------------------------ query counts


def _grow(campaign, actor, n):
    """n more items, deadlines and versions on a published campaign."""
    measure = campaign.requirements.filter(level="measure").first()
    for i in range(n):
        authoring.requirement_save(actor=actor, campaign=campaign, parent=measure, name=f"新增事项{i}")
        authoring.deadline_save(
            actor=actor,
            campaign=campaign,
            kind="summary",
            name=f"报市局{i}",
            due_on=campaign.ends_on,
            owed_by_bureau=True,
        )


@pytest.mark.parametrize("extra", [0, 6])
def test_authoring_pages_run_a_fixed_number_of_queries(client, county, extra, django_assert_max_num_queries):
    campaign = running_campaign(bureau=county.bureau, starts_on=dt.date.today() - dt.timedelta(days=5))
    _grow(campaign, county.inspector, extra)
    client.force_login(county.inspector)
    client.get(reverse("campaign_detail", kwargs={"pk": campaign.pk}))  # session and caches warm
    pages = [
        (reverse("campaign_detail", kwargs={"pk": campaign.pk}), 9),
        (reverse("campaign_notice", kwargs={"pk": campaign.pk}) + "?p=40", 8),
        (reverse("campaign_edit", kwargs={"pk": campaign.pk}), 7),
        (reverse("campaign_list"), 8),
    ]
    for url, most in pages:
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("copies", [1, 3])
def test_the_preview_runs_a_fixed_number_of_queries(client, county, copies, django_assert_max_num_queries):
    campaign = authoring.campaign_create(actor=county.inspector, name="x", starts_on=START, ends_on=START)
    client.force_login(county.inspector)
    text = "\n".join([read_notice()] + ["（五）追加部分\n1. 追加措施。"] * copies)
    with django_assert_max_num_queries(10):
        assert client.post(reverse("task_list_import", kwargs={"pk": campaign.pk}), {"text": text}).status_code == 200
