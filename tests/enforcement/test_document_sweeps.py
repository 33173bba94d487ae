"""Deadlines in enforcement documents are swept like every other deadline: the mine is reminded before an order's
整改期限 (3 days and 1 day), the officers and the mine's 监管专员 are told that 复查 is due after it (weekly) until a
整改复查意见书 follows the order; other documents with a deadline get the same reminders and one notice after it.

The walk runs every day from the enforcement phase to after the campaign, every sweep twice a day: each notice goes out
exactly once, on the day it is due."""

import datetime as dt
from collections import defaultdict

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from accounts.services import mine_supervisor_assign
from enforcement import services as docs
from enforcement.document_sweeps import document_url, reminder_step, sweep_documents
from hazards.services import inspection_create
from notifications.models import Notification
from sweeps.registry import ALL_SWEEPS, run_all_sweeps
from tests.enforcement.penalty_helpers import setup_bureau
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
ORDER_CONTENT = {"facts": "经现场检查，发现该矿存在下列问题", "basis": "《安全生产法》第六十五条"}


def noon(day):
    return dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC)  # 12:00 in Shanghai


@pytest.fixture
def bureau(county):
    officers, _ = setup_bureau(county.bureau, county.inspector)
    supervisor = UserFactory(username="supervisor", role=Role.INSPECTOR, organization=county.bureau)
    mine_supervisor_assign(actor=county.inspector, mine=county.mine1, supervisor=supervisor)
    mine_supervisor_assign(actor=county.inspector, mine=county.mine3, supervisor=county.inspector)
    other_officers, _ = setup_bureau(county.other_bureau, county.other_inspector)
    return {"officers": officers, "supervisor": supervisor, "other_officers": other_officers}


def issue(actor, officers, mine, kind, day, *, items=(), content=None, deadline=None, follows=None, served=True):
    inspection = None
    if follows is None:
        inspection = inspection_create(actor=actor, mine=mine, inspected_on=day, mode="open")
    document = docs.document_draft(
        actor=actor,
        kind=kind,
        mine=mine,
        inspection=inspection,
        follows=follows,
        officers=officers,
        items=items,
        content=content or {},
        deadline=deadline,
    )
    document = docs.document_issue(actor=actor, document=document, issued_on=day)
    if served:
        document = docs.document_record_receipt(actor=actor, document=document, signer_name="张建国", received_on=day)
    return document


def order(actor, officers, mine, day, due_dates, **kwargs):
    items = [{"text": f"第{i}项问题：皮带机保护装置失效", "due_on": due} for i, due in enumerate(due_dates, start=1)]
    return issue(actor, officers, mine, "rectification_order", day, items=items, content=ORDER_CONTENT, **kwargs)


@pytest.fixture
def walk(county, bureau):
    inspector, officers = county.inspector, bureau["officers"]
    made = {}

    def order_a():  # 东峰: two items due 12-05 and one 12-12, reviewed on 12-20
        made["A"] = order(inspector, officers, county.mine1, D(2024, 11, 27), [D(2024, 12, 5)] * 2 + [D(2024, 12, 12)])

    def review_a():
        made["review"] = issue(
            inspector,
            officers,
            county.mine1,
            "review_opinion",
            D(2024, 12, 20),
            follows=made["A"],
            items=[{"text": item.text, "passed": True} for item in made["A"].items.all()],
            content={"opinion": "经复查，已整改合格。"},
        )

    def draft_review_b():  # a draft of the review does not stop the chase
        docs.document_draft(
            actor=inspector,
            kind="review_opinion",
            mine=county.mine3,
            follows=made["B"],
            officers=officers,
            items=[{"text": "x", "passed": False}],
            content={"opinion": "草稿"},
        )

    def order_b():  # 北坡: one item due 12-10, issued but not served, never reviewed
        made["B"] = order(inspector, officers, county.mine3, D(2024, 12, 2), [D(2024, 12, 10)], served=False)

    def measures_c():  # 西岭: 现场处理措施 with a deadline of 12-15
        made["C"] = issue(
            inspector,
            officers,
            county.mine2,
            "on_site_measures",
            D(2024, 12, 3),
            content={"facts": "局部通风机无计划停风", "measures": ["withdraw_workers"], "basis": "第六十五条"},
            deadline=D(2024, 12, 15),
        )

    def draft_d():  # a draft order: nothing is chased
        docs.document_draft(
            actor=inspector,
            kind="rectification_order",
            mine=county.mine2,
            officers=officers,
            items=[{"text": "草稿问题", "due_on": D(2024, 12, 9)}],
            content=ORDER_CONTENT,
        )

    def far_e():  # the other county's order
        made["E"] = order(
            county.other_inspector, bureau["other_officers"], county.other_mine, D(2024, 12, 1), [D(2024, 12, 8)]
        )

    actions = {
        D(2024, 11, 27): [order_a],
        D(2024, 12, 1): [far_e],
        D(2024, 12, 2): [order_b, draft_d],
        D(2024, 12, 3): [measures_c],
        D(2024, 12, 4): [draft_review_b],
        D(2024, 12, 20): [review_a],
    }
    log = defaultdict(list)  # (username, topic) -> [day]
    day = D(2024, 11, 26)
    while day <= D(2025, 2, 15):
        with time_machine.travel(noon(day), tick=False):
            for action in actions.get(day, []):
                action()
            before = Notification.objects.count()
            run_all_sweeps(today=day)
            assert sum(run_all_sweeps(today=day).values()) == 0, f"second run on {day} sent again"
            for n in Notification.objects.order_by("id")[before:].select_related("recipient"):
                if n.topic.startswith("document_"):
                    log[(n.recipient.username, n.topic)].append(timezone.localtime(n.created_at).date())
        day += dt.timedelta(days=1)
    return {"log": log, "made": made, "officers": officers, "bureau": bureau}


