"""A campaign authored in the browser (issue 21): the inspector creates a draft, uploads the notice as a .docx, corrects
the preview — splits measure 1.1 into two lettered items — saves the task list and publishes; a mine officer then
opens an item's paragraph of the notice from the progress page."""

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


def test_the_inspector_authors_and_publishes_a_campaign(journey, tmp_path):
    from campaign.models import Campaign

    j = journey("inspector")
    page = j.page
    j.login("inspector")
    j.go("/campaigns/")
    page.get_by_role("link", name="新建专项整治").click()
    page.wait_for_url(re.compile(r"/campaigns/new/$"))
    page.fill("#id_name", "冬季“三防”专项检查")
    page.fill("#id_document_no", "阳应急发〔2025〕30号")
    page.fill("#id_starts_on", "2025-12-01")
    page.fill("#id_ends_on", "2025-12-31")
    expect(page.locator("[data-slot=participants]")).to_be_visible()
    page.get_by_role("button", name="创建草稿").click()
    page.wait_for_url(re.compile(r"/campaigns/\d+/$"))
    expect(page.get_by_test_id("campaign-status")).to_have_text("草稿")
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
    campaign = Campaign.objects.get(name="冬季“三防”专项检查")
    a, b = campaign.requirements.filter(code__startswith="1.1.").order_by("code")
    assert (a.code, b.code, b.evidence, b.target_display) == ("1.1.a", "1.1.b", "warning_education", "不少于1次")
    assert campaign.document_no == "阳应急发〔2025〕30号" and campaign.version == 1


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
