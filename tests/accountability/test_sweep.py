"""The 约谈 follow-up sweep, day by day around one date (the whole calendar walk is tests/notifications)."""

import datetime as dt

import pytest
from django.conf import settings

from accountability import services
from accountability.sweeps import sweep_summons_follow_ups
from accountability.tasks import sweep_summons_follow_ups as task
from notifications.models import Notification

from .helpers import TODAY, summons

pytestmark = pytest.mark.django_db


def sent(day):
    before = set(Notification.objects.values_list("pk", flat=True))
    assert sweep_summons_follow_ups(today=day) >= 0
    assert sweep_summons_follow_ups(today=day) == 0, "a second run on the same day sent again"
    new = Notification.objects.exclude(pk__in=before)
    return sorted(new.values_list("recipient__username", "topic"))


def test_reminders_overdue_and_escalation_until_recorded(county):
    follow_up_on = TODAY + dt.timedelta(days=10)
    talk = summons(county.inspector, [county.mine1, county.ent1], follow_up_on=follow_up_on)
    day = lambda n: follow_up_on + dt.timedelta(days=n)  # noqa: E731
    assert sent(day(-8)) == []
    reminder = [("ent1", "summons_follow_up_reminder"), ("mine1", "summons_follow_up_reminder")]
    assert sent(day(-7)) == reminder
    assert sent(day(-5)) == []
    assert sent(day(-3)) == reminder
    assert sent(day(-1)) == reminder
    assert sent(day(0)) == []
    overdue = [
        ("ent1", "summons_follow_up_overdue"),
        ("inspector", "summons_follow_up_escalation"),
        ("mine1", "summons_follow_up_overdue"),
    ]
    assert sent(day(1)) == overdue
    assert sent(day(2)) == []
    assert sent(day(8)) == overdue
    services.summons_follow_up(actor=county.inspector, action=talk, done_on=TODAY, result="已落实")
    assert sent(day(15)) == []


def test_drafts_and_old_ones_are_not_chased(county):
    summons(county.inspector, [county.mine1], issue=False)
    talk = summons(county.inspector, [county.mine2])
    assert sent(talk.follow_up_on + dt.timedelta(days=61)) == []
    assert sent(talk.follow_up_on + dt.timedelta(days=57))  # still within the catch-up window


def test_beat_runs_it():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-summons-follow-ups"]
    assert entry["task"] == task.name
