"""The accident register: who records what, 迟报, the 提级调查 every accident of the campaign opens, deletion refused
once investigated, the investigation written and closed by the bureau only."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accidents import services
from accidents.models import Accident, Investigation
from accidents.rules import AccidentGrade, InvestigationLevel, grade_of, upgraded_level
from accidents.selectors import accidents_in
from core.errors import DomainError, InvalidState, NotPermitted
from tests.factories import running_campaign

from .helpers import moment, record

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 report"


@pytest.fixture
def campaign(county):
    return running_campaign(bureau=county.bureau, starts_on=dt.date.today() - dt.timedelta(days=30))


def test_an_accident_of_the_campaign_opens_its_investigation_one_level_up(county, campaign):
    accident = record(county.mine1_officer, county.mine1)
    investigation = Investigation.objects.get(accident=accident)
    assert accident.campaign == campaign
    assert (investigation.normal_level, investigation.lead_level) == ("county", "city")
    assert investigation.is_open and not accident.late and not accident.found_by_bureau
    assert accident.events.filter(action="启动提级调查").exists()


def test_an_investigation_is_led_above_the_level_that_would_normally_investigate(county, campaign):
    """Review: a 提级调查 could be set back to the county, the level that would investigate without 提级."""
    investigation = Investigation.objects.get(accident=record(county.mine1_officer, county.mine1))
    with pytest.raises(DomainError) as refused:
        services.investigation_update(actor=county.inspector, investigation=investigation, lead_level="county")
    assert refused.value.field == "lead_level" and "县级以上" in refused.value.message
    services.investigation_update(actor=county.inspector, investigation=investigation, lead_level="province")
    investigation.refresh_from_db()
    assert investigation.lead_level == "province"


def test_outside_every_campaign_no_investigation(county):
    accident = record(county.mine1_officer, county.mine1)
    assert accident.campaign is None and not Investigation.objects.filter(accident=accident).exists()


def test_a_report_later_than_an_hour_is_flagged_late(county, campaign):
    assert not record(county.mine1_officer, county.mine1, late_minutes=60).late
    assert record(county.mine1_officer, county.mine1, late_minutes=61, place="2号煤仓").late


def test_the_window_is_data(county, campaign, settings):
    settings.ACCIDENT_REPORT_WINDOW_MINUTES = 30
    assert record(county.mine1_officer, county.mine1, late_minutes=45).late


def test_recorded_first_by_the_bureau_is_marked_so(county, campaign):
    assert record(county.inspector, county.mine1).found_by_bureau


def test_grades_and_levels():
    assert grade_of(deaths=0, serious_injuries=0, minor_injuries=1, direct_loss=None) == AccidentGrade.BELOW
    assert grade_of(deaths=1, serious_injuries=0, minor_injuries=0, direct_loss=None) == AccidentGrade.GENERAL
    assert grade_of(deaths=3, serious_injuries=0, minor_injuries=0, direct_loss=None) == AccidentGrade.LARGER
    assert upgraded_level(AccidentGrade.LARGER) == (InvestigationLevel.CITY, InvestigationLevel.PROVINCE)


@pytest.mark.parametrize(
    ("who", "mine", "allowed"),
    [
        ("mine1_officer", "mine1", True),
        ("mine1_officer", "mine2", False),
        ("ent1_officer", "mine2", True),
        ("ent1_officer", "mine3", False),
        ("inspector", "mine3", True),
        ("leader", "mine1", False),
        ("other_inspector", "mine1", False),
    ],
)
def test_who_may_record(county, campaign, who, mine, allowed):
    actor, target = getattr(county, who), getattr(county, mine)
    if allowed:
        assert record(actor, target).pk
    else:
        with pytest.raises(NotPermitted):
            record(actor, target)
        assert not Accident.objects.exists()


def test_bad_input_is_refused_in_chinese_and_nothing_written(county, campaign):
    with pytest.raises(DomainError, match="报告时间不能早于"):
        record(county.mine1_officer, county.mine1, late_minutes=-5)
    with pytest.raises(DomainError, match="晚于"):
        record(county.mine1_officer, county.mine1, days_ago=-2)
    with pytest.raises(DomainError, match="死亡人数"):
        record(county.mine1_officer, county.mine1, deaths=10**6)
    record(county.mine1_officer, county.mine1)
    with pytest.raises(DomainError, match="重复登记"):
        record(county.mine1_officer, county.mine1)
    assert Accident.objects.count() == 1 and Investigation.objects.count() == 1


def test_deleting_an_investigated_accident_is_refused(county, campaign):
    accident = record(county.mine1_officer, county.mine1)
    with pytest.raises(InvalidState):
        services.accident_delete(actor=county.mine1_officer, accident=accident)
    assert Accident.objects.filter(pk=accident.pk).exists()


def test_an_accident_outside_the_campaign_may_be_deleted(county):
    accident = record(county.mine1_officer, county.mine1)
    services.accident_delete(actor=county.mine1_officer, accident=accident)
    assert not Accident.objects.exists()


def test_moving_an_accident_into_the_campaign_opens_its_investigation(county):
    accident = record(county.mine1_officer, county.mine1, days_ago=5)
    running_campaign(bureau=county.bureau, starts_on=dt.date.today() - dt.timedelta(days=2))
    accident = services.accident_update(
        actor=county.mine1_officer, accident=accident, occurred_at=moment(1), reported_at=moment(1, minute=20)
    )
    assert accident.campaign is not None and Investigation.objects.filter(accident=accident).exists()


def test_investigation_written_and_closed_by_the_bureau_only(county, campaign):
    investigation = record(county.mine1_officer, county.mine1).investigation
    for outsider in (county.mine1_officer, county.ent1_officer, county.leader, county.other_inspector):
        with pytest.raises(NotPermitted):
            services.investigation_update(actor=outsider, investigation=investigation, findings="x")
    services.investigation_update(
        actor=county.inspector,
        investigation=investigation,
        lead_organization="晋城市应急管理局",
        team="市局牵头，县局、公安参加",
        findings="顶板管理不到位，支护不及时。",
        responsible_persons="张三 带班队长 罚款",
        measures="加强敲帮问顶",
    )
    with pytest.raises(DomainError, match="调查报告"):
        services.investigation_close(
            actor=county.inspector, investigation=investigation, closed_on=dt.date.today(), report=None
        )
    report = SimpleUploadedFile("调查报告.pdf", PDF)
    closed = services.investigation_close(
        actor=county.inspector, investigation=investigation, closed_on=dt.date.today(), report=report
    )
    assert closed.status == "closed" and closed.report.original_name == "调查报告.pdf"
    with pytest.raises(InvalidState):
        services.investigation_update(actor=county.inspector, investigation=closed, findings="改")


def test_closing_needs_findings(county, campaign):
    investigation = record(county.mine1_officer, county.mine1).investigation
    with pytest.raises(DomainError, match="调查结论"):
        services.investigation_close(
            actor=county.inspector,
            investigation=investigation,
            closed_on=dt.date.today(),
            report=SimpleUploadedFile("r.pdf", PDF),
        )
    investigation.refresh_from_db()
    assert investigation.is_open


def test_accidents_in_is_the_users_and_the_campaigns(county, campaign):
    a1 = record(county.mine1_officer, county.mine1)
    a3 = record(county.mine3_officer, county.mine3)
    record(county.mine1_officer, county.mine1, days_ago=40, place="老巷")  # before the campaign
    assert set(accidents_in(campaign, county.mine1_officer)) == {a1}
    assert set(accidents_in(campaign, county.inspector)) == {a1, a3}
    assert set(accidents_in(campaign, county.other_inspector)) == set()


def test_the_county_inspectors_are_told_of_an_accident_a_mine_records(county, campaign):
    from notifications.models import Notification

    accident = record(county.mine1_officer, county.mine1, late_minutes=90)
    notice = Notification.objects.get(recipient=county.inspector)
    assert notice.topic == "accident_reported" and "东峰煤矿报告顶板事故" in notice.title and "迟报" in notice.body
    assert notice.url == f"/accidents/{accident.pk}/"
    assert not Notification.objects.filter(recipient=county.other_inspector).exists()
    record(county.inspector, county.mine2)  # the bureau's own record tells nobody
    assert Notification.objects.count() == 1
