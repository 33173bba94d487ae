"""A campaign authored in the browser (issue 21): the inspector creates a draft over 东峰煤矿 alone, uploads the notice
as a .docx, corrects the preview — splits measure 1.1 into two lettered items — saves the task list and publishes;
mine1 then sees it beside the demo's running campaigns and opens its progress, and mine3, not taking part, sees nothing
of it. A mine officer opens an item's paragraph of the notice from the progress page."""

import datetime as dt
import re

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def notice_docx(path):
    from campaign.template_data import read_notice

    document = Document()
    for line in read_notice().splitlines():
        document.add_paragraph(line)
    document.save(path)
    return path


NAME = "元旦春节期间煤矿安全专项检查"


def test_the_inspector_authors_and_publishes_a_campaign_that_only_its_participants_see(journey, tmp_path):
    from campaign.models import Campaign

    today = dt.date.today()
    j = journey("inspector")
    page = j.page
    j.login("inspector")
    j.go("/campaigns/")
    page.get_by_role("link", name="新建专项整治").click()
    page.wait_for_url(re.compile(r"/campaigns/new/$"))
    page.fill("#id_name", NAME)
    page.fill("#id_document_no", f"阳应急发〔{today.year}〕330号")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=30)).isoformat())
    # who takes part: the list shows once "选定的煤矿和主体企业" is chosen; an enterprise ticked brings all its mines
    participants = page.locator("[data-slot=participants]")
    expect(participants.get_by_label("全县煤矿和主体企业")).to_be_checked()
    expect(participants.locator("[data-participant-list]")).to_be_hidden()
    participants.get_by_label("选定的煤矿和主体企业").check()
    expect(participants.locator("[data-participant-list]")).to_be_visible()
    xiling = participants.get_by_label("西岭煤矿", exact=True)
    participants.get_by_label("晋阳煤业").check()
    expect(xiling).to_be_checked()
    expect(xiling).to_be_disabled()
    participants.get_by_label("晋阳煤业").uncheck()
    expect(xiling).not_to_be_checked()
    participants.get_by_label("东峰煤矿", exact=True).check()
    j.shot("participants")
    page.get_by_role("button", name="创建草稿").click()
    page.wait_for_url(re.compile(r"/campaigns/\d+/$"))
    expect(page.get_by_test_id("campaign-status")).to_have_text("草稿")
    expect(page.get_by_test_id("participants")).to_contain_text("晋阳煤业（东峰煤矿）")
    j.shot("draft")

    page.get_by_role("link", name="导入任务清单").click()
    page.wait_for_url(re.compile(r"/task-list/$"))
    page.set_input_files("#id_file", str(notice_docx(tmp_path / "阳应急发〔2024〕280号.docx")))
    page.get_by_role("button", name="读取并预览").click()
    measure = page.get_by_test_id("measure-1-1")
    expect(measure).to_be_visible()
    expect(page.get_by_test_id("measure-4-3")).to_be_visible()
    # split 狠抓事故警示教育 into two lettered items: its first sentence picked, then a line typed
    measure.locator("[data-sentence]").first.click()
    expect(measure.locator("[data-item]")).to_have_count(1)
    measure.get_by_role("button", name="添加一行").click()
    expect(measure.locator("[data-item]")).to_have_count(2)
    measure.locator("[data-item] textarea").nth(1).fill("组织本单位开展1次警示教育")
    expect(measure.locator("[data-letter]").nth(1)).to_have_text("b")
    measure.locator("[data-item]").nth(1).get_by_label("目标下限").fill("1")
    measure.locator("[data-item]").nth(1).get_by_label("单位").fill("次")
    measure.locator("[data-item]").nth(1).get_by_label("证明方式").select_option("warning_education")
    j.shot("preview-split")
    page.get_by_role("button", name="保存任务清单").click()
    page.wait_for_url(re.compile(r"/campaigns/\d+/$"))
    expect(page.get_by_text("已保存任务清单：4 个部分、12 项措施、13 个事项。")).to_be_visible()

    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("campaign-status")).to_contain_text("已发布 · 第 1 版")
    expect(page.get_by_test_id("revisions")).to_be_visible()
    j.shot("published")
    campaign = Campaign.objects.get(name=NAME)
    a, b = campaign.requirements.filter(code__startswith="1.1.").order_by("code")
    assert (a.code, b.code, b.evidence, b.target_display) == ("1.1.a", "1.1.b", "warning_education", "不少于1次")
    assert campaign.document_no == f"阳应急发〔{today.year}〕330号" and campaign.version == 1
    assert not campaign.covers_all_units
    assert list(campaign.participants.values_list("short_name", flat=True)) == ["东峰煤矿"]

    # mine1 (东峰煤矿) sees it beside the 百日行动 it already works in, on its phone, and opens its progress
    running = Campaign.objects.get(code="yc-demo")
    m = journey("mine1", PHONE)
    m.login("mine1")
    m.go("/campaigns/")
    expect(m.page.get_by_role("link", name=running.name)).to_be_visible()
    m.page.get_by_role("link", name=NAME).click()
    m.page.wait_for_url(re.compile(rf"/campaigns/{campaign.pk}/$"))
    m.page.get_by_role("link", name="任务落实情况").click()
    m.page.wait_for_url(re.compile(rf"/campaigns/{campaign.pk}/progress/$"))
    expect(m.page.get_by_text(NAME)).to_be_visible()
    expect(m.page.get_by_test_id("progress-total")).to_be_visible()
    m.shot("new-campaign-progress")

    # mine3 (北坡煤矿, another enterprise) takes no part: not listed, not found
    other = journey("mine3", PHONE)
    other.login("mine3")
    other.go("/campaigns/")
    expect(other.page.get_by_role("link", name=running.name)).to_be_visible()
    expect(other.page.get_by_role("link", name=NAME)).to_have_count(0)
    other.shot("not-taking-part")
    for path in ("/campaigns/{}/", "/campaigns/{}/progress/", "/api/v1/campaigns/{}/"):
        assert other.context.request.get(other.base_url + path.format(campaign.pk)).status == 404


def test_a_mine_officer_opens_the_paragraph_an_item_comes_from(journey):
    from campaign.models import Campaign

    campaign = Campaign.objects.get(code="yc-demo")
    m = journey("mine1", PHONE)
    m.login("mine1")
    m.go(f"/campaigns/{campaign.pk}/progress/")
    m.page.locator("[data-notice-link='2.3.a']").click()
    m.page.wait_for_url(re.compile(r"/notice/\?p=\d+"))
    marked = m.page.get_by_test_id("marked-paragraph")
    expect(marked).to_be_visible()
    expect(marked).to_contain_text("健全重大事故隐患排查治理机制")
    m.shot("notice-paragraph")
