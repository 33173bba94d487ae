"""The inspector issues a 责令限期整改指令书 from a finding of the bureau's inspection and prints it (desktop and
phone); the mine sees the issued order in its list, never the bureau's drafts."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"


def test_an_inspector_issues_an_order_from_a_finding_prints_it_and_the_mine_sees_it(journey):
    from hazards.models import Hazard

    finding = Hazard.objects.get(description="带式输送机机尾滚筒处未设置防护栏")
    j = journey("inspector")
    j.login("inspector")
    j.go(f"/inspections/{finding.inspection_id}/")
    j.page.get_by_role("link", name=re.compile("带式输送机机尾滚筒")).click()
    j.page.get_by_test_id("order-from-hazard").click()
    expect(j.page.get_by_role("heading", name="制作责令限期整改指令书")).to_be_visible()
    expect(j.page.locator("textarea[name=item_1_text]")).to_have_value(re.compile("带式输送机机尾滚筒"))
    boxes = j.page.locator("input[name=officers]")
    assert boxes.count() >= 2
    for i in range(2):
        boxes.nth(i).check()
    j.shot("draft")
    j.page.get_by_role("button", name="保存草稿").click()
    expect(j.page.get_by_test_id("issue")).to_be_visible()
    j.page.get_by_test_id("issue").get_by_role("button", name="签发").click()
    number = j.page.get_by_test_id("document-number")
    expect(number).to_have_text(re.compile(r"^阳应急煤责改〔\d{4}〕\d+号$"))
    issued = number.text_content()
    j.shot("issued")

    j.page.get_by_test_id("print-link").click()
    expect(j.page.get_by_test_id("print-number")).to_have_text(issued)
    expect(j.page.get_by_test_id("paper")).to_contain_text("西岭煤矿")
    expect(j.page.get_by_test_id("paper")).to_contain_text("执法证号")
    print_url = j.page.url
    j.shot("print-desktop")

    phone = journey("inspector-phone", PHONE)
    phone.login("inspector")
    phone.page.goto(print_url)
    expect(phone.page.get_by_test_id("print-number")).to_have_text(issued)
    assert not phone.page.evaluate(WIDER_THAN_SCREEN), "the printed order is wider than the phone"
    phone.shot("print-phone")
    # the list on the phone: a card a document, nothing to scroll sideways (the table's six columns were)
    phone.go("/enforcement/documents/")
    expect(phone.page.get_by_test_id("document-cards")).to_contain_text(issued)
    expect(phone.page.get_by_test_id("document-table")).to_be_hidden()
    assert not phone.page.evaluate(WIDER_THAN_SCREEN), "the list is wider than the phone"
    phone.shot("list-phone")

    mine = journey("mine2")
    mine.login("mine2")
    mine.go("/enforcement/documents/")
    table = mine.page.get_by_test_id("document-table")
    expect(table).to_contain_text(issued)
    expect(table).not_to_contain_text("草稿")
    expect(table).not_to_contain_text("现场检查记录")  # the bureau's draft record of the same inspection
    mine.shot("mine-list")
