"""The penalty sweep: the officers learn when a notice's 陈述申辩 (and 听证) period has ended without a step taken, the
mine when its fines fall due, and both when they are overdue. Each notice once, however often the sweep runs."""

import datetime as dt

import pytest

from enforcement.models import PenaltyStage
from enforcement.penalty_sweeps import sweep_penalty_cases
from enforcement.services import penalty_case_record_payment
from notifications.models import Notification
from sweeps.registry import ALL_SWEEPS

from .penalty_helpers import advance, open_case, setup_bureau

pytestmark = pytest.mark.django_db
START = dt.date(2025, 1, 6)  # a Monday: the notice is served on Wednesday 8 January


@pytest.fixture
def world(county):
    return setup_bureau(county.bureau, county.inspector)


def case_at(county, world, stage):
    officers, provisions = world
    case = open_case(officers[0], county.mine1, provisions, filed_on=START)
    return advance(case, officers, stage, start=START)


def keys(user):
    """The sweep's notices to the user (a document's notice of issue is the issue's, not a step)."""
    notices = Notification.objects.filter(recipient=user).exclude(key__startswith="document:issued:")
    return sorted(notices.values_list("key", flat=True))


def test_the_officers_hear_when_the_statement_and_hearing_periods_end(county, world, time_machine):
    officers = world[0]
    time_machine.move_to(dt.datetime(2025, 1, 20, 2, tzinfo=dt.UTC), tick=False)
    case = case_at(county, world, PenaltyStage.NOTIFIED)
    assert case.statement_due_on == dt.date(2025, 1, 13) and case.hearing_due_on == dt.date(2025, 1, 15)
    assert sweep_penalty_cases(today=dt.date(2025, 1, 14)) == 0  # 听证 may still be asked for
    assert sweep_penalty_cases(today=dt.date(2025, 1, 16)) == 2
    assert keys(officers[1]) == [f"penalty:statement-ended:{case.pk}"]
    note = Notification.objects.get(recipient=officers[0])
    assert "陈述申辩" in note.title and case.number in note.title and note.url.endswith(f"/{case.pk}/")
    assert sweep_penalty_cases(today=dt.date(2025, 1, 17)) == 0  # once
    assert keys(county.mine1_officer) == []


def test_the_mine_is_reminded_before_its_fines_fall_due_and_both_sides_after(county, world, time_machine):
    officers = world[0]
    time_machine.move_to(dt.datetime(2025, 1, 20, 2, tzinfo=dt.UTC), tick=False)
    case = case_at(county, world, PenaltyStage.DECIDED)
    due = case.payment_due_on
    assert due == dt.date(2025, 1, 25)
    assert sweep_penalty_cases(today=due - dt.timedelta(days=4)) == 0
    assert sweep_penalty_cases(today=due - dt.timedelta(days=3)) == 1
    assert keys(county.mine1_officer) == [f"penalty:payment-due:{case.pk}"]
    assert sweep_penalty_cases(today=due - dt.timedelta(days=1)) == 0
    assert sweep_penalty_cases(today=due) == 0
    assert sweep_penalty_cases(today=due + dt.timedelta(days=1)) == 3  # the mine and the decision's two officers
    assert f"penalty:payment-overdue:{case.pk}" in keys(officers[0])
    assert sweep_penalty_cases(today=due + dt.timedelta(days=2)) == 0
    assert not Notification.objects.filter(recipient=county.mine2_officer).exists()


def test_paid_fines_are_not_chased(county, world, time_machine):
    officers = world[0]
    time_machine.move_to(dt.datetime(2025, 1, 20, 2, tzinfo=dt.UTC), tick=False)
    case = case_at(county, world, PenaltyStage.DECIDED)
    for party in case.parties.all():
        case = penalty_case_record_payment(actor=officers[0], case=case, party=party, paid_on=case.decided_on)
    assert sweep_penalty_cases(today=case.payment_due_on - dt.timedelta(days=1)) == 0
    assert sweep_penalty_cases(today=case.payment_due_on + dt.timedelta(days=1)) == 0


def test_the_round_of_sweeps_runs_the_penalty_sweep():
    assert ALL_SWEEPS["penalty_cases"] is sweep_penalty_cases
