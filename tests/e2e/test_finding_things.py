"""Finding things (issue 18 item 8): the search box in the nav, batch selection on the ledger, the 举报 poster and
the user guide, as a mine officer on a phone, an inspector on a desktop and a passer-by would use them."""

import re

import pytest

from tests.e2e.conftest import PHONE

# One Chromium at a time under xdist (--dist loadgroup): two would starve each other on a 2-core machine.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_finding_things(journey):
    from hazards.models import Hazard, HazardListing

    # 1. A mine officer searches from the nav (phone: open the menu first) and finds its own hazard, not another
    # mine's: every demo mine has a 甲烷传感器 hazard.
    j = journey("mine1", PHONE)
    page = j.page
    j.login("mine1")
    j.open_menu()
    page.fill("[data-testid=nav-search] input[name=q]", "甲烷传感器")
    page.press("[data-testid=nav-search] input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    hazards = page.locator("section[data-kind=hazards]")
    assert hazards.locator("li").count() >= 1
    text = page.inner_text("main")
    assert "东峰煤矿" in text and "西岭" not in text and "北坡" not in text
    j.shot("search-results")
    hazards.locator("li a").first.click()
    page.wait_for_url(re.compile(r"/hazards/\d+/$"))
    shown = Hazard.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert shown.mine.short_name == "东峰煤矿" and "甲烷传感器" in shown.description
    # A query too short gets a message, not an error.
    j.go("/search/?q=瓦")
    assert "至少输入 2 个字" in page.inner_text("[data-testid=search-error]")

    # 2. The guide, from the nav: the mine officer's part first.
    j.open_menu()
    with page.expect_navigation(url=re.compile(r"/guide/$")):
        page.get_by_role("link", name="使用说明").click()
    assert "煤矿安全管理人员使用说明" in page.inner_text("section[data-own-role]")
    j.shot("guide")

    # 3. An inspector ticks the major hazards on the ledger page and lists them (挂牌督办) in one go.
    from accounts.models import Mine
    from tests.factories import HazardFactory

    HazardFactory(
        mine=Mine.objects.get(short_name="北坡煤矿"),
        level="major",
        specialty="electromechanical",
        location="主要通风机房",
        description="主要通风机未实现双回路供电",
        contingency_plan="停电时撤出井下人员",
    )
    j = journey("inspector")
    page = j.page
    j.login("inspector")
    j.go("/hazards/?level=major")
    buttons = page.locator("#hazard-batch button")
    assert all(buttons.nth(i).is_disabled() for i in range(buttons.count()))  # nothing ticked yet
    page.check("[data-select-all=hazard-batch]")
    ticked = page.locator("input[name=ids][form=hazard-batch]:checked").count()
    assert ticked >= 1 and f"已选 {ticked} 条" in page.inner_text("[data-batch-count]")
    j.shot("ledger-ticked")
    with page.expect_download() as download:
        page.click("#hazard-batch button:has-text('导出所选')")
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.context.expect_page() as printed:
        page.click("#hazard-batch button:has-text('打印所选')")
    printed.value.wait_for_load_state()
    assert f"共 {ticked} 条" in printed.value.inner_text("body")  # the same print view as the whole ledger
    printed.value.close()
    before = HazardListing.objects.count()
    page.click("#hazard-batch button:has-text('挂牌督办所选')")
    page.wait_for_url(re.compile(r"/hazards/selected/listing/"))
    page.fill("#id_notice_text", "责令限期整改，挂牌督办，整改完成前停产整顿。")
    j.shot("listing-form")
    page.click("main button[type=submit]:has-text('挂牌督办')")
    summary = page.inner_text("[data-testid=listing-summary]")
    done = HazardListing.objects.count() - before
    assert done >= 1 and f"挂牌督办 {done} 条，未挂牌 {ticked - done} 条" in summary
    assert page.locator("[data-testid=listing-results] li").count() == ticked
    j.shot("listing-results")

    # 4. The 举报 poster, public, with its QR code drawn by the app.
    j = journey("public")
    page = j.page
    j.go("/report/poster/")
    assert page.locator("svg.qr-code path").count() == 1
    assert "/report/" in page.inner_text(".poster .url")
    j.shot("tipoff-poster")
    pdf = page.pdf(prefer_css_page_size=True)  # as printed: one A4 page
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    width, height = (float(n) for n in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert round(width) == 595 and round(height) == 842  # A4 in points
