"""The leadership group sees the charts and can change nothing; an anonymous worker reports and reads the reply."""

import re

import pytest
from playwright.sync_api import expect

# One Chromium at a time under xdist (--dist loadgroup): two would starve each other on a 2-core machine.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHARTS = [
    "timeline",
    "hazards_weekly",
    "by_enterprise",
    "violations_monthly",
    "on_time",
    "progress_by_section",
    "four_no",
]


def assert_charts_drawn(page, names):
    page.wait_for_selector("body[data-charts-ready='1']")
    for name in names:
        chart = page.locator(f"[data-chart='{name}'] svg")
        assert chart.count() == 1, f"{name}: no chart"
        assert chart.locator("path, rect, text").count() > 5, f"{name}: the chart is empty"


def test_leader_journey(journey):
    from hazards.models import Hazard

    j = journey("leader")
    page = j.page
    j.login("leader")
    j.go("/dashboard/charts/")
    assert_charts_drawn(page, CHARTS)
    j.shot("charts")
    j.go("/dashboard/screen/")
    assert_charts_drawn(page, ["timeline", "hazards_weekly", "major_series", "by_enterprise", "four_no"])
    assert page.locator("[data-live='figures.hazards.total']").inner_text().strip().isdigit()
    j.shot("big-screen")
    page.get_by_role("link", name="退出大屏").click()
    page.wait_for_url(re.compile(r"/dashboard/(\?campaign=\d+)?$"))  # back to the campaign it showed

    # Read-only: no way to change anything in the pages …
    hazard = Hazard.objects.filter(status="awaiting_acceptance").first()
    j.go(f"/hazards/{hazard.pk}/")
    assert page.locator("main form[method=post]").count() == 0
    j.go("/hazards/")
    assert page.get_by_role("link", name="登记隐患").count() == 0
    j.go("/inspections/")
    assert page.get_by_role("link", name="登记检查").count() == 0
    j.shot("read-only")
    # … nor through the API.
    token = page.request.post(
        f"{j.base_url}/api/v1/auth/token/", data={"username": "leader", "password": "demo-pass-12345"}
    ).json()["token"]
    headers = {"Authorization": f"Token {token}"}
    refused = page.request.post(f"{j.base_url}/api/v1/hazards/{hazard.pk}/accept/", headers=headers, data={})
    assert refused.status in (400, 403)
    created = page.request.post(
        f"{j.base_url}/api/v1/hazards/",
        headers=headers,
        data={
            "mine": hazard.mine_id,
            "source": "team_daily",
            "found_on": "2024-11-01",
            "location": "x",
            "description": "x",
        },
    )
    assert created.status in (400, 403)
    hazard.refresh_from_db()
    assert hazard.status == "awaiting_acceptance"


def test_anonymous_worker_reports_and_reads_the_reply(journey):
    from accounts.models import User
    from violations.models import Tipoff
    from violations.services import tipoff_handle

    j = journey("worker", {"width": 390, "height": 844})
    page = j.page
    j.go("/report/")
    expect(page.get_by_text("不需要登录")).to_be_visible()
    page.select_option("#id_category", "violation")
    page.fill("#id_location", "北坡煤矿1302工作面")
    page.fill("#id_content", "夜班有人不带自救器下井，班长也不管，希望县局来查。")
    j.shot("form")
    page.click("button:has-text('提交举报')")
    code = page.inner_text("[data-testid=tracking-code]").strip()
    assert re.fullmatch(r"[A-Z2-9]{12}", code)
    j.shot("code")
    tipoff = Tipoff.objects.get(tracking_code=code)
    tipoff_handle(
        actor=User.objects.get(username="inspector"),
        tipoff=tipoff,
        status="closed",
        public_reply="经核查属实，已对该矿班组长处罚并开展全员警示教育。",
    )
    j.go("/report/track/")
    page.fill("#id_tracking_code", code)
    page.click("button:has-text('查询')")
    status = page.inner_text("[data-testid=report-status]")
    assert "已办结" in status and "经核查属实" in status
    # The code went in the body of a POST: not in the address bar, the history, or any access log.
    assert code not in page.url and code.lower() not in page.url
    j.shot("reply")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_city_regulator_sees_the_counties_ranked_in_the_charts(journey, viewport):
    """The city's regulator (demo `city`, 晋城市) opens the charts: its counties ranked on the county charts' figures,
    on a desktop and on a phone (nothing wider than the screen), and a county's name opens that county's own charts."""
    from .conftest import DESKTOP, PHONE

    j = journey(f"city-{viewport}", DESKTOP if viewport == "desktop" else PHONE)
    page = j.page
    j.login("city")
    j.go("/dashboard/charts/")
    expect(page.get_by_test_id("level-charts")).to_be_visible()
    for key in ("not_closed", "overdue", "major_open", "violations_month", "on_time_rate", "score"):
        rows = page.locator(f"[data-series='{key}'] li[data-county]")
        assert rows.count() == 2, key  # 阳城 and 沁水, never a county of another city
        names = rows.locator("a").all_inner_texts()
        assert any("阳城" in n for n in names) and any("沁水" in n for n in names), names
        values = [v.strip().rstrip("%") for v in rows.locator("[data-value]").all_inner_texts()]
        numbers = [float(v) for v in values if v != "—"]
        if key != "on_time_rate":
            assert numbers == sorted(numbers, reverse=True), (key, values)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
    j.shot("counties-ranked")
    page.locator("[data-series='not_closed'] li[data-county] a", has_text="阳城").click()
    page.wait_for_url(re.compile(r"/dashboard/charts/\?bureau=\d+"))
    expect(page.get_by_test_id("county-lens")).to_contain_text("阳城")
    assert_charts_drawn(page, ["timeline", "hazards_weekly", "violations_monthly"])
    j.shot("one-county")
