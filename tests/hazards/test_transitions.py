import datetime as dt

import pytest
import time_machine

from accounts.models import MineStatus
from core.errors import DomainError
from hazards import services
from hazards.models import Hazard, HazardStatus

pytestmark = pytest.mark.django_db


def refreshed(obj):
    obj.refresh_from_db()
    return obj


def test_general_hazard_full_cycle_records_every_step(county, general_fields):
    officer = county.mine1_officer
    hazard = services.hazard_create(actor=officer, mine=county.mine1, **general_fields)
    assert hazard.status == HazardStatus.OPEN
    services.hazard_start_rectification(actor=officer, hazard=hazard)
    services.hazard_submit_for_acceptance(actor=officer, hazard=hazard, rectified_on=dt.date.today())
    services.hazard_accept(actor=county.ent1_officer, hazard=hazard, note="复查合格")
    hazard = refreshed(hazard)
    assert hazard.status == HazardStatus.CLOSED
    assert hazard.accepted_on == dt.date.today()
    assert hazard.accepted_by_name == county.ent1_officer.display_name
    assert [(e.action, e.to_status, e.actor) for e in hazard.events.all()] == [
        ("登记", "open", officer),
        ("开始整改", "rectifying", officer),
        ("申请验收", "awaiting_acceptance", officer),
        ("验收销号", "closed", county.ent1_officer),
    ]


def test_submit_for_acceptance_straight_from_open(county, general_fields):
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    services.hazard_submit_for_acceptance(actor=county.mine1_officer, hazard=hazard)
    assert refreshed(hazard).status == HazardStatus.AWAITING_ACCEPTANCE


def test_reject_needs_a_reason_and_sends_back_to_rectifying(county, general_fields):
    officer, reviewer = county.mine1_officer, county.ent1_officer
    hazard = services.hazard_create(actor=officer, mine=county.mine1, **general_fields)
    services.hazard_submit_for_acceptance(actor=officer, hazard=hazard)
    with pytest.raises(DomainError, match="必须填写理由"):
        services.hazard_reject(actor=reviewer, hazard=hazard, reason="  ")
    services.hazard_reject(actor=reviewer, hazard=hazard, reason="整改照片不清楚")
    hazard = refreshed(hazard)
    assert hazard.status == HazardStatus.RECTIFYING
    assert hazard.rectified_on is None
    assert hazard.events.last().note == "整改照片不清楚"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("mine1_officer", False),  # asked for the acceptance: does not check its own work (test_four_eyes.py)
        ("ent1_officer", True),
        ("inspector", False),
        ("leader", False),
        ("mine2_officer", False),
    ],
)
def test_who_may_accept_a_general_hazard(county, general_fields, who, allowed):
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    services.hazard_submit_for_acceptance(actor=county.mine1_officer, hazard=hazard)
    actor = getattr(county, who)
    if allowed:
        services.hazard_accept(actor=actor, hazard=hazard)
        assert refreshed(hazard).status == HazardStatus.CLOSED
    else:
        with pytest.raises(DomainError):
            services.hazard_accept(actor=actor, hazard=hazard)
        assert refreshed(hazard).status == HazardStatus.AWAITING_ACCEPTANCE


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("mine1_officer", False),
        ("ent1_officer", False),
        ("inspector", True),
        ("leader", False),
        ("other_inspector", False),
    ],
)
def test_only_the_bureau_accepts_a_major_hazard(county, major_fields, who, allowed):
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **major_fields)
    services.hazard_submit_for_acceptance(actor=county.mine1_officer, hazard=hazard)
    actor = getattr(county, who)
    if allowed:
        services.hazard_accept(actor=actor, hazard=hazard)
        assert refreshed(hazard).status == HazardStatus.CLOSED
    else:
        with pytest.raises(DomainError):
            services.hazard_accept(actor=actor, hazard=hazard)
        with pytest.raises(DomainError):
            services.hazard_reject(actor=actor, hazard=hazard, reason="x")
        assert refreshed(hazard).status == HazardStatus.AWAITING_ACCEPTANCE


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("mine1_officer", True), ("ent1_officer", True), ("inspector", True), ("leader", False), ("mine2_officer", False)],
)
def test_who_may_register_and_rectify(county, general_fields, who, allowed):
    actor = getattr(county, who)
    if not allowed:
        with pytest.raises(DomainError):
            services.hazard_create(actor=actor, mine=county.mine1, **general_fields)
        hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
        for transition in (services.hazard_start_rectification, services.hazard_submit_for_acceptance):
            with pytest.raises(DomainError):
                transition(actor=actor, hazard=hazard)
        assert refreshed(hazard).status == HazardStatus.OPEN
        return
    hazard = services.hazard_create(actor=actor, mine=county.mine1, **general_fields)
    services.hazard_start_rectification(actor=actor, hazard=hazard)
    services.hazard_submit_for_acceptance(actor=actor, hazard=hazard)
    assert refreshed(hazard).status == HazardStatus.AWAITING_ACCEPTANCE


