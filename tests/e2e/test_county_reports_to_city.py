"""A county reports to the city above it (issue 22 item 2), in the browser: 沁水's inspector, on a phone, opens the
monthly report the city's campaign asks of the county from the home page, fills it in and sends it; the city's
regulator, at a desk, finds it waiting on the home page, returns it with a reason; 沁水 corrects and sends it again;
the city approves it and sees it in its matrix of counties. 沁水 then adopts the city's campaign: its own draft, linked
to the city's, which the city's page lists as 编制中."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_county_report_goes_to_the_city_and_back(journey):
    from campaign.models import Campaign
    from reporting.models import Submission

    city_campaign = Campaign.objects.get(code="jc-demo")
    county = journey("qinshui", PHONE)
    page = county.page
    county.login("qinshui")
    upward = page.get_by_test_id("upward")
    expect(upward).to_contain_text("本局向上级报送")
    upward.get_by_test_id("upward-open").first.click()
    page.wait_for_url(re.compile(r"/submissions/\d+/edit/$"))
    page.fill("#id_n_done", "全县两座煤矿开展自查自改，县局检查工作组逐矿检查。")
    county.shot("filled")
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(r"/submissions/\d+/$"))
    submission = Submission.objects.get(pk=int(re.search(r"/submissions/(\d+)/", page.url).group(1)))
    assert submission.organization.name == "沁水县应急管理局" and submission.status == "submitted"
    county.shot("sent")

    city = journey("city")
    cpage = city.page
    city.login("city")
    expect(cpage.get_by_test_id("issued")).to_contain_text("待审核")
    city.go(f"/submissions/{submission.pk}/")
    review = cpage.get_by_test_id("review-forms")
    review.locator("textarea[name=reason]").fill("请补充重大隐患整改和停产整顿情况。")
    review.get_by_role("button", name="退回修改").click()
    expect(cpage.locator("body")).to_contain_text("已退回")
    city.shot("returned")

    county.go("/")
    expect(page.get_by_test_id("upward")).to_contain_text("已退回")
    page.get_by_test_id("upward").get_by_role("link", name="修改后重新报送").first.click()
    expect(page.locator("body")).to_contain_text("请补充重大隐患整改和停产整顿情况")
    page.fill("#id_n_problems", "东坡煤矿一处重大隐患已挂牌督办，停产整顿中。")
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(r"/submissions/\d+/$"))
    county.shot("resent")

    city.go(f"/submissions/{submission.pk}/")
    cpage.get_by_test_id("review-forms").get_by_role("button", name="审核通过").click()
    expect(cpage.locator("body")).to_contain_text("已通过")
    submission.refresh_from_db()
    assert submission.status == "approved" and submission.versions_submitted == 2
    city.go(f"/submissions/matrix/?campaign={city_campaign.pk}")
    expect(cpage.locator("table").first).to_contain_text("沁水县应急管理局")
    city.shot("matrix")

    # 沁水 adopts the city's campaign; the city's page shows its answer being drafted
    county.go(f"/campaigns/{city_campaign.pk}/")
    page.get_by_test_id("adopt").click()
    expect(page.get_by_test_id("adopts")).to_be_visible()
    county.shot("adopted")
    city.go(f"/campaigns/{city_campaign.pk}/")
    adoptions = cpage.get_by_test_id("adoptions")
    expect(adoptions.locator("tr", has_text="沁水县应急管理局")).to_contain_text("编制中")
    city.shot("adoptions")


def test_the_city_inspects_a_mine_below_and_the_county_sees_it(journey):
    """The city's own inspection (issue 22 item 1), on a phone: 四不两直 of 北坡煤矿 in 阳城, a hazard found at it goes
    into 阳城's ledger; 阳城's inspector sees the inspection marked as the city's, and the city is offered nothing to
    write on the county's own inspections."""
    import datetime as dt

    from accounts.models import Mine
    from hazards.models import Hazard, Inspection

    today = dt.date.today()
    city = journey("city-inspects", PHONE)
    page = city.page
    city.login("city")
    city.go("/inspections/new/")
    mine = Mine.objects.get(short_name="北坡煤矿")
    page.select_option("#id_mine", str(mine.pk))
    page.fill("#id_inspected_on", today.isoformat())
    page.select_option("#id_mode", "four_no_two_direct")
    page.fill("#id_notes", "市局“四不两直”抽查主运输系统")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/inspections/\d+/$"))
    expect(page.locator("h1")).to_contain_text("晋城市应急管理局")
    page.get_by_role("link", name="登记发现的隐患").click()
    page.fill("#id_location", "主斜井皮带机头")
    page.fill("#id_description", "皮带机头防护罩缺失")
    page.select_option("#id_specialty", "transport")
    page.fill("#id_measures", "立即加装防护罩")
    page.fill("#id_responsible_person", "赵明")
    page.fill("#id_due_on", (today + dt.timedelta(days=3)).isoformat())
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/hazards/\d+/$"))
    finding = Hazard.objects.get(location="主斜井皮带机头")
    assert finding.mine_id == mine.pk and finding.inspection.higher_bureau_id is not None
    city.shot("finding")
    # the county's own inspection of the same mine: read, not written (the walks post to it: 403)
    county_own = Inspection.objects.filter(mine__bureau=mine.bureau, higher_bureau__isnull=True).first()
    city.go(f"/inspections/{county_own.pk}/")
    expect(page.get_by_role("link", name="登记发现的隐患")).to_have_count(0)

    county = journey("county-sees-city")
    county.login("inspector")
    county.go("/inspections/")
    row = county.page.locator("tr", has_text="北坡煤矿").filter(has_text="晋城市应急管理局").first
    expect(row).to_be_visible()
    county.shot("inspections")
