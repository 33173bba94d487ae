"""疑似重大隐患 (issue 25 item 3) in the browser: the inspector opens the bureau's list from the ledger, confirms one
(the hazard becomes 重大 with its 情形 and the mine goes under 停产整顿) and dismisses another with a reason."""

import pytest
from playwright.sync_api import expect

# One Chromium at a time under xdist (--dist loadgroup): two would starve each other on a 2-core machine.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_inspector_confirms_one_suspected_major_hazard_and_dismisses_another(journey):
    from accounts.models import Mine
    from hazards.models import SuspectedMajorHazard

    confirm = SuspectedMajorHazard.objects.select_related("hazard__mine").get(
        hazard__description="2105回风巷甲烷传感器超限后不能断电"
    )
    dismiss = SuspectedMajorHazard.objects.get(hazard__description__startswith="主要通风机房只有一台通风机")
    mine = confirm.hazard.mine
    assert mine.status != "suspended"

    j = journey("inspector")
    page = j.page
    j.login("inspector")
    j.go("/hazards/")
    page.click("a:has-text('疑似重大隐患')")
    page.wait_for_url("**/hazards/suspected/")
    page.select_option("#id_state", "pending")
    page.click("button:has-text('查询')")
    card = page.locator(f"[data-testid=suspected-{confirm.pk}]")
    expect(card).to_contain_text("《煤矿重大事故隐患判定标准》第七条第（二）项")
    j.shot("suspected-list")

    card.locator("[data-testid=confirm-open]").click()
    card.locator("[data-testid=confirm-submit]").click()
    expect(page.get_by_text("已确认为重大事故隐患")).to_be_visible()
    j.shot("confirmed")

    other = page.locator(f"[data-testid=suspected-{dismiss.pk}]")
    other.locator("[data-testid=dismiss-open]").click()
    other.locator("textarea[name=reason]").fill("现场核实备用通风机已安装到位，台账描述有误")
    other.locator("[data-testid=dismiss-submit]").click()
    expect(page.get_by_text("已排除，理由已记录。")).to_be_visible()
    j.shot("dismissed")

    confirm.refresh_from_db()
    dismiss.refresh_from_db()
    assert (confirm.state, dismiss.state) == ("confirmed", "dismissed")
    assert "台账描述有误" in dismiss.reason
    hazard = confirm.hazard
    hazard.refresh_from_db()
    assert hazard.level == "major" and (hazard.major_item.category.no, hazard.major_item.no) == (4, 2)
    assert Mine.objects.get(pk=mine.pk).status == "suspended"
    j.go(f"/hazards/{hazard.pk}/")
    expect(page.locator("[data-testid=suspected-major]")).to_contain_text("已确认")
    j.shot("hazard-detail")
