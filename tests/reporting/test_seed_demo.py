import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Organization, User
from campaign.models import Campaign
from reporting.models import Submission

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(User.objects.values_list("username", "password", "organization__name", "role")),
        Organization.objects.count(),
        Campaign.objects.count(),
        sorted(Submission.objects.values_list("organization__name", "deadline__code", "status")),
    )


def test_seed_demo_builds_the_county_of_the_design_and_is_idempotent():
    with time_machine.travel(dt.datetime(2026, 11, 28, 8, tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", "--password", "demo-pass-1")
        first = snapshot()
        call_command("seed_demo", "--password", "demo-pass-1")
        assert snapshot() == first

        users = {u.username: u for u in User.objects.all()}
        assert {"inspector", "leader", "ent1", "mine1", "mine2", "mine3"} <= set(users)
        assert users["mine1"].organization.parent == users["ent1"].organization
        assert users["mine2"].organization.parent == users["ent1"].organization
        assert users["mine3"].organization.parent != users["ent1"].organization
        assert all(u.check_password("demo-pass-1") for u in users.values())

        campaign = Campaign.objects.get(code="yc-demo")
        assert campaign.current_phase.code == "enforcement"
        draft = Submission.objects.get(organization=users["mine1"].organization, status="draft")
        assert draft.deadline.campaign == campaign
        assert draft.deadline.owed_by_mines


@pytest.mark.parametrize("moment", [dt.datetime(2027, 6, 1, tzinfo=dt.UTC), dt.datetime(2026, 2, 1, tzinfo=dt.UTC)])
def test_seed_demo_puts_today_in_enforcement_phase_on_any_date(moment):
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo", "--password", "demo-pass-1")
        assert Campaign.objects.get(code="yc-demo").current_phase.code == "enforcement"
