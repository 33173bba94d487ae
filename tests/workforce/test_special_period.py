"""特殊时段管控: positioning imports flag over-time trips, the zero shift refuses dangerous work, handovers."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from campaign.models import RequirementProgress
from core.errors import DomainError
from core.ledger_import import ImportRejected
from workforce import services
from workforce.models import PositioningRecord
from workforce.selectors import control_flags, zero_shift_leaders_underground

from .conftest import FIXTURES, SHANGHAI, TODAY

pytestmark = pytest.mark.django_db


def sample_csv():
    return SimpleUploadedFile("下井记录.csv", (FIXTURES / "positioning-export-sample.csv").read_bytes())


def test_positioning_import_flags_exactly_the_over_time_people(county, campaign):
    officer, mine = county.mine1_officer, county.mine1
    with pytest.raises(ImportRejected) as rejected:
        services.positioning_import(actor=officer, mine=mine, upload=sample_csv())
    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (9, "姓名"),
        (10, "升井时间"),
        (11, "工作面停留时长"),
    ]
    assert "工作面时长不能超过井下时长" in rejected.value.errors[2].message
    assert not PositioningRecord.objects.exists()  # nothing written

    result = services.positioning_import(actor=officer, mine=mine, upload=sample_csv(), only_valid_rows=True)
    assert (result.created, result.total_rows, len(result.errors)) == (6, 9, 3)
    over_underground = set(
        PositioningRecord.objects.filter(over_underground=True).values_list("person_name", flat=True)
    )
    over_face = set(PositioningRecord.objects.filter(over_face=True).values_list("person_name", flat=True))
    assert over_underground == {"李卫东", "赵强"}  # 赵强's shift crosses midnight: 23:30 → 10:05 the next day
    assert over_face == {"王海"}
    zhao = PositioningRecord.objects.get(person_name="赵强")
    assert zhao.exited_at == dt.datetime(2024, 11, 13, 10, 5, tzinfo=SHANGHAI)
    assert zhao.underground_minutes == 635 and zhao.underground_text == "10小时35分"
    sun = PositioningRecord.objects.get(person_name="孙明")
    assert (sun.underground_minutes, sun.face_minutes, sun.over_underground) == (470, 390, False)
    zhou = PositioningRecord.objects.get(person_name="周伟")  # exactly 10 h and 8 h are within the limits
    assert (zhou.underground_minutes, zhou.face_minutes, zhou.over_underground, zhou.over_face) == (
        600,
        480,
        False,
        False,
    )
    # Importing the same export again adds nothing.
    again = services.positioning_import(actor=officer, mine=mine, upload=sample_csv(), only_valid_rows=True)
    assert (again.created, again.skipped) == (0, 6)
    # The task items 3.3.a and 3.3.b follow, with the longest times and a link to the flagged trips.
    face = RequirementProgress.objects.get(organization=mine, requirement__campaign=campaign, requirement__code="3.3.a")
    assert face.status == "in_progress" and str(face.figure) == "8.42" and face.meets_target is False
    assert face.evidence_url == f"/workforce/positioning/?mine={mine.pk}&over=over_face"
    # The dashboards' flags (the trips are within the last 30 days of the tests' today).
    flags = control_flags(user=county.inspector, today=TODAY)
    assert (flags["over_underground"], flags["over_face"]) == (2, 1)
    assert control_flags(user=county.mine2_officer, today=TODAY)["over_underground"] == 0


def test_positioning_import_takes_xlsx_with_separate_dates(county, campaign):
    wb = Workbook()
    ws = wb.active
    ws.append(["人员下井明细"])
    ws.append(["日期", "姓名", "卡号", "班组", "入井时刻", "出井时刻", "工作面时长"])
    ws.append([dt.date(2024, 11, 20), "刘洋", "2001", "综采一队", dt.time(22, 0), dt.time(8, 30), 0.35])
    ws.append([dt.date(2024, 11, 20), "陈东", "2002", "综采一队", dt.time(8, 0), dt.time(16, 0), "7小时"])
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("定位.xlsx", buffer.getvalue())
    result = services.positioning_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    assert result.created == 2
    liu = PositioningRecord.objects.get(person_name="刘洋")
    assert (liu.underground_minutes, liu.face_minutes, liu.over_underground, liu.over_face) == (630, 504, True, True)


def test_a_time_without_its_date_is_reported_under_the_cell_to_fill_in(county, campaign):
    def upload(headers, *rows):
        wb = Workbook()
        ws = wb.active
        ws.append(headers)
        for row in rows:
            ws.append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
        return SimpleUploadedFile("定位.xlsx", buffer.getvalue())

    def errors(file):
        with pytest.raises(ImportRejected) as refused:
            services.positioning_import(actor=county.mine1_officer, mine=county.mine1, upload=file)
        return [(e.row, e.column, e.message) for e in refused.value.errors]

    with_dates = ["日期", "姓名", "入井时刻", "出井时刻"]
    assert errors(upload(with_dates, [None, "刘洋", dt.time(22, 0), dt.time(8, 30)])) == [
        (2, "日期", "下井时间只写了时刻，该行的日期不能为空。")
    ]
    # a date that could not be read says so itself, once, under its own column
    (found,) = errors(upload(with_dates, ["二〇二四年", "刘洋", dt.time(22, 0), dt.time(8, 30)]))
    assert found[:2] == (2, "日期") and "时刻" not in found[2]
    # no date column at all: the moment itself must carry its date
    assert errors(upload(["姓名", "入井时刻", "出井时刻"], ["刘洋", dt.time(22, 0), dt.time(8, 30)])) == [
        (2, "入井时刻", "下井时间没有日期：请写成 2024-11-12 23:40，或加一列“日期”。")
    ]


def test_positioning_import_refuses_what_it_cannot_read(county, campaign):
    officer, mine = county.mine1_officer, county.mine1
    with pytest.raises(DomainError, match="表头"):
        services.positioning_import(actor=officer, mine=mine, upload=SimpleUploadedFile("x.csv", b"a,b,c\n1,2,3\n"))
    with pytest.raises(DomainError, match="CSV"):
        services.positioning_import(actor=officer, mine=mine, upload=SimpleUploadedFile("x.bin", b"\x00\x01\x02"))
    with pytest.raises(DomainError, match="不能"):
        services.positioning_import(actor=county.mine2_officer, mine=mine, upload=sample_csv())


def plan(county, tasks, **kw):
    fields = {"shift_date": TODAY, "leader_one": "赵安全", "leader_two": "钱机电"}
    return services.zero_shift_plan_create(
        actor=county.mine1_officer, mine=county.mine1, tasks=tasks, **{**fields, **kw}
    )


def test_zero_shift_refuses_dangerous_work_and_checks_two_leaders(county, campaign):
    for content, kind in [
        ("3105 回风巷动火更换管路", "动火作业"),
        ("2401 工作面放炮落煤", "爆破作业"),
        ("启封 3 号密闭恢复通风", "启封密闭"),
        ("进入煤仓清理积煤", "有限空间作业"),
    ]:
        with pytest.raises(DomainError, match=f"第 2 项.*{kind}"):
            plan(county, [{"content": "割煤、支护"}, {"content": content}])
    with pytest.raises(DomainError, match="两名带班领导"):
        plan(county, [{"content": "割煤"}], leader_two="")
    with pytest.raises(DomainError, match="不同"):
        plan(county, [{"content": "割煤"}], leader_two="赵安全")
    services.person_create(actor=county.mine1_officer, mine=county.mine1, name="赵安全", role="manager")
    with pytest.raises(DomainError, match="“钱机电”不在本矿管理人员名册中"):
        plan(county, [{"content": "割煤"}])
    services.person_create(actor=county.mine1_officer, mine=county.mine1, name="钱机电", role="manager")
    created = plan(county, [{"location": "3105 工作面", "content": "割煤、支护"}, {"content": "运输巷清理浮煤"}])
    assert created.tasks.count() == 2
    with pytest.raises(DomainError, match="已经登记过"):
        plan(county, [{"content": "割煤"}])
    progress = RequirementProgress.objects.get(organization=county.mine1, requirement__code="3.3.c")
    assert progress.status == "done" and progress.figure == 1
    # 双带班 checked against the positioning records of that night.
    assert zero_shift_leaders_underground(created) is None
    start = dt.datetime(2024, 12, 1, 23, 40, tzinfo=SHANGHAI)
    PositioningRecord.objects.create(
        mine=county.mine1,
        person_name="赵安全",
        entered_at=start,
        exited_at=start + dt.timedelta(hours=8),
        underground_minutes=480,
        fingerprint="a",
    )
    assert zero_shift_leaders_underground(created) == {"赵安全": True, "钱机电": False}


def test_handover_two_hours_early_is_recorded_and_late_ones_flagged(county, campaign):
    shift = dt.datetime(2024, 12, 1, 16, 0, tzinfo=SHANGHAI)
    record = lambda **kw: services.dispatch_handover_record(  # noqa: E731
        actor=county.mine1_officer,
        mine=county.mine1,
        shift="middle",
        shift_starts_at=shift,
        dispatcher="调度员 马丽",
        tasks="3105 工作面割煤 6 刀",
        **kw,
    )
    early = record(dispatched_at=shift - dt.timedelta(hours=2, minutes=10))
    assert early.early_enough and early.lead_minutes == 130
    late = record(dispatched_at=shift - dt.timedelta(minutes=50))
    assert not late.early_enough
    with pytest.raises(DomainError, match="跟班领导"):
        record(dispatched_at=shift - dt.timedelta(hours=3), tight_schedule=True)
    record(
        dispatched_at=shift - dt.timedelta(hours=3),
        tight_schedule=True,
        following_leader="孙队长",
        leader_notified_at=shift - dt.timedelta(hours=3),
    )
    with pytest.raises(DomainError, match="晚于接班时间"):
        record(dispatched_at=shift + dt.timedelta(minutes=5))
    assert control_flags(user=county.mine1_officer, today=TODAY)["late_handovers"] == 1
    progress = RequirementProgress.objects.get(organization=county.mine1, requirement__code="3.3.e")
    assert progress.status == "in_progress" and "1 次提前不足 2 小时" in progress.note


def test_flags_reach_the_mine_and_bureau_dashboards(client, api_client, county, campaign):
    services.positioning_import(
        actor=county.mine1_officer, mine=county.mine1, upload=sample_csv(), only_valid_rows=True
    )
    # The sample's trips are from November 2024; the dashboards count the last 30 days of the tests' today.
    for user, expected in ((county.inspector, "2"), (county.mine1_officer, "2"), (county.mine2_officer, "0")):
        client.force_login(user)
        html = client.get("/dashboard/").content.decode()
        assert f'data-figure="over_underground">{expected}<' in html, user
    client.force_login(county.mine1_officer)
    assert 'data-figure="over_time">3<' in client.get("/").content.decode()  # the home page: 3 trips, each once
    api_client.force_authenticate(county.ent1_officer)
    controls = api_client.get("/api/v1/dashboard/").json()["controls"]
    assert (controls["over_underground"], controls["over_face"], controls["over_time"]) == (2, 1, 3)
    api_client.force_authenticate(county.mine2_officer)
    assert api_client.get("/api/v1/positioning-records/").json()["count"] == 0
    api_client.force_authenticate(county.mine1_officer)
    listing = api_client.get("/api/v1/positioning-records/?over=any").json()
    assert {r["person_name"] for r in listing["results"]} == {"李卫东", "赵强", "王海"}


def test_zero_shift_and_handover_through_the_api(api_client, county, campaign):
    api_client.force_authenticate(county.mine1_officer)
    body = {
        "mine": county.mine1.pk,
        "shift_date": "2024-12-03",
        "leader_one": "赵安全",
        "leader_two": "钱机电",
        "tasks": [{"location": "2401 工作面", "content": "揭煤作业"}],
    }
    refused = api_client.post("/api/v1/zero-shift-plans/", body, format="json")
    assert refused.status_code == 400 and "揭煤作业" in refused.json()["tasks"][0]
    body["tasks"] = [{"location": "2401 工作面", "content": "割煤、支护"}]
    created = api_client.post("/api/v1/zero-shift-plans/", body, format="json")
    assert created.status_code == 201 and created.json()["tasks"] == [
        {"location": "2401 工作面", "content": "割煤、支护"}
    ]
    body["mine"] = county.mine2.pk
    assert api_client.post("/api/v1/zero-shift-plans/", body, format="json").status_code == 400
    handover = api_client.post(
        "/api/v1/dispatch-handovers/",
        {
            "mine": county.mine1.pk,
            "shift": "middle",
            "shift_starts_at": "2024-12-01T16:00:00+08:00",
            "dispatched_at": "2024-12-01T14:30:00+08:00",
            "dispatcher": "马丽",
            "tasks": "割煤 6 刀",
        },
        format="json",
    )
    assert handover.status_code == 201 and handover.json()["early_enough"] is False
    assert handover.json()["lead_minutes"] == 90


def test_positioning_export_imports_back(client, county, campaign):
    from tests.core.test_isolation_walk import text_of

    services.positioning_import(
        actor=county.mine1_officer, mine=county.mine1, upload=sample_csv(), only_valid_rows=True
    )
    client.force_login(county.inspector)
    response = client.get("/workforce/positioning/export/?over=any")
    text = text_of(response)
    assert "李卫东" in text and "赵强" in text and "王海" in text and "孙明" not in text
    assert "10小时35分" in text and "出入井超10小时" in text
    # The export, corrected in Excel, goes back in: every trip is already there.
    response = client.get("/workforce/positioning/export/?over=any")  # the first answer's stream was read above
    body = b"".join(response.streaming_content) if response.streaming else response.content
    again = services.positioning_import(
        actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("export.xlsx", body)
    )
    assert (again.created, again.skipped, again.errors) == (0, 3, [])
    client.force_login(county.mine2_officer)
    assert "李卫东" not in text_of(client.get("/workforce/positioning/export/"))


def test_the_monthly_report_is_prefilled_with_the_controls(county, campaign):
    from reporting.figures import FIGURE_LABELS, ledger_figures

    services.positioning_import(
        actor=county.mine1_officer, mine=county.mine1, upload=sample_csv(), only_valid_rows=True
    )
    november = {"start": dt.date(2024, 11, 1), "end": dt.date(2024, 11, 30)}
    figures = ledger_figures(organization=county.mine1, **november)
    assert (figures["trips_underground"], figures["trips_over_time"]) == (6, 3)
    assert ledger_figures(organization=county.ent1, **november)["trips_over_time"] == 3  # the enterprise sums its mines
    assert ledger_figures(organization=county.mine2, **november)["trips_over_time"] == 0
    assert FIGURE_LABELS["trips_over_time"] == "超时下井（人次）"


@pytest.mark.parametrize(
    ("raw", "minutes"),
    [
        ("7:45", 465),
        ("07:45:00", 465),
        ("7小时45分", 465),
        ("8小时25分钟", 505),
        ("465分钟", 465),
        ("7.5小时", 450),
        ("7h45m", 465),
        ("6.5", 390),
        ("0.5", 30),
        ("480", 480),
        (0.3229, 465),
        (7, 420),
        (dt.time(7, 45), 465),
        (dt.timedelta(hours=25), 1500),
    ],
)
def test_durations_as_positioning_systems_write_them(raw, minutes):
    from workforce.services.positioning import parse_duration

    assert parse_duration(raw) == minutes


@pytest.mark.parametrize("raw", ["abc", "-3", "nan", "inf", "7:", "小时"])
def test_durations_that_are_not_refused_in_chinese(raw):
    from workforce.services.positioning import parse_duration

    with pytest.raises(ValueError, match="时长"):
        parse_duration(raw)


@pytest.mark.parametrize(
    ("raw", "moment"),
    [
        ("2024-11-12 23:40", dt.datetime(2024, 11, 12, 23, 40)),
        ("2024/11/12 8:05:30", dt.datetime(2024, 11, 12, 8, 5)),
        ("2024年11月12日 23时40分", dt.datetime(2024, 11, 12, 23, 40)),
        ("2024-11-12T07:40:00", dt.datetime(2024, 11, 12, 7, 40)),
        ("23:40", dt.time(23, 40)),
        (45608.5, dt.datetime(2024, 11, 12, 12, 0)),
        (0.25, dt.time(6, 0)),
    ],
)
def test_moments_as_positioning_systems_write_them(raw, moment):
    from workforce.services.positioning import parse_moment

    assert parse_moment(raw) == moment


@pytest.mark.parametrize("raw", ["2024-02-30 08:00", "25:00", "昨天", "11-12 08:00"])
def test_moments_that_are_not_refused_in_chinese(raw):
    from workforce.services.positioning import parse_moment

    with pytest.raises(ValueError, match="不是有效时间"):
        parse_moment(raw)


def test_a_positioning_import_is_a_batch_that_can_be_undone(county, campaign):
    from core.models import ImportBatch

    officer, mine = county.mine1_officer, county.mine1
    preview = services.positioning_import(
        actor=officer, mine=mine, upload=sample_csv(), only_valid_rows=True, dry_run=True
    )
    assert preview.created == 6 and not PositioningRecord.objects.exists()
    result = services.positioning_import(actor=officer, mine=mine, upload=sample_csv(), only_valid_rows=True)
    batch = ImportBatch.objects.get(pk=result.batch_id)
    assert (batch.kind, batch.created_count, batch.error_rows) == ("positioning", 6, 3)
    services.positioning_import_undo(actor=officer, batch_id=batch.pk)
    assert not PositioningRecord.objects.exists()
    face = RequirementProgress.objects.filter(
        organization=mine, requirement__campaign=campaign, requirement__code="3.3.a"
    )
    assert not face.exists() or face.get().figure in (None, 0)  # the task item follows the ledger back
