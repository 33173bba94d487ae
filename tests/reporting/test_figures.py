import datetime as dt

import pytest

from reporting import services
from reporting.figures import ledger_figures
from tests.factories import HazardFactory, ViolationFactory

pytestmark = pytest.mark.django_db
NOV = {"start": dt.date(2024, 11, 1), "end": dt.date(2024, 11, 30), "today": dt.date(2024, 12, 10)}


def build_ledgers(county):
    m = county.mine1
    # Found in November
    HazardFactory(
        mine=m,
        found_on=dt.date(2024, 11, 3),
        due_on=dt.date(2024, 11, 10),
        status="closed",
        accepted_on=dt.date(2024, 11, 9),
    )
    HazardFactory(
        mine=m, found_on=dt.date(2024, 11, 5), due_on=dt.date(2024, 11, 12), status="rectifying"
    )  # overdue at end
    HazardFactory(mine=m, found_on=dt.date(2024, 11, 20), due_on=dt.date(2024, 12, 20), status="open")
    HazardFactory(
        mine=m,
        found_on=dt.date(2024, 11, 25),
        due_on=dt.date(2024, 12, 5),
        level="major",
        status="closed",
        accepted_on=dt.date(2024, 12, 3),
    )
    # Found in October, closed in November
    HazardFactory(
        mine=m,
        found_on=dt.date(2024, 10, 29),
        due_on=dt.date(2024, 11, 2),
        status="closed",
        accepted_on=dt.date(2024, 11, 1),
    )
    # Found in December: not in the month
    HazardFactory(mine=m, found_on=dt.date(2024, 12, 1), status="open")
    # Another mine: never counted for mine1
    HazardFactory(mine=county.mine2, found_on=dt.date(2024, 11, 3), status="open")
    ViolationFactory(mine=m, occurred_on=dt.date(2024, 11, 2), type="command", severity="serious")
    ViolationFactory(mine=m, occurred_on=dt.date(2024, 11, 15), type="operation")
    ViolationFactory(mine=m, occurred_on=dt.date(2024, 11, 30), type="operation")
    ViolationFactory(mine=m, occurred_on=dt.date(2024, 12, 1), type="discipline")
    ViolationFactory(mine=county.mine2, occurred_on=dt.date(2024, 11, 15), type="discipline")


def test_monthly_figures_equal_what_the_ledgers_hold(county):
    build_ledgers(county)
    f = ledger_figures(organization=county.mine1, **NOV)
    assert f["hazards_found"] == 4
    assert f["hazards_found_major"] == 1
    assert f["hazards_closed"] == 2  # closed in November: the 11-03 one and the October one
    assert f["hazards_open_at_end"] == 3  # 11-05, 11-20, and the major closed only on 12-03
    assert f["hazards_overdue_at_end"] == 1  # 11-05, due 11-12
    assert f["major_hazards_open_at_end"] == 1
    assert (f["violations"], f["violations_serious"]) == (3, 1)
    assert (f["violations_command"], f["violations_operation"], f["violations_discipline"]) == (1, 2, 0)


def test_enterprise_figures_add_up_its_mines(county):
    build_ledgers(county)
    f = ledger_figures(organization=county.ent1, **NOV)
    assert f["hazards_found"] == 5 and f["violations"] == 4


def test_the_monthly_report_is_prefilled_and_frozen_on_submit(county, deadlines, client):
    import time_machine

    build_ledgers(county)
    officer = county.mine1_officer
    with time_machine.travel(dt.datetime(2024, 11, 30, 6, tzinfo=dt.UTC), tick=False):
        submission = services.submission_open(actor=officer, deadline=deadlines["monthly_2024_11"])
        services.submission_save(
            actor=officer, submission=submission, narrative={"done": "开展自查"}, manual={"deaths": 0, "injuries": 1}
        )
        client.force_login(officer)
        html = client.get(f"/submissions/{submission.pk}/edit/").content.decode()
        assert "排查隐患（项）" in html and "无工伤事故" in html and "未实现（1）" in html
        services.submission_submit(actor=officer, submission=submission)
    frozen = submission.versions.get().content["figures"]
    assert frozen["hazards_found"] == 4 and frozen["violations"] == 3
    HazardFactory(mine=county.mine1, found_on=dt.date(2024, 11, 28))
    assert submission.versions.get().content["figures"]["hazards_found"] == 4  # frozen


def test_self_check_lists_freeze_the_hazard_list_of_the_phase(county, deadlines):
    build_ledgers(county)
    officer = county.mine1_officer
    submission = services.submission_open(actor=officer, deadline=deadlines["self_check_lists"])
    services.submission_save(actor=officer, submission=submission, narrative={"summary": "全覆盖自查"})
    services.submission_submit(actor=officer, submission=submission)
    listed = submission.versions.get().content["hazard_list"]
    # The self-check phase is 11-01 to 11-25: four of mine1's hazards, none of mine2's.
    assert [h["found_on"] for h in listed] == ["2024-11-03", "2024-11-05", "2024-11-20", "2024-11-25"]
    assert {h["mine"] for h in listed} == {"东峰煤矿"}
