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
