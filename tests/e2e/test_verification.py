"""核验 in the browser: mine1 declares an item done with a file, the inspector returns it with a reason, mine1 reads
the reason and declares again, the inspector verifies it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS

# One Chromium at a time under xdist (--dist loadgroup): two would starve each other on a 2-core machine.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
CODE = "1.3.a"  # 加大安全、高效的装备投入: self-declared, not in the demo's progress


def _declare(j, url, note, upload=None):
    page = j.page
    j.go(url)
    page.select_option("#id_status", "done")
    page.fill("#id_note", note)
    if upload:
        page.set_input_files("#id_evidence", str(upload))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已保存 {CODE} 的落实情况。")).to_be_visible()


def _open_waiting_item(j, campaign, mine):
    page = j.page
    j.go(f"/campaigns/{campaign.pk}/verification/?organization={mine.pk}")
    j.shot("waiting-list")
    page.locator("[data-testid=verification-queue] a", has_text=CODE).click()
    page.wait_for_url(re.compile(r"/campaigns/progress-records/\d+/$"))
    expect(page.locator("[data-testid=verify-form]")).to_be_visible()
    return page


def test_declare_return_declare_again_verify(journey):
    from accounts.models import Organization
    from campaign.models import Campaign, RequirementProgress

    campaign = Campaign.objects.get(code="yc-demo")
    requirement = campaign.requirements.get(code=CODE)
    mine1 = Organization.objects.get(short_name="东峰煤矿")
    edit_url = f"/campaigns/{campaign.pk}/progress/{requirement.pk}/"
    scan = ARTIFACTS / "装备投入清单.pdf"
    scan.parent.mkdir(parents=True, exist_ok=True)
    scan.write_bytes(b"%PDF-1.4\n% equipment list\n%%EOF\n")

    m = journey("mine1")
    m.login("mine1")
    _declare(m, edit_url, "已投入液压支架 12 架、智能巡检机器人 1 台。", upload=scan)
    row = m.page.locator("li", has_text="加大安全、高效的装备投入")
    expect(row.locator("[data-state=declared]")).to_be_visible()
    m.shot("declared")

    i = journey("inspector")
    i.login("inspector")
    page = _open_waiting_item(i, campaign, mine1)
    expect(page.get_by_role("link", name="装备投入清单.pdf").first).to_be_visible()
    page.locator("[data-testid=return-form] textarea[name=reason]").fill("请补充设备购置发票或验收单。")
    page.locator("[data-testid=return-form] button[type=submit]").click()
    expect(page.get_by_text("已退回，申报单位补充后重新申报。")).to_be_visible()
    i.shot("returned")

    m.go(f"/campaigns/{campaign.pk}/progress/")
    row = m.page.locator("li", has_text="加大安全、高效的装备投入")
    expect(row.get_by_text("退回理由：请补充设备购置发票或验收单。")).to_be_visible()
    row.get_by_role("link", name="补充后重新申报").click()
    m.page.wait_for_url(re.compile(rf"/progress/{requirement.pk}/$"))
    expect(m.page.locator("[data-testid=return-reason]")).to_contain_text("请补充设备购置发票或验收单。")
    m.shot("reason-read")
    _declare(m, edit_url, "已补充设备购置发票和验收单。", upload=scan)
    expect(m.page.locator("li", has_text="加大安全、高效的装备投入").locator("[data-state=declared]")).to_be_visible()

    page = _open_waiting_item(i, campaign, mine1)
    expect(page.locator("[data-testid=declarations] [data-version]")).to_have_count(2)
    page.locator("[data-testid=verify-form] button[type=submit]").click()
    expect(page.get_by_text("已核验通过，申报单位已收到通知。")).to_be_visible()
    i.shot("verified")

    progress = RequirementProgress.objects.get(organization=mine1, requirement=requirement)
    assert (progress.state, progress.declarations, progress.times_returned) == ("verified", 2, 1)
    m.go(edit_url)
    expect(m.page.locator("[data-testid=locked]")).to_contain_text("已通过县局核验")
    m.shot("mine-sees-verified")


def test_the_inspector_sets_the_campaigns_pass_mark(journey):
    from campaign.figures import PASS_MARK, figure_of
    from campaign.models import Campaign

    campaign = Campaign.objects.get(code="yc-demo")
    i = journey("inspector")
    page = i.page
    i.login("inspector")
    i.go(f"/campaigns/{campaign.pk}/verification/?flagged=on&state=returned")
    expect(page.locator("[data-testid=verification-queue] [data-flagged]")).to_have_count(1)  # mine2's 1.2.b
    i.shot("returned-twice")
    i.go(f"/campaigns/{campaign.pk}/")
    page.get_by_role("link", name="阈值设置").click()
    page.wait_for_url(re.compile(r"/thresholds/$"))
    expect(page.get_by_test_id("thresholds-note")).to_contain_text("只对修改之后登记的记录生效")
    page.fill("#id_pass_mark", "101")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("逢查必考合格分数不能大于 100分。")).to_be_visible()
    page.fill("#id_pass_mark", "85")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存阈值设置")).to_be_visible()
    i.shot("thresholds")
    assert figure_of(Campaign.objects.get(pk=campaign.pk), PASS_MARK) == 85
