"""停产整顿 to 复产验收 in the browser, on the demo county: 西岭煤矿 (mine2) is suspended with its order served and its
major hazard closed; the demo left its second application pending. The inspector refuses it; mine2 applies again with
a self-check and a scan and is refused once more (with an opinion and two officers), still shows 停产整顿, applies a
third time from its phone, and the inspector accepts: mine2 is back to 正常生产, the status it had before."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.images import image_bytes

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"


def decide(j, *, accepted, opinion):
    """The inspector opens 西岭煤矿's suspension from the list and decides its pending application."""
    j.go("/enforcement/suspensions/")
    j.page.get_by_test_id("suspension-list").get_by_role("link", name="晋阳煤业集团西岭煤矿").click()
    j.page.get_by_test_id("decide-resumption").click()
    expect(j.page.get_by_role("heading", name="复产验收", exact=True)).to_be_visible()
    j.page.get_by_label("验收通过，同意复产" if accepted else "验收不通过，继续停产整顿").check()
    checked = "验收组现场核查了1105掘进工作面通风系统、局部通风机切换试验和各项隐患整改情况。"
    j.page.fill("textarea[name=checked]", checked)
    j.page.fill("textarea[name=opinion]", opinion)
    boxes = j.page.locator("input[name=officers]")
    for i in range(2):
        boxes.nth(i).check()
    j.page.fill("input[name=signer_name]", "郭建军")
    j.shot("decide-accept" if accepted else "decide-refuse")
    j.page.get_by_role("button", name="签发复产验收意见书").click()
    expect(j.page.get_by_test_id("suspension-status")).to_have_text("已复产" if accepted else "停产整顿中")
    number = re.compile(r"阳应急煤复验〔\d{4}〕\d+号")
    expect(j.page.get_by_test_id("applications").get_by_test_id("document-link").last).to_have_text(number)


def apply(j, text, scan_name):
    home = j.page.get_by_test_id("home-suspension")
    expect(home).to_contain_text("停产整顿")
    j.page.get_by_test_id("home-apply-resumption").click()
    expect(j.page.get_by_role("heading", name="申请复产验收", exact=True)).to_be_visible()
    j.page.fill("textarea[name=self_check]", text)
    j.page.set_input_files(
        "input[name=files]", files=[{"name": scan_name, "mimeType": "image/png", "buffer": image_bytes()}]
    )
    j.shot("apply")
    j.page.get_by_role("button", name="提交申请").click()
    expect(j.page.get_by_test_id("applications")).to_contain_text(text[:12])
    expect(j.page.get_by_test_id("applications")).to_contain_text(scan_name)


def test_mine2_applies_for_resumption_is_refused_once_then_accepted(journey):
    mine = journey("mine2")
    mine.login("mine2")
    panel = mine.page.get_by_test_id("home-suspension")
    expect(panel).to_contain_text("停产整顿")
    expect(panel.get_by_test_id("home-suspension-order")).to_have_text(re.compile(r"阳应急煤停整〔\d{4}〕\d+号"))
    expect(panel).to_contain_text("待县局验收")  # the demo's second application
    expect(mine.page.get_by_test_id("home-apply-resumption")).to_have_count(0)
    mine.shot("home-pending")

    inspector = journey("inspector")
    inspector.login("inspector")
    decide(inspector, accepted=False, opinion="切换试验记录不全，补做试验并完善记录后重新申请。")

    mine.go("/")
    apply(mine, "已补做双风机、双电源切换试验三次，试验记录完整，企业自查合格，申请复产验收。", "切换试验记录.png")
    decide(inspector, accepted=False, opinion="局部通风机专用变压器未单独供电，整改后重新申请。")
    inspector.shot("refused")

    phone = journey("mine2-phone", PHONE)
    phone.login("mine2")
    panel = phone.page.get_by_test_id("home-suspension")
    expect(panel).to_contain_text("停产整顿")
    assert not phone.page.evaluate(WIDER_THAN_SCREEN), "the home page is wider than the phone"
    phone.shot("home-refused")
    apply(phone, "局部通风机已由专用变压器单独供电，经企业自查合格，再次申请复产验收。", "供电系统图.png")
    assert not phone.page.evaluate(WIDER_THAN_SCREEN), "the suspension page is wider than the phone"

    decide(inspector, accepted=True, opinion="各项整改到位，同意复产。")
    inspector.shot("accepted")

    phone.go("/")
    expect(phone.page.get_by_test_id("home-suspension")).to_have_count(0)
    phone.shot("home-resumed")
    mine.go("/")
    expect(mine.page.get_by_test_id("home-suspension")).to_have_count(0)
    mine.go("/enforcement/suspensions/")
    mine.page.get_by_test_id("suspension-list").get_by_role("link").first.click()
    mine.page.get_by_role("link", name="本矿停产整顿记录").click()
    expect(mine.page.get_by_test_id("mine-status")).to_have_text("正常生产")
    mine.shot("history")
