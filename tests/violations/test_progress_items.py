"""The task items the 三违 app's records prove: 3.3.d (every 三违 back-tracked) and 4.1.d (the red-line lists)."""

import datetime as dt
import zoneinfo

import pytest

from campaign.models import RequirementProgress
from tests.factories import running_campaign
from violations import services

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def campaign(county, time_machine):
    time_machine.move_to(dt.datetime(2024, 12, 2, 10, 0, tzinfo=SHANGHAI), tick=False)
    return running_campaign(bureau=county.bureau)


def progress(county, campaign, code):
    return RequirementProgress.objects.get(
        organization=county.mine1, requirement__campaign=campaign, requirement__code=code
    )


def test_backtracks_fill_in_3_3_d(county, campaign):
    violation = services.violation_create(
        actor=county.mine1_officer,
        mine=county.mine1,
        occurred_on=dt.date(2024, 11, 20),
        location="2401",
        person_name="孙伟",
        type="operation",
        description="未执行敲帮问顶",
    )
    assert progress(county, campaign, "3.3.d").status == "in_progress"
    assert progress(county, campaign, "3.3.d").evidence_url == f"/violations/?mine={county.mine1.pk}"
    for kind in ("training", "warning_education", "mutual_protection"):
        services.backtrack_record(actor=county.mine1_officer, violation=violation, kind=kind, finding="已倒查")
    item = progress(county, campaign, "3.3.d")
    assert (item.status, item.figure) == ("done", 100)


def test_red_line_lists_fill_in_4_1_d(county, campaign):
    items = [
        {"level": "矿级", "post": "全员", "content": "无证上岗", "consequence": "停工培训"},
        {"level": "区队级", "post": "采煤机司机", "content": "空顶作业", "consequence": "罚款"},
    ]
    publish = lambda kind: services.red_line_list_publish(  # noqa: E731
        actor=county.mine1_officer,
        mine=county.mine1,
        kind=kind,
        title="清单",
        effective_on=dt.date(2024, 11, 1),
        items=items,
    )
    publish("red_line")
    item = progress(county, campaign, "4.1.d")
    assert item.status == "in_progress" and "尚未制定追责问责清单" in item.note and "2 个层级" in item.note
    publish("accountability")
    assert progress(county, campaign, "4.1.d").status == "done"
