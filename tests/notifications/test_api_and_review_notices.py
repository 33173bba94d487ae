"""`/api/v1/notifications/` lists the user's own notices (DESIGN §4), and a unit hears of its report's review:
returned with the reason, or approved — once per version (issue 18, item 3, first part)."""

import datetime as dt
import zoneinfo

import pytest

from notifications.models import Notification
from notifications.services import Notice, notify_many
from reporting import services
from tests.factories import running_campaign

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PLAN = {f"measures_{n}": "措施" for n in range(1, 5)} | {"goals": "四无", "organization": "矿长任组长"}


@pytest.fixture
def submitted(county):
    campaign = running_campaign(bureau=county.bureau)
    deadline = campaign.deadlines.get(code="work_plan")
    submission = services.submission_open(actor=county.mine1_officer, deadline=deadline)
    services.submission_save(actor=county.mine1_officer, submission=submission, narrative=PLAN)
    return services.submission_submit(
        actor=county.mine1_officer, submission=submission, now=dt.datetime(2024, 10, 30, 9, tzinfo=SHANGHAI)
    )


def test_a_returned_report_notifies_its_unit_with_the_reason_once(county, submitted):
    services.submission_return(actor=county.inspector, submission=submitted, reason="请补充分工和时间安排")
    (notice,) = Notification.objects.filter(recipient=county.mine1_officer)
    assert "退回" in notice.title and "第1版" in notice.title
    assert notice.body == "退回理由：请补充分工和时间安排"
    assert notice.url == f"/submissions/{submitted.pk}/edit/" and notice.level == "warning"
    assert not Notification.objects.exclude(recipient=county.mine1_officer).exists()  # not mine2, not the bureau
    # Corrected, sent again and approved: one more notice, for version 2.
    services.submission_save(actor=county.mine1_officer, submission=submitted, narrative=PLAN)
    again = services.submission_submit(actor=county.mine1_officer, submission=submitted)
    services.submission_approve(actor=county.inspector, submission=again, note="同意")
    titles = list(Notification.objects.filter(recipient=county.mine1_officer).values_list("title", flat=True))
    assert len(titles) == 2 and any("第2版" in t and "通过" in t for t in titles)


def test_the_api_lists_only_the_users_own_notices_newest_first(api_client, county, submitted):
    services.submission_return(actor=county.inspector, submission=submitted, reason="请补充")
    notify_many([Notice(county.mine2_officer.pk, "t", "other-unit", "西岭煤矿的通知")])
    api_client.force_authenticate(county.mine1_officer)
    notify_many([Notice(county.mine1_officer.pk, "t", "later", "后来的通知")])
    body = api_client.get("/api/v1/notifications/").json()
    assert body["count"] == 2
    newest, item = body["results"]
    assert newest["title"] == "后来的通知"
    assert (item["kind"], item["read"]) == ("submission_reviewed", False) and "退回" in item["title"]
    # Someone else's notice is the same 404 as one that does not exist, by GET and by POST.
    others = Notification.objects.get(key="other-unit")
    assert api_client.get(f"/api/v1/notifications/{others.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/notifications/{others.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=others.pk).read_at is None
    read = api_client.post(f"/api/v1/notifications/{item['id']}/read/")
    assert read.status_code == 200 and read.json()["read"] is True
