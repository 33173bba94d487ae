"""A second serious 三违 of one person within the campaign escalates to the enterprise once and asks for 帮教."""

import datetime as dt
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from notifications.models import Notification
from tests.factories import running_campaign
from violations import services
from violations.models import RepeatOffender

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def campaign(county, time_machine):
    time_machine.move_to(dt.datetime(2024, 12, 20, 10, 0, tzinfo=SHANGHAI), tick=False)
    return running_campaign(bureau=county.bureau)


def record(county, day, severity="serious", person="何振华", description=None, mine=None):
    return services.violation_create(
        actor=county.mine1_officer if mine is None else county.mine2_officer,
        mine=mine or county.mine1,
        occurred_on=day,
        location="2401综采工作面",
        person_name=person,
        type="operation",
        severity=severity,
        description=description or f"{day:%m月%d日}未执行敲帮问顶",
    )


def test_second_serious_violation_escalates_once(county, campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record(county, dt.date(2024, 11, 5))
        record(county, dt.date(2024, 11, 20), severity="general")
        record(county, dt.date(2024, 11, 8), mine=county.mine2)  # the same name at another mine is another person
    assert not RepeatOffender.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        second = record(county, dt.date(2024, 12, 3))
    offender = RepeatOffender.objects.get()
    assert (offender.person_name, offender.second_violation, offender.mine) == ("何振华", second, county.mine1)
    notices = Notification.objects.filter(topic="repeat_offender")
    assert set(notices.values_list("recipient__username", flat=True)) == {"ent1", "mine1"}
    assert "第二次发生严重“三违”" in notices.first().title
    # A third serious one, an edit of the second and a re-import do not escalate again.
    with django_capture_on_commit_callbacks(execute=True):
        record(county, dt.date(2024, 12, 10))
        services.violation_update(actor=county.mine1_officer, violation=second, location="2401运输巷")
    assert RepeatOffender.objects.count() == 1 and notices.count() == 2
    # The mentoring steps: talk, training off work and a family pledge close the case.
    for kind in ("talk", "suspension_training", "family_pledge"):
        assert offender.mentoring_completed_on is None
        services.mentoring_step_record(
            actor=county.mine1_officer,
            offender=offender,
            kind=kind,
            done_on=dt.date(2024, 12, 12),
            content="已落实",
            responsible="安全科 周伟",
        )
        offender.refresh_from_db()
    assert offender.mentoring_completed_on == dt.date(2024, 12, 12)
    with pytest.raises(DomainError, match="已登记过"):
        services.mentoring_step_record(
            actor=county.mine1_officer,
            offender=offender,
            kind="talk",
            done_on=dt.date(2024, 12, 12),
            content="x",
            responsible="x",
        )
    with pytest.raises(DomainError, match="不能"):
        services.mentoring_step_record(
            actor=county.mine2_officer,
            offender=offender,
            kind="talk",
            done_on=dt.date(2024, 12, 12),
            content="x",
            responsible="x",
        )


def test_violations_before_the_campaign_do_not_count(county, campaign):
    record(county, dt.date(2024, 9, 1))  # before the campaign: no campaign
    record(county, dt.date(2024, 11, 1))
    assert not RepeatOffender.objects.exists()


def test_import_escalates_and_pages_show_the_case(client, county, campaign):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["日期", "姓名", "违章地点", "违章行为", "三违类别", "性质"])
    ws.append(["2024-11-06", "田野", "主运输巷", "扒乘皮带", "违章作业", "严重"])
    ws.append(["2024-12-01", "田野", "主运输巷", "跨越运行中的皮带", "违章作业", "严重"])
    buffer = io.BytesIO()
    wb.save(buffer)
    services.violations_import(
        actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("三违.xlsx", buffer.getvalue())
    )
    offender = RepeatOffender.objects.get(person_name="田野")
    client.force_login(county.ent1_officer)
    html = client.get("/violations/repeat-offenders/").content.decode()
    assert "田野" in html and "0/3" in html
    detail = client.get(f"/violations/repeat-offenders/{offender.pk}/").content.decode()
    assert "扒乘皮带" in detail and "跨越运行中的皮带" in detail
    assert "2024年11月（1 起）" in detail and "2024年12月（1 起）" in detail  # the history month by month
    client.force_login(county.mine3_officer)
    assert client.get(f"/violations/repeat-offenders/{offender.pk}/").status_code == 404
    assert "田野" not in client.get("/violations/repeat-offenders/").content.decode()
    client.force_login(county.mine1_officer)
    response = client.post(
        f"/violations/repeat-offenders/{offender.pk}/mentoring/",
        {"kind": "talk", "done_on": "2024-12-02", "responsible": "矿长 王强", "content": "谈话教育一次"},
    )
    assert response.status_code == 302 and offender.steps.count() == 1


def test_the_api_lists_repeat_offenders_as_the_page_does(client, api_client, county, campaign):
    # One read (violations.selectors.repeat_offender_list) for the page and the API: the same rows in the same order,
    # cases still in 帮教 first, whatever their escalation time.
    from violations.selectors import repeat_offender_list

    for person in ("甲", "乙"):
        record(county, dt.date(2024, 11, 5), person=person)
        record(county, dt.date(2024, 12, 3), person=person)
    first, later = RepeatOffender.objects.order_by("escalated_at", "id")
    RepeatOffender.objects.filter(pk=later.pk).update(mentoring_completed_on=dt.date(2024, 12, 10))
    expected = [o.pk for o in repeat_offender_list(user=county.inspector)]
    assert expected == [first.pk, later.pk]
    api_client.force_authenticate(county.inspector)
    rows = api_client.get("/api/v1/repeat-offenders/").json()["results"]
    assert [r["id"] for r in rows] == expected
    assert all(len(r["steps"]) == 0 for r in rows)
    api_client.force_authenticate(county.mine2_officer)
    assert api_client.get("/api/v1/repeat-offenders/").json()["results"] == []


def test_the_case_page_names_who_recorded_a_step_by_name_and_mine_not_login(client, county, campaign):
    record(county, dt.date(2024, 11, 5))
    record(county, dt.date(2024, 12, 3))
    offender = RepeatOffender.objects.get()
    county.mine1_officer.full_name = "周伟"
    county.mine1_officer.save(update_fields=["full_name"])
    services.mentoring_step_record(
        actor=county.mine1_officer,
        offender=offender,
        kind="talk",
        done_on=dt.date(2024, 12, 12),
        content="谈话教育一次",
        responsible="安全科 周伟",
    )
    client.force_login(county.ent1_officer)
    html = client.get(f"/violations/repeat-offenders/{offender.pk}/").content.decode()
    mine = county.mine1.short_name or county.mine1.name
    assert f"周伟（{mine}）登记" in html
    assert "mine1 登记" not in html and ">mine1<" not in html
