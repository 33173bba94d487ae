"""修改记录 as people read it (core.history, shared by every ledger): field names, choice labels, 是/否, dates and times
in the county's time zone; never a raw Python value or an English key."""

import datetime as dt
import zoneinfo

import pytest

from core.history import history_rows
from hazards import services as hazard_services
from hazards.models import Hazard
from tests.factories import ViolationFactory
from violations import services as violation_services

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def changes(obj):
    return [f"{c['field']}：{c['text']}" for row in history_rows(obj) for c in row["changes"]]


def test_booleans_read_as_yes_and_no(county):
    violation = ViolationFactory(mine=county.mine1)
    violation_services.violation_mark_typical(actor=county.inspector, violation=violation, reason="典型违章作业")
    assert "典型案例：否 → 是" in changes(violation)


def test_dates_read_as_dates_and_choices_as_labels(county, general_fields):
    hazard = hazard_services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    hazard_services.hazard_update(
        actor=county.mine1_officer,
        hazard=hazard,
        due_on=dt.date(2030, 1, 5),
        specialty="roof",
    )
    found = changes(Hazard.objects.get(pk=hazard.pk))
    assert f"整改期限：{general_fields['due_on']:%Y-%m-%d} → 2030-01-05" in found, found
    assert "专业：通风 → 顶板" in found, found
    assert not any("roof" in line or "ventilation" in line for line in found)


def test_an_aware_time_reads_in_the_county_time_zone():
    from core.history import display_value
    from reporting.models import Submission

    field = Submission._meta.get_field("submitted_at")
    assert display_value(field, dt.datetime(2024, 11, 2, 16, 30, tzinfo=dt.UTC)) == "2024-11-03 00:30"
    assert display_value(field, None) == "（空）"
    assert display_value(Submission._meta.get_field("late"), True) == "是"


def test_the_profile_shows_the_signed_in_users_own_history(client, county):
    """The signed-in user reaches the page wrapped in a lazy object: the trail reads its model through it."""
    client.force_login(county.mine1_officer)
    client.post("/notifications/preferences/", {})  # e-mail notices turned off (an unticked box)
    html = client.get("/accounts/profile/").content.decode()
    assert "接收邮件通知：是 → 否" in html
