"""The accident register in the browser, on the demo county: 西岭煤矿 (mine2) records a minor injury from its phone,
reported two hours late (迟报), and sees its 提级调查 opened; the inspector writes the findings of the demo's
investigation at 东峰煤矿 and closes it with the report; the leader's charts show the accidents and 四无 from
records."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_mine_records_an_accident_and_the_bureau_closes_an_investigation(journey):
    mine = journey("accident-mine2", PHONE)
    mine.login("mine2")
    page = mine.go("/accidents/new/")
    expect(page.get_by_role("heading", name="登记事故")).to_be_visible()
    now = timezone.now()
    page.fill("#id_occurred_at", local(now - dt.timedelta(hours=3)))
    page.select_option("#id_kind", "transport")
    page.fill("#id_place", "主运输大巷300米处")
    page.fill("#id_minor_injuries", "1")
    page.fill("#id_description", "矿车掉道，推车工李某右手被挤伤，经矿医院诊治为轻伤。")
    page.fill("#id_reporter_name", "赵刚（调度室）")
    page.fill("#id_reported_at", local(now - dt.timedelta(minutes=50)))
    mine.shot("record")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("casualties")).to_contain_text("轻伤 1 人")
    expect(page.locator(".badge", has_text="迟报").first).to_be_visible()
    expect(page.get_by_test_id("investigation")).to_contain_text("调查中")
    expect(page.get_by_test_id("investigation")).to_contain_text("设区的市级")
    mine.shot("recorded")

    inspector = journey("accident-inspector")
    inspector.login("inspector")
    page = inspector.go("/accidents/")
    expect(page.get_by_role("heading", name="事故/工伤台账")).to_be_visible()
    page.locator("table").get_by_role("link", name="煤壁片帮", exact=False).first.click()
    expect(page.get_by_test_id("investigation")).to_contain_text("晋城市应急管理局")
    page.get_by_role("link", name="登记调查情况").click()
    page.fill("#id_findings", "护帮板未及时打出，煤壁片帮伤人，属顶板管理不到位造成的一般责任事件。")
    page.fill("#id_responsible_persons", "刘某 综采队跟班队长 未执行敲帮问顶制度 罚款并通报批评")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("investigation")).to_contain_text("护帮板未及时打出")
    page.set_input_files(
        "input[name=report]", files=[{"name": "调查报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}]
    )
    inspector.shot("close")
    page.get_by_role("button", name="上传调查报告并结案").click()
    expect(page.get_by_test_id("investigation")).to_contain_text("已结案")
    expect(page.get_by_role("link", name="调查报告.pdf")).to_be_visible()
    inspector.shot("closed")

    leader = journey("accident-leader")
    leader.login("leader")
    page = leader.go("/dashboard/charts/")
    figures = page.get_by_test_id("accident-figures")
    expect(figures).to_contain_text("事故（起）")
    expect(figures).to_contain_text("提级调查未结案")
    expect(page.locator("[data-four-no]")).to_contain_text("东峰煤矿")
    leader.shot("charts")