@pytest.mark.slow  # ~10 s: every day of the enforcement phase and after, all sweeps twice a day
def test_document_deadlines_over_the_calendar(county, walk):
    log, made = walk["log"], walk["made"]
    second_officer = walk["officers"][1].username
    # The order's mine: 3 days and 1 day before each of its two dates.
    assert log[("mine1", "document_due")] == [D(2024, 12, 2), D(2024, 12, 4), D(2024, 12, 9), D(2024, 12, 11)]
    # 复查 due: the day after each date, weekly, until the 整改复查意见书 of 12-20 (two dates: two notices on 12-13).
    review_days = [D(2024, 12, 6), D(2024, 12, 13), D(2024, 12, 13)]
    assert log[("supervisor", "document_review_due")] == review_days  # mine1's 监管专员: order A only
    assert log[("mine1", "document_review_due")] == []  # the mine is not told to review itself
    # 北坡's order, never reviewed (its draft review does not count): weekly for the catch-up window of 60 days.
    order_b_days = [D(2024, 12, 11) + dt.timedelta(days=7 * k) for k in range(9)]
    assert log[("mine3", "document_due")] == [D(2024, 12, 7), D(2024, 12, 9)]
    assert log[(second_officer, "document_review_due")] == sorted(review_days + order_b_days)
    # The inspector is officer of every document and 监管专员 of 北坡: each notice once.
    assert log[("inspector", "document_review_due")] == sorted(review_days + order_b_days)
    # 西岭's 现场处理措施决定书: the mine reminded before its deadline; the officers told once after it.
    assert log[("mine2", "document_due")] == [D(2024, 12, 12), D(2024, 12, 14)]
    assert log[(second_officer, "document_deadline_passed")] == [D(2024, 12, 16)]
    assert log[("supervisor", "document_deadline_passed")] == []  # not 西岭's 监管专员
    # Nothing crosses bureaus; the other county's order chases its own people.
    assert log[("other_inspector", "document_review_due")][0] == D(2024, 12, 9)
    far = Notification.objects.filter(recipient__organization=county.other_bureau).values_list("key", flat=True)
    assert far and all(f":{made['E'].pk}:" in key for key in far)
    near = Notification.objects.exclude(recipient__organization=county.other_bureau).values_list("key", flat=True)
    assert not any(f":{made['E'].pk}:" in key for key in near)
    # The texts name the document by its number and link to its page.
    note = Notification.objects.filter(recipient__username="mine1", topic="document_due").earliest("id")
    assert made["A"].number in note.title and "2项问题将于12月5日到整改期限" in note.title
    assert note.url == document_url(made["A"].pk) and note.url.startswith("/enforcement/documents/")
    note = Notification.objects.filter(recipient__username="supervisor", topic="document_review_due").earliest("id")
    assert made["A"].number in note.title and "整改复查意见书" in note.body and "12月5日" in note.body


def test_the_reminder_steps():
    assert [reminder_step(d) for d in (5, 4, 3, 2, 1, 0, -1)] == [None, None, "d-3", "d-3", "d-1", "d-1", None]


def test_a_late_sweep_sends_the_step_that_applies_now_once(county, bureau, time_machine):
    time_machine.move_to(noon(D(2024, 12, 2)), tick=False)
    document = order(county.inspector, bureau["officers"], county.mine1, D(2024, 12, 2), [D(2024, 12, 5)])
    # Down from 12-01 to 12-04: on 12-04 only the 1-day reminder goes out, not the 3-day one it missed.
    time_machine.move_to(noon(D(2024, 12, 4)), tick=False)
    assert sweep_documents(today=D(2024, 12, 4)) == 1
    sent = Notification.objects.exclude(key=f"document:issued:{document.pk}")  # the notice of its issue is not a step
    assert list(sent.values_list("key", flat=True)) == [f"document:due:{document.pk}:20241205:d-1"]
    assert sweep_documents(today=D(2024, 12, 5)) == 0


def test_the_round_of_sweeps_runs_the_document_sweep():
    assert ALL_SWEEPS["enforcement_documents"] is sweep_documents
