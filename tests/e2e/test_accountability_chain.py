"""Issue 20 items 5 and 6 in the browser, on the demo county. 北坡煤矿 (mine3) submits its main leader's written 检查
for the 上级检查 major hazard and the inspector receives it; 东峰煤矿's officer finds the 三违 flagged 问责超期 and
records the accountability; 晋阳煤业 (ent1) reads the tip-off made on its own channel and hands it to the bureau, whose
inspector then reads it (before, the bureau saw only the count)."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TIP = "3105掘进工作面中班跟班队长为赶进度"
PDF = b"%PDF-1.4 demo written self-criticism"


def test_the_accountability_chain_and_the_enterprise_channel(journey):
    mine = journey("mine3")
    mine.login("mine3")
    expect(mine.page.get_by_test_id("home-leader-reviews")).to_contain_text("待报送 1")
    mine.page.get_by_test_id("home-leader-reviews").get_by_role("link", name="待报送 1").click()
    mine.page.get_by_role("link", name="1302综采工作面上隅角").first.click()
    review = mine.page.get_by_test_id("leader-review")
    expect(review).to_contain_text("待报送")
    review.get_by_label("企业主要负责人").fill("韩文斌")
    review.locator("input[name=file]").set_input_files(
        files=[{"name": "主要负责人检查.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    mine.shot("leader-review-form")
    review.get_by_role("button", name="报送").click()
    expect(mine.page.get_by_test_id("leader-review")).to_contain_text("待县局签收")
    expect(mine.page.get_by_test_id("leader-review")).to_contain_text("主要负责人检查.pdf")
    mine.shot("leader-review-submitted")

    inspector = journey("inspector")
    inspector.login("inspector")
    inspector.go("/hazards/?leader_review=submitted")
    inspector.page.get_by_role("link", name="1302综采工作面上隅角").first.click()
    inspector.page.get_by_test_id("leader-review").get_by_role("button", name="签收").click()
    expect(inspector.page.get_by_test_id("leader-review")).to_contain_text("县局已签收")
    inspector.shot("leader-review-received")
    # The tip-off desk: the bureau's own reports, and only how many 晋阳煤业 received on its channel.
    inspector.go("/reports/")
    expect(inspector.page.get_by_test_id("enterprise-tipoff-counts")).to_contain_text("晋阳煤业")
    expect(inspector.page.locator("main")).not_to_contain_text(TIP)
    inspector.shot("tipoff-counts")

    officer = journey("mine1")
    officer.login("mine1")
    officer.page.get_by_test_id("home-accountability-overdue").click()
    flagged = officer.page.locator("table").get_by_test_id("accountability-overdue")
    expect(flagged.first).to_be_visible()
    officer.page.locator("table a[href^='/violations/']").first.click()
    expect(officer.page.get_by_test_id("accountability-overdue")).to_be_visible()
    officer.page.fill("input[name=unit_leader_name]", "掘进一队队长 赵刚")
    officer.page.fill("textarea[name=unit_leader_action]", "扣罚当月安全绩效 500 元")
    officer.page.fill("input[name=deputy_name]", "生产副矿长 钱进")
    officer.page.fill("textarea[name=deputy_review]", "已向矿长办公会作书面检查")
    officer.page.get_by_role("button", name="保存").click()
    expect(officer.page.get_by_text("问责情况已保存")).to_be_visible()
    expect(officer.page.get_by_test_id("accountability-overdue")).to_have_count(0)
    officer.shot("accountability-recorded")

    enterprise = journey("ent1")
    enterprise.login("ent1")
    enterprise.go("/reports/")
    expect(enterprise.page.get_by_test_id("enterprise-channel")).to_be_visible()
    enterprise.page.get_by_role("link", name=TIP[:10], exact=False).click()
    escalation = enterprise.page.get_by_test_id("tipoff-escalation")
    escalation.get_by_label("提交县局的理由").fill("涉及跟班队长违章指挥，需县局查处。")
    enterprise.shot("tipoff-escalate")
    escalation.get_by_role("button", name="提交县局").click()
    expect(enterprise.page.get_by_test_id("tipoff-escalation")).to_contain_text("提交县局，县局办理")
    enterprise.shot("tipoff-escalated")

    inspector.go("/reports/")
    expect(inspector.page.locator("main")).to_contain_text(TIP[:10])
    inspector.shot("tipoff-escalated-readable")
