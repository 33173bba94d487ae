"""The notice's figures (8 h at the face, 10 h underground, 2 h dispatch lead, two typical cases a month, the exam's
pass mark and retraining days, the back-track days) are read from the campaign's items, today's values by default:
a campaign whose items say 9 h / 11 h / 3 h / 3 cases / 70 points / 20 days / 5 days flags the records by those."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from campaign import figures
from campaign.figures import figure_of, figures_of
from campaign.models import Campaign, RecordEvidence, Requirement, RequirementProgress
from campaign.services import campaign_clone
from campaign.template_data import read_template
from hazards import services as hazard_services
from notifications.models import Notification
from tests.factories import ViolationFactory, running_campaign
from violations import services as violation_services
from violations.models import Violation
from violations.selectors import bulletin_duty, violation_counts
from violations.sweeps import sweep_backtracks, sweep_bulletin_duty
from workforce import services as workforce_services
from workforce.filters import HandoverFilter, PositioningFilter
from workforce.models import PositioningRecord
from workforce.selectors import control_flags

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2024, 12, 2)
BEFORE_THE_CAMPAIGN = dt.date(2024, 10, 1)  # the 2024 campaign starts on 10-28: no campaign, the defaults


def _item(campaign, evidence):
    return campaign.requirements.get(level="item", evidence=evidence)


@pytest.fixture
def strict(county, time_machine):
    """The county's campaign, its items saying 9 h / 11 h / 3 h / 3 cases / 70 points / 20 days / 5 days (and 4 days
    for a 三违's accountability, 10 for a main leader's 检查)."""
    time_machine.move_to(dt.datetime(2024, 12, 2, 10, 0, tzinfo=SHANGHAI), tick=False)
    campaign = running_campaign(bureau=county.bureau)
    E = RecordEvidence
    Requirement.objects.filter(pk=_item(campaign, E.FACE_TIME).pk).update(target_max=9)
    Requirement.objects.filter(pk=_item(campaign, E.UNDERGROUND_TIME).pk).update(target_max=11)
    Requirement.objects.filter(pk=_item(campaign, E.DISPATCH_HANDOVERS).pk).update(target_min=3)
    Requirement.objects.filter(pk=_item(campaign, E.TYPICAL_CASE_BULLETINS).pk).update(target_min=3)
    exams = _item(campaign, E.INSPECTION_EXAMS)
    exams.parameters = {"pass_mark": 70, "retraining_days": 20}
    exams.full_clean()
    exams.save()
    Requirement.objects.filter(pk=_item(campaign, E.VIOLATION_BACKTRACKS).pk).update(
        parameters={"backtrack_days": 5, "accountability_days": 4}
    )
    Requirement.objects.filter(pk=_item(campaign, E.DUAL_ACCOUNTABILITY).pk).update(
        parameters={"leader_review_days": 10}
    )
    return Campaign.objects.get(pk=campaign.pk)


def _trips(day):
    """甲: 10 h 30 underground, 8 h 30 at the face (over 10 h / 8 h, within 11 h / 9 h); 乙: 11 h 10 and 9 h 10."""
    text = (
        "姓名,卡号,班组,下井时间,升井时间,工作面时长\n"
        f"甲,3001,综采一队,{day} 07:00,{day} 17:30,8:30\n"
        f"乙,3002,综采一队,{day} 07:00,{day} 18:10,9:10\n"
    )
    return SimpleUploadedFile("下井记录.csv", text.encode("utf-8"))


def _flagged(flag, day):
    return set(
        PositioningRecord.objects.filter(entered_at__date=day, **{flag: True}).values_list("person_name", flat=True)
    )


def test_the_template_holds_the_figures_it_used_to_hard_code():
    template = Campaign.objects.get(code=read_template()["code"], is_template=True)
    values = {f.name: figure_of(template, f) for f in figures.FIGURES}
    assert values == {
        "face_hours": 8,
        "underground_hours": 10,
        "handover_lead_hours": 2,
        "bulletin_cases": 2,
        "pass_mark": 80,
        "retraining_days": 30,
        "backtrack_days": 7,
        "accountability_days": 7,
        "leader_review_days": 15,
    }
    assert _item(template, RecordEvidence.TYPICAL_CASE_BULLETINS).code == "4.2.c"
    assert _item(template, RecordEvidence.INSPECTION_EXAMS).parameters == {"pass_mark": 80, "retraining_days": 30}


def test_a_clone_keeps_the_items_figures(strict, county):
    again = campaign_clone(source=strict, code="again", starts_on=dt.date(2025, 10, 28), bureau=county.other_bureau)
    assert figure_of(again, figures.PASS_MARK) == 70
    assert figure_of(again, figures.BACKTRACK_DAYS) == 5
    assert figure_of(again, figures.FACE_HOURS) == 9


def test_trips_are_flagged_by_the_campaigns_limits(client, county, strict):
    officer, mine = county.mine1_officer, county.mine1
    workforce_services.positioning_import(actor=officer, mine=mine, upload=_trips("2024-11-12"))
    assert _flagged("over_underground", dt.date(2024, 11, 12)) == {"乙"}
    assert _flagged("over_face", dt.date(2024, 11, 12)) == {"乙"}
    face = RequirementProgress.objects.get(organization=mine, requirement=_item(strict, RecordEvidence.FACE_TIME))
    assert "1 人次工作面作业时间超过 9 小时" in face.note
    underground = RequirementProgress.objects.get(
        organization=mine, requirement=_item(strict, RecordEvidence.UNDERGROUND_TIME)
    )
    assert "出入井时间超过 11 小时" in underground.note
    # The filter bar too, even when the class's filter had built its field before (as an earlier page may).
    assert PositioningFilter.base_filters["over"].field and HandoverFilter.base_filters["late"].field
    client.force_login(county.inspector)
    html = client.get("/workforce/positioning/").content.decode()
    assert "超11小时" in html and "超9小时" in html and "超10小时" not in html

    # Outside every campaign, the notice's 10 h and 8 h.
    workforce_services.positioning_import(actor=officer, mine=mine, upload=_trips(BEFORE_THE_CAMPAIGN.isoformat()))
    assert _flagged("over_underground", BEFORE_THE_CAMPAIGN) == {"甲", "乙"}
    assert _flagged("over_face", BEFORE_THE_CAMPAIGN) == {"甲", "乙"}


def _handover(county, shift_starts_at, lead):
    return workforce_services.dispatch_handover_record(
        actor=county.mine1_officer,
        mine=county.mine1,
        shift="middle",
        shift_starts_at=shift_starts_at,
        dispatched_at=shift_starts_at - lead,
        dispatcher="调度员 马丽",
        tasks="3105 工作面割煤 6 刀",
    )


def test_handovers_are_late_by_the_campaigns_lead(client, county, strict):
    shift = dt.datetime(2024, 12, 1, 16, 0, tzinfo=SHANGHAI)
    short = _handover(county, shift, dt.timedelta(hours=2, minutes=30))
    enough = _handover(county, shift + dt.timedelta(hours=8), dt.timedelta(hours=3, minutes=10))
    assert (short.late, short.early_enough, enough.late) == (True, False, False)
    assert control_flags(user=county.inspector, today=TODAY)["late_handovers"] == 1
    progress = RequirementProgress.objects.get(
        organization=county.mine1, requirement=_item(strict, RecordEvidence.DISPATCH_HANDOVERS)
    )
    assert "1 次提前不足 3 小时" in progress.note
    client.force_login(county.inspector)
    html = client.get("/workforce/handovers/", {"late": "true"}).content.decode()
    assert "不足3小时" in html and "提前不足3小时" in html and "不足2小时" not in html and "提前 3 小时" in html
    assert client.get("/workforce/handovers/", {"late": "false"}).context["page"].object_list[0] == enough

    # Outside every campaign, the notice's 2 h: 2 h 30 ahead is early enough.
    before = dt.datetime.combine(BEFORE_THE_CAMPAIGN, dt.time(16, 0), tzinfo=SHANGHAI)
    assert not _handover(county, before, dt.timedelta(hours=2, minutes=30)).late
    assert _handover(county, before + dt.timedelta(hours=8), dt.timedelta(hours=1)).late


def test_exams_pass_and_retrain_by_the_campaigns_figures(county, strict):
    def exam(inspected_on, score):
        inspection = hazard_services.inspection_create(
            actor=county.inspector, mine=county.mine1, inspected_on=inspected_on, mode="open"
        )
        return hazard_services.exam_record(
            actor=county.inspector, inspection=inspection, person_name="甲", post="电工", score=score
        )

    assert exam(dt.date(2024, 11, 28), 75).passed  # pass mark 70
    failed = exam(dt.date(2024, 11, 28), 65)
    assert (failed.passed, failed.retraining_due_on) == (False, dt.date(2024, 12, 18))  # 20 days
    # Outside every campaign, 80 points and 30 days.
    failed = exam(BEFORE_THE_CAMPAIGN, 75)
    assert (failed.passed, failed.retraining_due_on) == (False, dt.date(2024, 10, 31))


def test_exam_form_prints_the_campaigns_pass_mark(client, county, strict):
    inspection = hazard_services.inspection_create(
        actor=county.inspector, mine=county.mine1, inspected_on=dt.date(2024, 11, 28), mode="open"
    )
    client.force_login(county.inspector)
    html = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "按成绩判定（70 分合格）" in html


def _violation(county, occurred_on, name):
    return violation_services.violation_create(
        actor=county.mine1_officer,
        mine=county.mine1,
        occurred_on=occurred_on,
        location="2401",
        person_name=name,
        type="operation",
        description="未执行敲帮问顶",
    )


def test_backtracks_fall_due_by_the_campaigns_days(client, county, strict):
    within = _violation(county, dt.date(2024, 11, 25), "孙伟")
    assert (within.backtrack_due_on, within.backtrack_days) == (dt.date(2024, 11, 30), 5)
    # 7 days would make it due on 12-02, not overdue on 12-01; 5 days make it overdue.
    assert list(Violation.objects.backtrack_overdue(today=dt.date(2024, 12, 1))) == [within]
    assert violation_counts(user=county.inspector, today=dt.date(2024, 12, 1))["backtrack_overdue"] == 1
    client.force_login(county.inspector)
    html = client.get("/violations/", {"backtrack_overdue": "true"}).content.decode()
    assert "孙伟" in html and "责任倒查超过 5 天未完成" in html
    sweep_backtracks(today=dt.date(2024, 12, 1))
    assert Notification.objects.filter(title__contains="孙伟的“三违”超过5天未完成责任倒查").exists()

    # Moved to a day outside every campaign: the notice's 7 days.
    moved = violation_services.violation_update(
        actor=county.mine1_officer, violation=within, occurred_on=BEFORE_THE_CAMPAIGN
    )
    assert (moved.campaign, moved.backtrack_due_on) == (None, dt.date(2024, 10, 8))
    assert _violation(county, BEFORE_THE_CAMPAIGN, "王强").backtrack_days == 7


def test_bulletin_duty_asks_for_the_campaigns_number_of_cases(county, strict):
    cases = [ViolationFactory(mine=county.mine1, typical=True, occurred_on=dt.date(2024, 11, 20)) for _ in range(2)]
    bulletin = violation_services.bulletin_create(
        actor=county.inspector, period="2024-12", title="12月份典型“三违”案例通报", body="现通报如下。", cases=cases
    )
    violation_services.bulletin_publish(actor=county.inspector, bulletin=bulletin)
    duty = bulletin_duty(bureau_id=county.bureau.pk, period="2024-12")
    assert (duty["cases"], duty["required"], duty["met"]) == (2, 3, False)
    assert bulletin_duty(bureau_id=county.bureau.pk, period="2024-12", campaign=strict)["required"] == 3
    assert bulletin_duty(bureau_id=county.other_bureau.pk, period="2024-12")["required"] == 2  # no campaign
    sweep_bulletin_duty(today=dt.date(2024, 12, 26))
    notice = Notification.objects.get(recipient=county.inspector, topic="bulletin_duty")
    assert "（2/3起）" in notice.title and "至少通报3起" in notice.body


def test_the_defaults_hold_where_the_item_says_nothing(county, strict):
    Requirement.objects.filter(pk=_item(strict, RecordEvidence.FACE_TIME).pk).update(target_max=None)
    Requirement.objects.filter(pk=_item(strict, RecordEvidence.INSPECTION_EXAMS).pk).update(parameters={})
    Requirement.objects.filter(pk=_item(strict, RecordEvidence.TYPICAL_CASE_BULLETINS).pk).update(evidence="")
    campaign = Campaign.objects.get(pk=strict.pk)
    values = figures_of(campaign)
    assert (values[figures.FACE_HOURS], values[figures.PASS_MARK], values[figures.RETRAINING_DAYS]) == (8, 80, 30)
    assert values[figures.BULLETIN_CASES] == 2
    assert values[figures.UNDERGROUND_HOURS] == 11  # still said
    assert figures_of(None)[figures.BACKTRACK_DAYS] == 7
    # A half hour is kept as such.
    Requirement.objects.filter(pk=_item(strict, RecordEvidence.FACE_TIME).pk).update(target_max=Decimal("7.5"))
    assert figures_of(Campaign.objects.get(pk=strict.pk)).minutes(figures.FACE_HOURS) == 450


def test_parameters_are_checked_where_the_admin_edits_them(strict):
    item = _item(strict, RecordEvidence.INSPECTION_EXAMS)
    for bad in ({"pass_marks": 80}, {"pass_mark": 0}, {"pass_mark": "80"}, {"retraining_days": True}, [80]):
        item.parameters = bad
        with pytest.raises(ValidationError):
            item.full_clean()


def test_a_campaign_loaded_with_its_figures_reads_them_without_a_query(strict, django_assert_num_queries):
    loaded = figures.with_figures(Campaign.objects.filter(pk=strict.pk)).get()
    with django_assert_num_queries(0):
        values = {f.name: figure_of(loaded, f) for f in figures.FIGURES}
    assert values == {f.name: figure_of(Campaign.objects.get(pk=strict.pk), f) for f in figures.FIGURES}
    assert values == {
        "face_hours": 9,
        "underground_hours": 11,
        "handover_lead_hours": 3,
        "bulletin_cases": 3,
        "pass_mark": 70,
        "retraining_days": 20,
        "backtrack_days": 5,
        "accountability_days": 4,
        "leader_review_days": 10,
    }
