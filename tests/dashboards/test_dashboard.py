"""A known county with exact counts: every figure of the dashboard and the API, scoped per user."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from openpyxl import load_workbook

from hazards.services import exam_record, inspection_create
from hazards.services.suspected import suspected_major_record_many
from reporting import services as reporting
from tests.factories import HazardFactory, MineFactory, ViolationFactory
from violations.services import tipoff_handle, tipoff_submit
from workforce.models import Certificate, Person, PositioningRecord

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 12, 10)  # enforcement phase (11-26 … 01-20)
NOW = dt.datetime(2024, 12, 10, 4, tzinfo=dt.UTC)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def known_county(county, campaign, deadlines):
    with time_machine.travel(NOW, tick=False):
        m1, m2, m3 = county.mine1, county.mine2, county.mine3
        past, future = TODAY - dt.timedelta(days=5), TODAY + dt.timedelta(days=5)
        H = HazardFactory
        # mine1: 2 open (1 overdue), 1 rectifying, 1 awaiting, 2 closed general; 1 open major
        H(mine=m1, status="open", due_on=past, specialty="water", location="水仓")
        H(mine=m1, status="open", due_on=future, specialty="roof", location="2401")
        H(mine=m1, status="rectifying", due_on=future, specialty="roof")
        H(mine=m1, status="awaiting_acceptance", due_on=future, specialty="ventilation")
        H(mine=m1, status="closed", due_on=past, accepted_on=past, specialty="roof")
        H(mine=m1, status="closed", due_on=past, accepted_on=past, specialty="roof")
        H(
            mine=m1,
            status="open",
            level="major",
            due_on=future,
            specialty="ventilation",
            contingency_plan="x",
            source="bureau_inspection",
            location="1105掘进面",
        )
        m1.status = "suspended"
        m1.save()
        # an inspection finding at a place the mine had listed itself before: not a self-check gap
        H(
            mine=m1,
            status="open",
            due_on=future,
            source="bureau_inspection",
            location="2401",
            found_on=TODAY - dt.timedelta(days=1),
        )
        # mine2: 1 open general, 1 closed major
        H(mine=m2, status="open", due_on=future, specialty="electromechanical")
        H(
            mine=m2,
            status="closed",
            level="major",
            due_on=past,
            accepted_on=past,
            specialty="mining",
            contingency_plan="x",
        )
        # mine3 (another enterprise): 3 overdue
        for _ in range(3):
            H(mine=m3, status="rectifying", due_on=past, specialty="transport")
        # another bureau: never counted
        for _ in range(5):
            H(mine=county.other_mine, status="open", due_on=past)

        month = TODAY.replace(day=2)
        ViolationFactory(mine=m1, occurred_on=month, type="command", severity="serious")
        ViolationFactory(mine=m1, occurred_on=month, type="operation")
        ViolationFactory(mine=m3, occurred_on=month, type="discipline", severity="serious")
        ViolationFactory(mine=m1, occurred_on=dt.date(2024, 11, 20), type="operation")  # last month
        ViolationFactory(mine=county.other_mine, occurred_on=month)

        i1 = inspection_create(
            actor=county.inspector, mine=m1, inspected_on=dt.date(2024, 12, 2), mode="four_no_two_direct"
        )
        inspection_create(actor=county.inspector, mine=m3, inspected_on=dt.date(2024, 12, 3), mode="covert")
        inspection_create(actor=county.inspector, mine=m3, inspected_on=dt.date(2024, 11, 20), mode="open")  # phase 2
        exam_record(actor=county.inspector, inspection=i1, person_name="甲", post="电工", score=90)
        exam_record(actor=county.inspector, inspection=i1, person_name="乙", post="电工", score=50)

        tipoff_submit(bureau=county.bureau, category="violation", content="井下有人吸烟，没有人管。")
        closed = tipoff_submit(bureau=county.bureau, category="hazard", content="皮带保护失效很久了。")
        tipoff_handle(actor=county.inspector, tipoff=closed, status="closed", public_reply="已查实整改")

        plan = dict.fromkeys(("goals", "organization", "measures_1", "measures_2", "measures_3", "measures_4"), "x")
        s = reporting.submission_open(actor=county.mine2_officer, deadline=deadlines["work_plan"])
        reporting.submission_save(actor=county.mine2_officer, submission=s, narrative=plan)
        reporting.submission_submit(
            actor=county.mine2_officer, submission=s, now=dt.datetime(2024, 10, 30, tzinfo=SHANGHAI)
        )
    return county


def api_dashboard(api_client, user):
    api_client.force_authenticate(user)
    with time_machine.travel(NOW, tick=False):
        response = api_client.get("/api/v1/dashboard/")
    assert response.status_code == 200
    return response.json()


def test_bureau_figures_are_exact(api_client, known_county):
    d = api_dashboard(api_client, known_county.inspector)
    assert d["phase"] == "部门精准执法阶段" and d["phase_days_left"] == 41
    assert d["hazards"] == {
        "total": 13,
        "open": 5,
        "rectifying": 4,
        "awaiting_acceptance": 1,
        "closed": 3,
        "not_closed": 10,
        "general": 11,
        "major": 2,
        "major_open": 1,
        "overdue": 4,
    }
    assert {s["label"]: s["count"] for s in d["hazards_by_specialty"]} == {
        "防治水": 1,
        "顶板": 5,
        "通风": 2,
        "机电": 1,
        "采掘": 1,
        "运输": 3,
    }
    assert [m["name"] for m in d["suspended_mines"]] == ["东峰煤矿"]
    assert d["suspended_mines"][0]["major_open"] == 1
    assert d["violations_month"] == {
        "total": 3,
        "command": 1,
        "operation": 1,
        "discipline": 1,
        "severity_general": 1,
        "severity_serious": 2,
    }
    assert d["bulletin_duty"] == {"period": "2024-12", "cases": 0, "required": 2, "met": False}
    assert d["inspections_total"] == 2  # this phase only
    assert {m["label"]: m["count"] for m in d["inspections_by_mode"]}["暗访"] == 1
    assert d["exams"] == {"total": 2, "failed": 1, "retraining_open": 1}
    assert d["reports_waiting"] == 1
    assert d["review_queue"] == 1
    assert [(g["mine"], g["missed"], g["missed_major"]) for g in d["self_check_gaps"]] == [("东峰煤矿", 1, 1)]
    ranking = {r["mine"]: r for r in d["ranking"]}
    # mine1: 1 major open ×10 + 1 overdue ×3 + 5 general open ×1 + 1 serious ×2 + late/missing 3 deadlines ×2
    assert ranking["东峰煤矿"]["score"] == 10 + 3 + 5 + 2 + 2 * 3
    assert ranking["北坡煤矿"]["score"] == 3 * 3 + 3 * 1 + 1 * 2 + 2 * 3
    assert ranking["西岭煤矿"]["late_or_missing"] == 2  # sent the work plan on time
    assert [r["mine"] for r in d["ranking"]][0] == "东峰煤矿"
    assert "外县煤矿" not in ranking
    assert d["major_series"][-1] == {"date": "2024-12-10", "open_major": 1}


def test_enterprise_figures_count_only_its_own_mines(api_client, known_county):
    d = api_dashboard(api_client, known_county.ent1_officer)
    assert d["hazards"]["total"] == 10 and d["hazards"]["overdue"] == 1
    assert d["violations_month"]["total"] == 2
    assert d["inspections_total"] == 1
    assert d["exams"]["total"] == 2
    assert {r["mine"] for r in d["ranking"]} == {"东峰煤矿", "西岭煤矿"}
    assert d["reports_waiting"] is None and d["review_queue"] is None and d["bulletin_duty"] is None
    mine = api_dashboard(api_client, known_county.mine3_officer)
    assert mine["hazards"]["total"] == 3 and [r["mine"] for r in mine["ranking"]] == ["北坡煤矿"]


def test_dashboard_page_shows_the_same_figures_with_links(client, known_county):
    client.force_login(known_county.inspector)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/dashboard/")
    html = response.content.decode()
    assert 'data-figure="hazards_open">10<' in html
    assert 'data-figure="hazards_overdue">4<' in html
    assert 'data-figure="major_open">1<' in html
    assert 'data-figure="review_queue">1<' in html
    assert 'data-figure="reports_waiting">1<' in html
    assert 'href="/hazards/?overdue=true"' in html
    assert 'href="/hazards/?level=major&amp;active=true"' in html
    assert "风险分 = 未销号重大隐患×10" in html


def test_charts_data(api_client, known_county):
    api_client.force_authenticate(known_county.inspector)
    with time_machine.travel(NOW, tick=False):
        c = api_client.get("/api/v1/dashboard/charts/").json()
    assert [p["name"] for p in c["timeline"]["phases"]][2] == "部门精准执法阶段"
    assert c["timeline"]["today"] == "2024-12-10"
    by_ent = {r["enterprise"]: r for r in c["by_enterprise"]}
    assert by_ent["晋阳煤业集团"] == {
        "enterprise": "晋阳煤业集团",
        "total": 10,
        "closed": 3,
        "rate": 30.0,
        "overdue": 1,
    }
    assert by_ent["华泰能源"]["overdue"] == 3
    months = dict(zip(c["violations_monthly"]["months"], range(10), strict=False))
    operation = next(s for s in c["violations_monthly"]["series"] if s["type"] == "违章作业")["data"]
    assert operation[months["2024年11月"]] == 1 and operation[months["2024年12月"]] == 1
    work_plan = c["on_time"][0]
    assert work_plan == {"deadline": "报送工作方案", "owed": 5, "on_time": 1, "late": 0, "missing": 4, "rate": 20.0}
    four_no = {r["mine"]: r for r in c["four_no"]}
    assert four_no["东峰煤矿"]["met"] is False and "“三违”3人次" in four_no["东峰煤矿"]["reasons"]
    assert len(c["progress_by_section"]) == 4


@pytest.mark.parametrize("extra", [0, 25])
def test_dashboard_queries_do_not_grow_with_mines_and_records(
    client, api_client, known_county, extra, django_assert_max_num_queries
):
    for i in range(extra):
        mine = MineFactory(name=f"加测煤矿{i}", parent=known_county.ent2)
        HazardFactory.create_batch(3, mine=mine, due_on=TODAY - dt.timedelta(days=1))
        reads_major = HazardFactory(mine=mine, description="回风巷甲烷传感器超限后不能断电")
        assert suspected_major_record_many(hazard_ids=[reads_major.pk]) == 1  # a 疑似重大隐患 待核实 per mine
        ViolationFactory(mine=mine, occurred_on=TODAY)
        entered = NOW - dt.timedelta(days=2)
        PositioningRecord.objects.create(
            mine=mine,
            person_name="张三",
            entered_at=entered,
            exited_at=entered + dt.timedelta(hours=11),
            underground_minutes=660,
            over_underground=True,
            fingerprint=str(i),
        )
        person = Person.objects.create(mine=mine, name=f"李{i}")
        Certificate.objects.create(mine=mine, person=person, kind="electrical", number=str(i), expires_on=TODAY)
    client.force_login(known_county.inspector)
    api_client.force_authenticate(known_county.inspector)
    with time_machine.travel(NOW, tick=False):
        # +2 for the accidents and open 提级调查 (accidents.selectors.accident_overview); the data +2 more for 四无's
        # register figures and the monthly reports due (charts.four_no); +1 for the campaigns running today (the
        # switcher, campaign.templatetags.campaigns); +2 for the 疑似重大隐患 待核实 grouped per mine (the ranking's,
        # 自查不实's)
        with django_assert_max_num_queries(30):
            assert client.get("/dashboard/").status_code == 200
        with django_assert_max_num_queries(26):
            assert api_client.get("/api/v1/dashboard/").status_code == 200
        with django_assert_max_num_queries(47):
            assert client.get("/dashboard/data/").status_code == 200
        with django_assert_max_num_queries(32):
            assert client.get("/dashboard/screen/").status_code == 200


def test_export_has_every_table(client, known_county):
    client.force_login(known_county.inspector)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/dashboard/export/")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == [
        "隐患",
        "特殊时段管控",
        "停产整顿",
        "风险排名",
        "自查不实",
        "各主体整改率",
        "按期报送",
        "任务落实",
        "四无目标",
    ]
    assert wb["停产整顿"].cell(3, 1).value == "东峰煤矿"  # title, headers, then the rows
    assert [r[0] for r in wb["特殊时段管控"].iter_rows(min_row=3, values_only=True)][0] == "出入井超10小时（人次）"
    assert wb["风险排名"].cell(3, 1).value == "东峰煤矿"


def test_self_check_gap_list_and_isolation(client, known_county):
    client.force_login(known_county.ent1_officer)
    html = client.get(f"/dashboard/gaps/{known_county.mine1.pk}/").content.decode()
    assert "1105掘进面" in html  # found by the inspection, never listed by the mine
    assert "<td>2401</td>" not in html  # the mine had listed 2401 itself before the inspection
    client.force_login(known_county.mine2_officer)
    assert "1105掘进面" not in client.get(f"/dashboard/gaps/{known_county.mine1.pk}/").content.decode()


def test_figures_are_cached_per_organisation_for_the_configured_time(api_client, known_county, settings):
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    first = api_dashboard(api_client, known_county.inspector)
    HazardFactory(mine=known_county.mine1, status="open")
    assert api_dashboard(api_client, known_county.inspector)["hazards"]["total"] == first["hazards"]["total"]
    # another organisation has its own figures
    assert api_dashboard(api_client, known_county.ent1_officer)["hazards"]["total"] == 11
    cache.clear()
    assert api_dashboard(api_client, known_county.inspector)["hazards"]["total"] == first["hazards"]["total"] + 1


def test_the_control_labels_print_the_figures_in_force(client, known_county, campaign, django_assert_max_num_queries):
    # The page and its workbook say the limits of the campaign running today (here 11 h / 9 h / 3 h), read in the
    # query that loads the campaign: the page's query cap above stays as it was.
    from campaign.models import RecordEvidence, Requirement

    limits = {RecordEvidence.UNDERGROUND_TIME: ("target_max", 11), RecordEvidence.FACE_TIME: ("target_max", 9)}
    limits[RecordEvidence.DISPATCH_HANDOVERS] = ("target_min", 3)
    for evidence, (field, value) in limits.items():
        Requirement.objects.filter(campaign=campaign, level="item", evidence=evidence).update(**{field: value})
    client.force_login(known_county.inspector)
    with time_machine.travel(NOW, tick=False):
        with django_assert_max_num_queries(30):  # with the campaign switcher's query (and the two of 疑似重大隐患)
            html = client.get("/dashboard/").content.decode()
        response = client.get("/dashboard/export/")
    assert "出入井超11小时" in html and "工作面超9小时" in html and "交接班提前不足3小时" in html
    assert "超10小时" not in html and "超8小时" not in html and "不足2小时" not in html
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["特殊时段管控"]
    labels = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert {"出入井超11小时（人次）", "工作面超9小时（人次）", "调度交接班提前不足3小时（次）"} <= set(labels)


def test_the_control_labels_say_the_notice_figures_by_default(client, known_county):
    client.force_login(known_county.inspector)
    with time_machine.travel(NOW, tick=False):
        html = client.get("/dashboard/").content.decode()
    assert "出入井超10小时" in html and "工作面超8小时" in html and "交接班提前不足2小时" in html


def test_the_review_tile_counts_what_the_user_reviews_not_the_countys_own_report_upward(api_client, known_county):
    """待审核报送 is the user's review queue (the list its tile opens): the county's own report to the city, which the
    city reviews, is not the county inspector's to review."""
    from campaign.models import Deadline
    from reporting.models import Submission, SubmissionStatus

    deadline = Deadline.objects.filter(campaign__bureau=known_county.bureau).order_by("pk").first()
    Submission.objects.create(deadline=deadline, organization=known_county.bureau, status=SubmissionStatus.SUBMITTED)
    assert api_dashboard(api_client, known_county.inspector)["review_queue"] == 1  # the mine's work plan alone
