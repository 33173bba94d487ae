"""四无 from records: the register decides 无亡人/无工伤 (whatever the report says), a mine without a monthly report
already due is 未报 (`unreported`), never met; the report is pre-filled from the register and a difference is shown
to the reviewer."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from accidents import services as accidents
from dashboards.charts import four_no
from reporting import services as reporting
from tests.factories import running_campaign

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2024, 12, 10, 4, tzinfo=dt.UTC)  # after the November report was due (11-30)
NARRATIVE = {"done": "开展自查", "problems": "无", "next_steps": "继续"}


@pytest.fixture
def campaign(county):
    return running_campaign(bureau=county.bureau)


def send_november(officer, campaign, manual=None):
    deadline = campaign.deadlines.get(code="monthly_2024_11")
    with time_machine.travel(dt.datetime(2024, 11, 29, 4, tzinfo=dt.UTC), tick=False):
        s = reporting.submission_open(actor=officer, deadline=deadline)
        reporting.submission_save(
            actor=officer, submission=s, narrative=NARRATIVE, manual=manual or {"deaths": 0, "injuries": 0}
        )
        return reporting.submission_submit(actor=officer, submission=s)


def injure(actor, mine, *, day=dt.date(2024, 11, 20), **fields):
    at = dt.datetime.combine(day, dt.time(10, 0), tzinfo=SHANGHAI)
    values = {
        "occurred_at": at,
        "place": "1301工作面",
        "kind": "roof",
        "minor_injuries": 1,
        "description": "片帮伤人",
        "reporter_name": "李明",
        "reported_at": at + dt.timedelta(minutes=20),
    }
    values.update(fields)
    return accidents.accident_create(actor=actor, mine=mine, **values)


def statuses(user, campaign):
    with time_machine.travel(NOW, tick=False):
        return {row["mine"]: row for row in four_no(user, campaign, NOW.date())}


def test_a_mine_without_its_monthly_report_is_unreported_not_met(county, campaign):
    send_november(county.mine1_officer, campaign)
    rows = statuses(county.inspector, campaign)
    assert rows["东峰煤矿"]["status"] == "met" and rows["东峰煤矿"]["met"] is True
    assert rows["西岭煤矿"]["status"] == "unreported" and rows["西岭煤矿"]["met"] is False
    assert "未报" in rows["西岭煤矿"]["reasons"]


def test_before_any_monthly_report_is_due_the_records_decide(county, campaign):
    with time_machine.travel(dt.datetime(2024, 11, 20, 4, tzinfo=dt.UTC), tick=False):
        rows = {r["mine"]: r for r in four_no(county.inspector, campaign, dt.date(2024, 11, 20))}
    assert rows["西岭煤矿"]["status"] == "met"


def test_an_injury_in_the_register_makes_the_mine_not_met_whatever_its_report_says(county, campaign):
    with time_machine.travel(dt.datetime(2024, 11, 25, 4, tzinfo=dt.UTC), tick=False):
        injure(county.mine1_officer, county.mine1)
        injure(county.inspector, county.mine2, place="主斜井")  # no report from mine2 either
    send_november(county.mine1_officer, campaign, manual={"deaths": 0, "injuries": 0})  # typed 0
    rows = statuses(county.inspector, campaign)
    assert rows["东峰煤矿"]["status"] == "not_met" and "工伤1人" in rows["东峰煤矿"]["reasons"]
    assert rows["西岭煤矿"]["status"] == "not_met"
    assert rows["北坡煤矿"]["status"] == "unreported"


def test_a_death_reads_as_such(county, campaign):
    with time_machine.travel(dt.datetime(2024, 11, 25, 4, tzinfo=dt.UTC), tick=False):
        injure(county.mine1_officer, county.mine1, deaths=1, minor_injuries=0)
    rows = statuses(county.mine1_officer, campaign)
    assert list(rows) == ["东峰煤矿"] and "亡人事故1人" in rows["东峰煤矿"]["reasons"]


def test_the_dashboard_api_says_the_status(api_client, county, campaign):
    send_november(county.mine1_officer, campaign)
    api_client.force_authenticate(county.inspector)
    with time_machine.travel(NOW, tick=False):
        data = api_client.get("/api/v1/dashboard/charts/").json()
    by_mine = {r["mine"]: r["status"] for r in data["four_no"]}
    assert by_mine == {"东峰煤矿": "met", "西岭煤矿": "unreported", "北坡煤矿": "unreported"}


def test_four_no_queries_do_not_grow_with_mines_and_accidents(county, campaign, django_assert_num_queries):
    from tests.factories import MineFactory

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            statuses(county.inspector, campaign)
        return len(ctx)

    few = count()
    with time_machine.travel(dt.datetime(2024, 11, 25, 4, tzinfo=dt.UTC), tick=False):
        for i in range(5):
            mine = MineFactory(parent=county.ent1)
            injure(county.inspector, mine, place=f"{i}号工作面")
    send_november(county.mine1_officer, campaign)
    assert count() == few


def test_the_report_is_prefilled_from_the_register_and_a_difference_flagged(client, county, campaign):
    with time_machine.travel(dt.datetime(2024, 11, 25, 4, tzinfo=dt.UTC), tick=False):
        injure(county.mine1_officer, county.mine1, serious_injuries=1, minor_injuries=1)
        deadline = campaign.deadlines.get(code="monthly_2024_11")
        submission = reporting.submission_open(actor=county.mine1_officer, deadline=deadline)
        client.force_login(county.mine1_officer)
        html = client.get(f"/submissions/{submission.pk}/edit/").content.decode()
    assert 'name="m_injuries" value="2"' in html and 'name="m_deaths" value="0"' in html
    send_november(county.mine1_officer, campaign, manual={"deaths": 0, "injuries": 0})
    client.force_login(county.inspector)
    with time_machine.travel(NOW, tick=False):
        html = client.get(f"/submissions/{submission.pk}/").content.decode()
    assert 'data-testid="register-differences"' in html and "工伤人数填报 0，事故台账 2" in html
    # the same numbers as the register: no flag
    reporting.submission_return(actor=county.inspector, submission=submission, reason="请核对事故数字")
    with time_machine.travel(dt.datetime(2024, 12, 1, 4, tzinfo=dt.UTC), tick=False):
        reporting.submission_save(
            actor=county.mine1_officer, submission=submission, narrative=NARRATIVE, manual={"deaths": 0, "injuries": 2}
        )
        reporting.submission_submit(actor=county.mine1_officer, submission=submission)
    with time_machine.travel(NOW, tick=False):
        html = client.get(f"/submissions/{submission.pk}/").content.decode()
    assert 'data-testid="register-differences"' not in html
