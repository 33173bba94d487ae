"""Who is responsible for which mine, in the browser: the inspector's home starts with the mines he supervises and
leads to the coverage of the phase and the campaign's organisation; a mine officer sees his 监管专员 and the bureau's
phone."""

import re

import pytest

from tests.e2e.conftest import PHONE

# One Chromium at a time under xdist (--dist loadgroup): two would starve each other on a 2-core machine.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_who_answers_for_which_mine(journey):
    from campaign.models import Campaign

    j = journey("inspector")
    page = j.page
    j.login("inspector")
    panel = page.locator("[data-testid=my-mines]")
    assert "我包保的煤矿（2）" in panel.inner_text()
    rows = panel.locator("tbody tr")
    assert rows.count() == 2
    assert "东峰煤矿" in rows.nth(0).inner_text() and "西岭煤矿" in rows.nth(1).inner_text()
    assert "停产整顿" in rows.nth(1).inner_text()  # the demo's major hazard keeps 西岭煤矿 suspended
    j.shot("home-my-mines")

    panel.get_by_role("link", name="检查覆盖").click()
    page.wait_for_url(re.compile(r"/inspections/coverage/$"))
    north = page.locator("tbody tr", has_text="北坡煤矿")
    assert "本阶段未检查" in north.inner_text() and "马晋斌" in north.inner_text()
    assert "未考试" in page.locator("tbody tr", has_text="东峰煤矿").inner_text()  # the 四不两直 visit without an exam
    j.shot("coverage")

    j.go(f"/campaigns/{Campaign.objects.get(code='yc-demo').pk}/")
    page.get_by_role("link", name="组织机构").click()
    page.wait_for_url(re.compile(r"/organisation/$"))
    leading = page.locator("[data-testid=working-group]", has_text="领导组").first
    assert "陈永明" in leading.inner_text() and "县应急管理局局长" in leading.inner_text()
    assert "县应急局煤矿执法一股" in page.content()
    j.shot("organisation")

    m = journey("mine1", PHONE)
    m.login("mine1")
    own = m.page.locator("[data-testid=own-supervisors]")
    text = own.inner_text()
    assert "本矿监管专员" in text and "刘伟" in text and "13935601271" in text
    assert "4220723" in own.locator("[data-testid=bureau-phone]").inner_text()
    assert "jjy0425@163.com" in text
    m.shot("mine-home-supervisor")
