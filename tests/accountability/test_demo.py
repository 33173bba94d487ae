"""The demo county holds one 约谈 of ent1 with its follow-up and one 通报批评 (of mine2): each where its users look."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accountability.models import AccountabilityAction
from accounts.models import User
from notifications.models import Notification
from sweeps.registry import run_all_sweeps

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_a_summons_of_ent1_and_a_criticism_shown_to_mine2(client):
    with time_machine.travel(dt.datetime(2026, 11, 28, 4, tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", "--password", "demo-pass-1")
        call_command("seed_demo", "--password", "demo-pass-1")
        talk = AccountabilityAction.objects.get(kind="summons")
        note = AccountabilityAction.objects.get(kind="notice_criticism")
        assert talk.targets.get().organization.kind == "enterprise"
        assert talk.follow_up_on == dt.date(2026, 12, 3) and talk.minutes and talk.number.startswith("阳应急约谈〔")
        assert note.status == "issued" and note.targets.get().organization.short_name == "西岭煤矿"
        client.force_login(User.objects.get(username="mine2"))
        assert note.title in client.get("/").content.decode()
        client.force_login(User.objects.get(username="mine1"))
        assert note.title not in client.get("/").content.decode()
        client.force_login(User.objects.get(username="inspector"))
        assert client.get(reverse("accountability_candidates")).status_code == 200
        run_all_sweeps(today=dt.date(2026, 11, 28))
        reminded = Notification.objects.filter(topic="summons_follow_up_reminder")
        assert set(reminded.values_list("recipient__username", flat=True)) == {"ent1"}
