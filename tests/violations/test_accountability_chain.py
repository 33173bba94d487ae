"""四(四)3 on the 三违 ledger: a 三违 without its 科队长 accountability and 分管负责人 检查 after the campaign's
accountability days is flagged (问责超期) — on the list, the detail, the filter, the API, the home page — and swept
once; not before its day, and not once the accountability is recorded."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.figures import ACCOUNTABILITY_DAYS, figure_of
from notifications.models import Notification
from tests.factories import ViolationFactory, running_campaign
from violations import services
from violations.models import Violation
from violations.models.violation import accountability_overdue_q
from violations.sweeps import sweep_accountability

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
ANSWER = {
    "unit_leader_name": "掘进一队队长 赵刚",
    "unit_leader_action": "扣罚绩效 500 元",
    "deputy_name": "生产副矿长 钱进",
    "deputy_review": "向矿长办公会作书面检查",
}


def _recorded(county, days_ago, **extra):
    """A 三违 recorded through the service, `days_ago` days back."""
    return services.violation_create(
        actor=county.mine1_officer,
        mine=county.mine1,
        occurred_on=TODAY - dt.timedelta(days=days_ago),
        location="1203掘进工作面",
        person_name=extra.pop("person_name", f"职工{days_ago}"),
        type="operation",
        description=extra.pop("description", f"未执行敲帮问顶（{days_ago}天前）"),
        **extra,
    )


def test_the_flag_appears_after_the_days_and_not_before(county):
    days = figure_of(None, ACCOUNTABILITY_DAYS)
    assert days == 7  # the default when no campaign says otherwise
    on_the_day = _recorded(county, days)  # its last day is today: not yet overdue
    day_after = _recorded(county, days + 1)
    assert on_the_day.accountability_due_on == TODAY and not on_the_day.accountability_overdue()
    assert day_after.accountability_overdue()
    flagged = set(Violation.objects.accountability_overdue().values_list("pk", flat=True))
    assert flagged == {day_after.pk}
    # One definition: the queryset, the instance and a Q read from elsewhere agree.
    assert set(Violation.objects.filter(accountability_overdue_q()).values_list("pk", flat=True)) == flagged
    # Tomorrow, the one due today is flagged too.
    tomorrow = TODAY + dt.timedelta(days=1)
    assert on_the_day.accountability_overdue(tomorrow)
    assert Violation.objects.accountability_overdue(tomorrow).count() == 2


def test_recording_the_accountability_clears_the_flag_even_late(county):
    late = _recorded(county, 30, severity="serious")
    assert late.accountability_overdue()
    services.violation_accountability_record(actor=county.ent1_officer, violation=late, **ANSWER)
    late.refresh_from_db()
    assert late.accountability_recorded_on == TODAY and not late.accountability_overdue()
    assert not Violation.objects.accountability_overdue().exists()


def test_the_days_are_the_campaigns(county):
    campaign = running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40))
    item = campaign.requirements.get(level="item", evidence="violation_backtracks")
    item.parameters = {**item.parameters, "accountability_days": 3}
    item.save()
    violation = _recorded(county, 4)
    assert violation.campaign == campaign and violation.accountability_days == 3
    assert violation.accountability_overdue()
    # Recorded when the campaign said 3 days: a later change of the figure leaves it as it was asked.
    item.parameters = {**item.parameters, "accountability_days": 20}
    item.save()
    violation.refresh_from_db()
    assert violation.accountability_overdue()


def test_list_detail_filter_api_and_home_show_the_flag(client, api_client, county):
    running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40))  # the home shows its figures
    flagged = _recorded(county, 10, person_name="问责超期甲")
    answered = _recorded(county, 12, person_name="已问责乙")
    services.violation_accountability_record(actor=county.mine1_officer, violation=answered, **ANSWER)
    fresh = _recorded(county, 1, person_name="未到期丙")
    client.force_login(county.ent1_officer)
    page = client.get(reverse("violation_list")).content.decode()
    assert "超期未问责" in page and "已问责" in page and "待问责" in page
    only = client.get(reverse("violation_list"), {"accountability_overdue": "true"}).content.decode()
    assert "问责超期甲" in only and "已问责乙" not in only and "未到期丙" not in only
    others = client.get(reverse("violation_list"), {"accountability_overdue": "false"}).content.decode()
    assert "问责超期甲" not in others and "已问责乙" in others and "未到期丙" in others
    detail = client.get(reverse("violation_detail", args=[flagged.pk])).content.decode()
    assert 'data-testid="accountability-overdue"' in detail
    assert (
        'data-testid="accountability-overdue"'
        not in client.get(reverse("violation_detail", args=[fresh.pk])).content.decode()
    )
    home = client.get(reverse("home")).content.decode()
    assert "?accountability_overdue=true" in home and "问责超期" in home
    api_client.force_authenticate(county.ent1_officer)
    rows = api_client.get("/api/v1/violations/", {"accountability_overdue": "true"}).json()["results"]
    assert [r["id"] for r in rows] == [flagged.pk] and rows[0]["accountability_overdue"] is True
    row = api_client.get(f"/api/v1/violations/{answered.pk}/").json()
    assert row["accountability_overdue"] is False and row["accountability_recorded_on"] == TODAY.isoformat()


def test_the_sweep_tells_the_mine_and_its_enterprise_once(county):
    flagged = _recorded(county, 9)
    _recorded(county, 2)
    assert sweep_accountability(today=TODAY) == 2  # mine1's officer and ent1's
    assert sweep_accountability(today=TODAY) == 0
    recipients = set(
        Notification.objects.filter(key=f"violation:accountability:{flagged.pk}").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"mine1", "ent1"}


def test_the_list_keeps_its_queries_at_two_sizes(client, county):
    for n in range(2):
        _recorded(county, 10 + n)
    client.force_login(county.ent1_officer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("violation_list"), {"accountability_overdue": "true"}).status_code == 200
    for n in range(15):
        v = ViolationFactory(mine=county.mine2, occurred_on=TODAY - dt.timedelta(days=20 + n))
        if n % 2:
            services.violation_accountability_record(actor=county.ent1_officer, violation=v, **ANSWER)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("violation_list"), {"accountability_overdue": "true"}).content.decode()
    assert html.count("超期未问责") >= 9
    assert len(many) == len(few)