@pytest.mark.parametrize(
    ("status", "transition"),
    [
        ("rectifying", "hazard_start_rectification"),
        ("awaiting_acceptance", "hazard_start_rectification"),
        ("awaiting_acceptance", "hazard_submit_for_acceptance"),
        ("closed", "hazard_submit_for_acceptance"),
        ("open", "hazard_accept"),
        ("rectifying", "hazard_accept"),
        ("closed", "hazard_accept"),
    ],
)
def test_transitions_refused_from_the_wrong_state(county, general_fields, status, transition):
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    Hazard.objects.filter(pk=hazard.pk).update(status=status)
    with pytest.raises(DomainError, match="隐患当前为"):
        getattr(services, transition)(actor=county.mine1_officer, hazard=hazard)
    assert refreshed(hazard).status == status


def test_closed_hazard_cannot_be_edited(county, general_fields):
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    Hazard.objects.filter(pk=hazard.pk).update(status="closed")
    with pytest.raises(DomainError, match="已销号"):
        services.hazard_update(actor=county.mine1_officer, hazard=hazard, location="别处")


def test_major_hazard_requires_category_and_five_implementations(county, major_fields):
    with pytest.raises(DomainError, match="具体情形"):  # the item names the category: neither given
        services.hazard_create(
            actor=county.inspector, mine=county.mine1, **{**major_fields, "major_category": None, "major_item": None}
        )
    with pytest.raises(DomainError, match="具体情形"):  # a category alone
        services.hazard_create(actor=county.inspector, mine=county.mine1, **{**major_fields, "major_item": None})
    with pytest.raises(DomainError, match="五落实.*应急预案"):
        services.hazard_create(actor=county.inspector, mine=county.mine1, **{**major_fields, "contingency_plan": ""})
    with pytest.raises(DomainError, match="整改资金"):
        services.hazard_create(actor=county.inspector, mine=county.mine1, **{**major_fields, "funds": None})
    assert not Hazard.objects.exists()
    assert refreshed(county.mine1).status == MineStatus.NORMAL


def test_major_hazard_suspends_the_mine_which_stays_suspended_after_closing_until_resumption(county, major_fields):
    officer, inspector = county.mine1_officer, county.inspector
    first = services.hazard_create(actor=inspector, mine=county.mine1, **major_fields)
    assert refreshed(county.mine1).status == MineStatus.SUSPENDED
    second = services.hazard_create(actor=inspector, mine=county.mine1, **{**major_fields, "location": "1106工作面"})
    assert refreshed(county.mine2).status == MineStatus.NORMAL  # other mines untouched
    for hazard in (first, second):
        services.hazard_submit_for_acceptance(actor=officer, hazard=hazard)
    services.hazard_accept(actor=inspector, hazard=first)
    assert refreshed(county.mine1).status == MineStatus.SUSPENDED  # one still open
    services.hazard_accept(actor=inspector, hazard=second)
    # the mine goes back to production only through 复产验收 (tests/enforcement/test_suspension.py)
    assert refreshed(county.mine1).status == MineStatus.SUSPENDED


