import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from accidents.models import Accident, Investigation

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_a_minor_injury_at_mine1_and_its_investigation():
    with time_machine.travel(dt.datetime(2026, 11, 28, 8, tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", "--password", "demo-pass-1")
        call_command("seed_demo", "--password", "demo-pass-1")  # idempotent
        (accident,) = Accident.objects.all()
        assert accident.mine.name and accident.mine.users.filter(username="mine1").exists()
        assert (accident.minor_injuries, accident.deaths, accident.late) == (1, 0, False)
        assert accident.campaign.code == "yc-demo"
        investigation = Investigation.objects.get(accident=accident)
        assert investigation.is_open and investigation.lead_level == "city"
        assert investigation.lead_organization == "晋城市应急管理局"
