"""The demo county shows a penalty case from an inspection finding to its closing, paid, with its documents and
evidence; and a case under investigation its mine does not see yet."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import User
from enforcement.models import DocumentStatus, PenaltyCase, PenaltyStage
from enforcement.penalty_file import case_file
from enforcement.selectors import penalty_case_list

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_a_closed_paid_case_and_one_under_investigation():
    with time_machine.travel(dt.datetime(2026, 11, 28, 8, tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", "--password", "demo-pass-1")
        call_command("seed_demo", "--password", "demo-pass-1")  # idempotent
        assert PenaltyCase.objects.count() == 2
        closed = PenaltyCase.objects.get(mine__users__username="mine1")
        assert closed.stage == PenaltyStage.CLOSED and closed.hazard.inspection.mode == "four_no_two_direct"
        assert closed.notice.status == closed.decision.status == DocumentStatus.SERVED
        assert closed.decision.number.startswith("阳应急煤罚决〔2026〕")
        unit, person = closed.parties.all()
        assert (unit.amount, unit.decided_amount, person.decided_amount) == (30000, 25000, 20000)
        assert unit.paid_on and person.paid_on and closed.hazard.status == "closed"
        titles = [p.title for p in case_file(closed)]
        assert titles[0] == "立案审批表" and titles[-1] == "结案报告" and "对矿长赵志强的询问笔录" in titles
        mine1, mine3 = User.objects.get(username="mine1"), User.objects.get(username="mine3")
        assert list(penalty_case_list(user=mine1)) == [closed]
        assert not penalty_case_list(user=mine3).exists()
        assert penalty_case_list(user=User.objects.get(username="leader")).count() == 2