def test_mine_cannot_downgrade_a_major_hazard_but_the_bureau_can(county, major_fields):
    # The mine's own major hazard (a bureau finding's level is the bureau's anyway: test_bureau_findings.py).
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **major_fields)
    with pytest.raises(DomainError, match="县局执法人员调整"):
        services.hazard_update(actor=county.mine1_officer, hazard=hazard, level="general")
    services.hazard_update(actor=county.inspector, hazard=hazard, level="general")
    hazard = refreshed(hazard)
    assert hazard.level == "general"
    assert hazard.major_category is None
    # the bureau corrected its assessment before any order: the suspension is withdrawn (enforcement.services)
    assert refreshed(county.mine1).status == MineStatus.NORMAL


def test_upgrading_to_major_suspends_the_mine(county, general_fields, ventilation_category):
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    services.hazard_update(
        actor=county.mine1_officer,
        hazard=hazard,
        level="major",
        major_category=ventilation_category,
        major_item=ventilation_category.items.get(no=8),  # re-graded: 重大 names its 情形 as a new one does
        funds=1000,
        contingency_plan="撤人",
    )
    assert refreshed(county.mine1).status == MineStatus.SUSPENDED


def test_overdue_is_past_due_date_and_not_closed(county, general_fields):
    hazard = services.hazard_create(
        actor=county.mine1_officer, mine=county.mine1, **{**general_fields, "due_on": dt.date(2030, 1, 10)}
    )
    shanghai_noon = dt.timezone(dt.timedelta(hours=8))
    with time_machine.travel(dt.datetime(2030, 1, 10, 12, tzinfo=shanghai_noon), tick=False):
        assert hazard.days_overdue() == 0
        assert not Hazard.objects.overdue().exists()
    with time_machine.travel(dt.datetime(2030, 1, 13, 12, tzinfo=shanghai_noon), tick=False):
        assert hazard.days_overdue() == 3
        assert list(Hazard.objects.overdue()) == [hazard]
        Hazard.objects.filter(pk=hazard.pk).update(status="closed")
        assert refreshed(hazard).days_overdue() == 0
        assert not Hazard.objects.overdue().exists()


def test_duplicate_registration_is_refused_with_a_message(county, general_fields):
    services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    with pytest.raises(DomainError, match="请勿重复登记"):
        services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    # The same line in another mine is another hazard.
    services.hazard_create(actor=county.mine2_officer, mine=county.mine2, **general_fields)


def test_listing_and_accountability_are_bureau_only_and_major_only(county, major_fields, general_fields):
    major = services.hazard_create(actor=county.inspector, mine=county.mine1, **major_fields)
    general = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    kwargs = {"listed_on": dt.date.today(), "supervising_unit": "县应急局", "notice_text": "挂牌督办"}
    with pytest.raises(DomainError, match="县局执法人员"):
        services.hazard_list_publicly(actor=county.mine1_officer, hazard=major, **kwargs)
    with pytest.raises(DomainError, match="只有重大"):
        services.hazard_list_publicly(actor=county.inspector, hazard=general, **kwargs)
    services.hazard_list_publicly(actor=county.inspector, hazard=major, **kwargs)
    with pytest.raises(DomainError, match="已挂牌"):
        services.hazard_list_publicly(actor=county.inspector, hazard=major, **kwargs)
    record = services.hazard_accountability_record(
        actor=county.inspector,
        hazard=major,
        enterprise_responsibility="矿长未履行职责",
        supervision_responsibility="监管专员检查不到位",
        outcome="约谈矿长，监管专员作检查",
    )
    assert record.recorded_by == county.inspector
    with pytest.raises(DomainError):
        services.hazard_accountability_record(
            actor=county.ent1_officer,
            hazard=major,
            enterprise_responsibility="x",
            supervision_responsibility="y",
            outcome="z",
        )
