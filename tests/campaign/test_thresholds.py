"""A campaign's thresholds page: the notice's figures as the campaign holds them (the 2024 notice's by default),
bounded, in Chinese; a change applies to what is recorded after it (a rule's outcome changes: an exam of 85 passes
at 80 and fails at 90; reminder days: tests/notifications/test_calendar_walk.py)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from campaign.figures import PASS_MARK, REMINDER_DAYS, figure_of, reminder_days
from campaign.models import Campaign, Requirement
from campaign.thresholds import campaign_thresholds_update, thresholds_of
from core.errors import DomainError, NotPermitted
from hazards import services as hazard_services
from tests.factories import running_campaign

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 11, 20)


@pytest.fixture
def campaign(county):
    return running_campaign(bureau=county.bureau)


def exam(county, score):
    inspection = hazard_services.inspection_create(
        actor=county.inspector, mine=county.mine1, inspected_on=DAY, mode="open"
    )
    return hazard_services.exam_record(
        actor=county.inspector, inspection=inspection, person_name="孙海", post="电工", score=Decimal(score)
    )


def test_the_defaults_are_the_2024_notices(campaign):
    values = thresholds_of(campaign).values
    assert values == {
        "face_hours": 8,
        "underground_hours": 10,
        "handover_lead_hours": 2,
        "bulletin_cases": 2,
        "pass_mark": 80,
        "retraining_days": 30,
        "backtrack_days": 7,
        "accountability_days": 7,  # 四(四)3: the 三违's 科队长问责 and 分管负责人检查
        "leader_review_days": 15,  # 四(四)3: the main leader's 检查 of a 上级检查 major hazard
        "reminder_days": (7, 3, 1),
    }


def test_raising_the_pass_mark_fails_an_85_recorded_after_it(client, county, campaign):
    before = exam(county, 85)
    assert before.passed
    client.force_login(county.inspector)
    url = reverse("campaign_thresholds", args=[campaign.pk])
    form = {**thresholds_of(campaign).values, "reminder_days": "7,3,1", "pass_mark": "90"}
    assert client.post(url, form).status_code == 302
    assert figure_of(Campaign.objects.get(pk=campaign.pk), PASS_MARK) == 90
    after = exam(county, 85)
    assert not after.passed and after.retraining_due_on == DAY + dt.timedelta(days=30)
    before.refresh_from_db()
    assert before.passed  # recorded before the change: as it was judged then
    page = client.get(url).content.decode()
    assert 'value="90"' in page and "只对修改之后登记的记录生效" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pass_mark", "101", "逢查必考合格分数不能大于 100分"),
        ("pass_mark", "85.5", "逢查必考合格分数最多保留两位小数"),
        ("face_hours", "0", "工作面有效作业时间上限不能小于 1小时"),
        ("retraining_days", "abc", "不合格人员脱产培训期限应为数字"),
        ("reminder_days", "7,0", "每个天数应在 1 到 30 天之间"),
        ("reminder_days", "一周", "应为用逗号分隔的整数天数"),
        ("reminder_days", "9,8,7,6,5,4", "最多填写 5 个"),
    ],
)
def test_bad_thresholds_are_refused_in_chinese_and_nothing_saved(client, county, campaign, field, value, message):
    client.force_login(county.inspector)
    url = reverse("campaign_thresholds", args=[campaign.pk])
    form = {**thresholds_of(campaign).values, "reminder_days": "7,3,1", field: value}
    response = client.post(url, form)
    assert response.status_code == 200 and message in response.content.decode()
    assert thresholds_of(Campaign.objects.get(pk=campaign.pk)).values["pass_mark"] == 80
    assert reminder_days(Campaign.objects.get(pk=campaign.pk)) == (7, 3, 1)


def test_the_service_sets_items_and_campaign_and_checks_who(county, campaign):
    campaign_thresholds_update(
        actor=county.inspector, campaign=campaign, face_hours=Decimal("7.5"), reminder_days="5、2"
    )
    face = Requirement.objects.get(campaign=campaign, level="item", evidence="face_time")
    assert face.target_max == Decimal("7.5") and face.target_display == "不超过7.5小时"
    assert Campaign.objects.get(pk=campaign.pk).thresholds == {"reminder_days": [5, 2]}
    with pytest.raises(DomainError, match="100"):
        campaign_thresholds_update(actor=county.inspector, campaign=campaign, pass_mark=120)
    for actor in (county.leader, county.mine1_officer, county.other_inspector):
        with pytest.raises(NotPermitted):
            campaign_thresholds_update(actor=actor, campaign=campaign, pass_mark=90)
    assert REMINDER_DAYS.default == (7, 3, 1)


def test_who_sees_and_who_edits_the_page(client, county, campaign):
    url = reverse("campaign_thresholds", args=[campaign.pk])
    client.force_login(county.leader)
    page = client.get(url)
    assert page.status_code == 200 and "只有本局执法人员可以修改" in page.content.decode()
    assert client.post(url, {"pass_mark": "90"}).status_code == 403
    client.force_login(county.mine1_officer)
    assert client.get(url).status_code == 403
    client.force_login(county.other_inspector)
    assert client.get(url).status_code == 404


def test_the_reminder_window_of_the_matrix_and_the_urge_follows_the_campaign(county, campaign):
    """即将到期 and 催报 start at the campaign's first reminder day: 7 by default, 10 once the bureau sets 10,5,1."""
    from reporting.selectors import cell_state, urgeable
    from reporting.services import submission_urge

    deadline = campaign.deadlines.get(code="work_plan")
    nine_days_before = deadline.due_on - dt.timedelta(days=9)
    assert not urgeable(deadline, nine_days_before)
    assert cell_state(deadline, county.mine1, None, nine_days_before) == "not_due"
    campaign_thresholds_update(actor=county.inspector, campaign=campaign, reminder_days="10,5,1")
    deadline = Campaign.objects.get(pk=campaign.pk).deadlines.get(code="work_plan")
    assert urgeable(deadline, nine_days_before)
    assert cell_state(deadline, county.mine1, None, nine_days_before) == "due_soon"
    with time_machine.travel(dt.datetime.combine(nine_days_before, dt.time(4), tzinfo=dt.UTC), tick=False):
        assert submission_urge(actor=county.inspector, deadline=deadline, organization=county.mine1).urged == 1
