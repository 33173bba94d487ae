"""The bureau's accountability actions in the browser: the inspector opens the proposals the records make (问责线索),
drafts a 通报批评 from one (the form pre-filled), issues it; the named mine sees it on its home page, reads it and
the banner goes; the demo's 约谈 of 晋阳煤业 shows its follow-up date to ent1."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_bureau_issues_a_criticism_from_a_candidate_and_the_mine_reads_it(journey):
    j = journey("inspector")
    j.login("inspector")
    j.go("/accountability/")
    j.page.get_by_role("link", name="问责线索").click()
    row = j.page.get_by_test_id("candidate").filter(has_text="东峰煤矿").filter(has_text="自查不实")
    expect(row).to_be_visible()
    j.shot("candidates")
    row.get_by_role("link", name="起草通报批评").click()
    expect(j.page.get_by_test_id("from-candidate")).to_be_visible()
    expect(j.page.locator("textarea[name=reason]")).to_have_value(re.compile("自查不实"))
    j.shot("prefilled")
    j.page.get_by_role("button", name="保存草稿").click()
    expect(j.page.get_by_test_id("issue-form")).to_be_visible()
    j.page.get_by_test_id("issue-form").get_by_role("button", name="签发").click()
    number = j.page.get_by_test_id("action-number")
    expect(number).to_have_text(re.compile(r"^阳应急通〔\d{4}〕\d+号$"))
    j.shot("issued")

    mine = journey("mine1")
    mine.login("mine1")
    banner = mine.page.get_by_test_id("home-criticism").filter(has_text="东峰煤矿")
    expect(banner).to_be_visible()
    mine.shot("home-banner")
    banner.get_by_role("link", name="阅读").click()
    expect(mine.page.get_by_test_id("action-targets")).to_contain_text("东峰煤矿")
    mine.go("/")
    expect(mine.page.get_by_test_id("campaign-clock")).to_be_visible()
    expect(mine.page.get_by_test_id("home-criticism").filter(has_text="东峰煤矿")).to_have_count(0)
    mine.shot("home-read")

    ent = journey("ent1")
    ent.login("ent1")
    ent.go("/accountability/?kind=summons")
    table = ent.page.get_by_test_id("accountability-table")
    expect(table).to_contain_text("晋阳煤业")
    ent.page.get_by_role("link", name=re.compile("阳应急约谈")).click()
    expect(ent.page.get_by_test_id("follow-up")).to_contain_text("待复查")
    ent.shot("summons")
