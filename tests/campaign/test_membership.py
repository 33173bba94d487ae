"""campaign.membership, the one reading of who takes part in a campaign and which records belong to it (issue 21 item
4), with two overlapping campaigns and a third that overlaps neither:

- A, the 百日行动 over every unit of the county, 2024-10-28 → 2025-01-28;
- B, over 东峰煤矿 alone (its enterprise 晋阳煤业 comes in with it), 2024-12-01 → 2024-12-31, inside A;
- C, over the enterprise 华泰能源 (its mine 北坡煤矿 comes in with it), 2025-03-01 → 2025-03-31, after A.
"""

import datetime as dt

import pytest

from accounts.models import Organization
from campaign import authoring, membership
from campaign.models import Campaign
from hazards.models import Hazard
from tests.factories import HazardFactory, running_campaign

pytestmark = pytest.mark.django_db

A_START = dt.date(2024, 10, 28)
B_START, B_END = dt.date(2024, 12, 1), dt.date(2024, 12, 31)
C_START, C_END = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
BOTH = dt.date(2024, 12, 10)  # A and B run
A_ONLY = dt.date(2024, 11, 10)  # before B
C_DAY = dt.date(2025, 3, 10)
NONE = dt.date(2025, 2, 20)  # between A's end and C's start


def short(county, *, code, starts_on, ends_on, participants):
    """A published campaign of the county over `participants` only, authored through the services."""
    campaign = running_campaign(bureau=county.bureau, starts_on=starts_on, code=code)
    return authoring.campaign_update(
        actor=county.inspector, campaign=campaign, ends_on=ends_on, covers_all_units=False, participants=participants
    )


@pytest.fixture
def three(county):
    a = running_campaign(bureau=county.bureau, starts_on=A_START, code="a-100d")
    b = short(county, code="b-winter", starts_on=B_START, ends_on=B_END, participants=[county.mine1])
    c = short(county, code="c-spring", starts_on=C_START, ends_on=C_END, participants=[county.ent2])
    assert (a.ends_on, b.covers_all_units, c.covers_all_units) == (dt.date(2025, 1, 28), False, False)
    return a, b, c


def test_takes_part(county, three):
    a, b, c = three
    units = (county.ent1, county.ent2, county.mine1, county.mine2, county.mine3)
    assert all(membership.takes_part(a, u) for u in units)
    assert [membership.takes_part(b, u) for u in units] == [True, False, True, False, False]
    assert [membership.takes_part(c, u) for u in units] == [False, True, False, False, True]
    for campaign in three:
        assert membership.takes_part(campaign, county.bureau)  # the bureau runs it
        assert not membership.takes_part(campaign, county.other_mine)
        assert not membership.takes_part(campaign, county.other_bureau)
        assert not membership.takes_part(campaign, None)


def test_units_q_and_units_of(county, three):
    a, b, c = three
    assert set(membership.units_of(a)) == {county.ent1, county.ent2, county.mine1, county.mine2, county.mine3}
    assert set(membership.units_of(b)) == {county.ent1, county.mine1}
    assert set(membership.units_of(c)) == {county.ent2, county.mine3}
    assert set(membership.units_of(c, kinds=("mine",))) == {county.mine3}
    # units_q keeps the bureau too, and nothing of another county
    assert set(Organization.objects.filter(membership.units_q(b))) == {county.bureau, county.ent1, county.mine1}
    # through a path: the hazards of a mine taking part
    h1, h2 = HazardFactory(mine=county.mine1), HazardFactory(mine=county.mine2)
    assert list(Hazard.objects.filter(membership.units_q(b, "mine"))) == [h1]
    assert set(Hazard.objects.filter(membership.units_q(a, "mine"))) == {h1, h2}


def test_records_in(county, three):
    a, b, c = three
    both = HazardFactory(mine=county.mine1, found_on=BOTH)
    other_mine = HazardFactory(mine=county.mine2, found_on=BOTH)
    early = HazardFactory(mine=county.mine1, found_on=A_ONLY)
    spring = HazardFactory(mine=county.mine3, found_on=C_DAY)
    between = HazardFactory(mine=county.mine3, found_on=NONE)
    HazardFactory(mine=county.other_mine, found_on=BOTH)
    ledger = Hazard.objects.all()

    def ids(campaign):
        return set(membership.records_in(campaign, ledger, date_field="found_on"))

    assert ids(a) == {both, other_mine, early}
    assert ids(b) == {both}
    assert ids(c) == {spring}
    assert between not in ids(a) | ids(b) | ids(c)
    assert not membership.records_in(None, ledger, date_field="found_on").exists()


def test_campaigns_of_and_the_oldest_running_campaign_governs(county, three, django_assert_num_queries):
    a, b, c = three
    assert membership.campaigns_of(unit=county.mine1, day=BOTH) == [a, b]
    assert membership.campaigns_of(unit=county.ent1, day=BOTH) == [a, b]
    assert membership.campaigns_of(unit=county.mine2, day=BOTH) == [a]
    assert membership.campaigns_of(unit=county.mine1, day=A_ONLY) == [a]
    assert membership.campaigns_of(unit=county.mine3, day=C_DAY) == [c]
    assert membership.campaigns_of(unit=county.mine1, day=C_DAY) == []
    assert membership.campaigns_of(unit=county.mine1, day=NONE) == []
    assert membership.campaigns_of(unit=county.bureau, day=BOTH) == [a, b]
    assert membership.campaigns_of(unit=county.other_mine, day=BOTH) == []
    # B runs on top of A: a record of mine1 belongs to both, and A's figures judge it
    assert membership.campaign_of_record(unit=county.mine1, day=BOTH) == a
    assert membership.campaign_of_record(unit=county.mine3, day=C_DAY) == c
    assert membership.campaign_of_record(unit=county.mine1, day=NONE) is None
    assert membership.campaigns_touched(unit=county.mine1, days=(A_ONLY, BOTH, None)) == [a, b]
    assert membership.bureau_campaign_on(bureau_id=county.bureau.pk, day=BOTH) == a
    # many look-ups, one read of the campaigns
    campaigns = membership.running_campaigns(bureau_id=county.bureau.pk)
    with django_assert_num_queries(0):
        for unit in (county.mine1, county.mine2, county.mine3, county.ent1, county.ent2):
            for day in (A_ONLY, BOTH, C_DAY, NONE):
                membership.campaigns_of(unit=unit, day=day, campaigns=campaigns)


def test_a_draft_runs_nowhere_and_an_older_draft_does_not_govern(county, three):
    a, b, c = three
    draft = authoring.campaign_create(
        actor=county.inspector, name="草稿", starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2025, 6, 30)
    )
    assert draft.is_draft and draft.covers_all_units
    assert membership.campaigns_of(unit=county.mine1, day=BOTH) == [a, b]
    assert membership.campaign_of_record(unit=county.mine1, day=BOTH) == a


def test_each_unit_sees_the_campaigns_it_takes_part_in(county, three):
    a, b, c = three

    def seen(user):
        return set(Campaign.objects.visible_to(user).filter(is_template=False))

    assert seen(county.mine1_officer) == {a, b}
    assert seen(county.ent1_officer) == {a, b}
    assert seen(county.mine2_officer) == {a}
    assert seen(county.mine3_officer) == {a, c}
    assert seen(county.inspector) == seen(county.leader) == {a, b, c}
    assert seen(county.other_inspector) == set()
