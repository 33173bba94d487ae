"""警示教育 coverage against a known roster, training archives, certificates and their warnings."""

import datetime as dt
from decimal import Decimal

import pytest

from campaign.models import RequirementProgress
from campaign.progress import progress_update
from core.errors import DomainError
from notifications.models import Notification
from workforce import services
from workforce.models import Certificate, Person, WorkUnit
from workforce.selectors import warning_coverage
from workforce.sweeps import sweep_certificates

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def build_roster(county):
    """东峰煤矿: 2 main leaders, 3 managers, workshops 综采队 (teams 一班, 二班) and 机电队 (team 三班), and
    a dispatched worker."""
    officer, mine = county.mine1_officer, county.mine1
    unit = lambda kind, name, workshop=None: services.work_unit_create(  # noqa: E731
        actor=officer, mine=mine, kind=kind, name=name, workshop=workshop
    )
    r = {"综采队": unit("workshop", "综采队"), "机电队": unit("workshop", "机电队")}
    r["一班"] = unit("team", "综采一班", r["综采队"])
    r["二班"] = unit("team", "综采二班", r["综采队"])
    r["三班"] = unit("team", "机电三班", r["机电队"])
    person = lambda name, role, u=None, **kw: services.person_create(  # noqa: E731
        actor=officer, mine=mine, name=name, role=role, unit=u, **kw
    )
    r["矿长"] = person("王矿长", "main_leader")
    r["书记"] = person("李书记", "main_leader")
    r["安全矿长"] = person("赵安全", "manager")
    r["机电矿长"] = person("钱机电", "manager")
    r["队长"] = person("孙队长", "manager", r["综采队"])
    r["工人"] = person("周工人", "worker", r["一班"])
    r["派遣"] = person("吴派遣", "worker", r["三班"], employment="dispatched", employer="晋城某劳务公司", post="支护工")
    return r


def session(county, **kw):
    fields = {
        "kind": "warning_education",
        "held_on": TODAY - dt.timedelta(days=3),
        "topic": "吸取事故教训 筑牢安全防线",
        "case_one": "山西某矿“8·12”顶板事故",
        "lecturer_name": "安全科 周伟",
    }
    return services.training_session_record(actor=county.mine1_officer, mine=county.mine1, **{**fields, **kw})


def test_coverage_of_a_known_roster(county, campaign):
    r = build_roster(county)
    coverage = warning_coverage(mine=county.mine1, start=campaign.starts_on, end=campaign.ends_on)
    assert coverage["percent"] == 0 and coverage["sessions"] == 0
    # The main leader's lecture: the mayor lectures, the second main leader and the 一班 attend.
    session(
        county,
        kind="main_leader_lecture",
        lecturer=r["矿长"],
        lecturer_name="",
        units=[r["一班"]],
        attendees=[r["书记"]],
    )
    coverage = warning_coverage(mine=county.mine1, start=campaign.starts_on, end=campaign.ends_on)
    assert coverage["main_leaders"] == {"covered": 2, "total": 2, "percent": 100, "missing": []}
    assert coverage["teams"]["covered"] == 1 and set(coverage["teams"]["missing"]) == {"综采二班", "机电三班"}
    assert coverage["workshops"]["covered"] == 1  # 综采队, through its team
    assert coverage["workshops"]["missing"] == ["机电队"]
    assert coverage["percent"] == 33  # the weakest: 1 of 3 teams
    # A worker of 机电三班 attends a warning session: 三班 and 机电队 are covered; 二班 is still missing.
    session(county, attendees=[r["派遣"]])
    coverage = warning_coverage(mine=county.mine1, start=campaign.starts_on, end=campaign.ends_on)
    assert (coverage["teams"]["covered"], coverage["workshops"]["covered"]) == (2, 2)
    assert coverage["percent"] == 67
    # A general training does not count for the warning education's coverage.
    session(county, kind="training", case_one="", units=[r["二班"]])
    assert warning_coverage(mine=county.mine1, start=campaign.starts_on, end=campaign.ends_on)["percent"] == 67
    session(county, units=[r["二班"]], case_two="河南某矿“3·25”透水事故")
    coverage = warning_coverage(mine=county.mine1, start=campaign.starts_on, end=campaign.ends_on)
    assert coverage["percent"] == 100
    assert coverage["managers"]["covered"] == 0  # reported, not part of the notice's three
    # Another mine's sessions never count.
    assert warning_coverage(mine=county.mine2)["percent"] is None


def test_progress_items_follow_the_records(county, campaign):
    r = build_roster(county)
    item = lambda code: RequirementProgress.objects.get(  # noqa: E731
        organization=county.mine1, requirement__campaign=campaign, requirement__code=code
    )
    session(county, kind="main_leader_lecture", lecturer=r["矿长"], lecturer_name="", units=[r["一班"]])
    assert item("1.1.c").status == "done" and item("1.1.c").figure == 1
    assert item("1.1.b").status == "not_started"
    assert item("1.1.d").status == "in_progress" and item("1.1.d").figure == 33
    assert "机电三班" in item("1.1.d").note
    assert item("1.1.d").evidence_url == f"/workforce/coverage/?mine={county.mine1.pk}"
    assert item("1.1.a").figure == 1 and "8·12" in item("1.1.a").note
    everyone = [r[k] for k in ("书记", "安全矿长", "机电矿长", "队长", "工人", "派遣")]
    session(county, units=[r["二班"], r["三班"]], attendees=everyone, case_two="河南某矿透水事故")
    assert item("1.1.d").status == "done" and item("1.1.d").figure == 100
    assert item("1.1.a").figure == 2 and item("1.1.a").meets_target
    assert item("2.2.b").status == "done"  # every person on the roster has a record
    assert item("2.2.e").status == "done" and item("2.2.e").figure == 100
    assert item("1.1.b").filled_from_records
    # The officer no longer fills them in by hand.
    with pytest.raises(DomainError, match="自动填写"):
        progress_update(
            actor=county.mine1_officer,
            organization=county.mine1,
            requirement=item("1.1.b").requirement,
            status="not_started",
        )


def test_session_rules(county, campaign):
    r = build_roster(county)
    with pytest.raises(DomainError, match="典型事故案例"):
        session(county, case_one="", units=[r["一班"]])
    with pytest.raises(DomainError, match="主要负责人授课"):
        session(county, kind="main_leader_lecture", lecturer=r["安全矿长"], units=[r["一班"]])
    with pytest.raises(DomainError, match="班组/车间或参加人员"):
        session(county)
    with pytest.raises(DomainError, match="晚于今天"):
        session(county, held_on=TODAY + dt.timedelta(days=1), units=[r["一班"]])
    other = services.person_create(actor=county.mine2_officer, mine=county.mine2, name="外矿人员")
    with pytest.raises(DomainError, match="本矿名册"):
        session(county, attendees=[other])
    with pytest.raises(DomainError, match="不能"):
        services.training_session_record(
            actor=county.mine2_officer,
            mine=county.mine1,
            kind="training",
            held_on=TODAY,
            topic="x",
            lecturer_name="x",
            units=[r["一班"]],
        )
    with pytest.raises(DomainError, match="所属单位"):
        services.person_create(actor=county.mine1_officer, mine=county.mine1, name="外包", employment="outsourced")


def test_certificates_warn_before_and_after_expiry(county, campaign, time_machine):
    r = build_roster(county)
    soon = services.certificate_record(
        actor=county.mine1_officer,
        person=r["工人"],
        kind="electrical",
        number="T1401",
        expires_on=TODAY + dt.timedelta(days=20),
    )
    services.certificate_record(
        actor=county.mine1_officer,
        person=r["派遣"],
        kind="welding",
        number="T2",
        expires_on=TODAY + dt.timedelta(days=300),
    )
    with pytest.raises(DomainError, match="已登记过"):
        services.certificate_record(
            actor=county.mine1_officer, person=r["队长"], kind="electrical", number="T1401", expires_on=TODAY
        )
    assert sweep_certificates(today=TODAY) == 1  # the mine's officer
    assert sweep_certificates(today=TODAY) == 0  # once
    notice = Notification.objects.filter(recipient=county.mine1_officer).get()
    assert "周工人" in notice.title and "即将到期" in notice.title
    assert sweep_certificates(today=soon.expires_on + dt.timedelta(days=1)) == 1
    assert Notification.objects.filter(recipient=county.mine1_officer, title__contains="已过期").count() == 1
    assert Certificate.objects.expired(soon.expires_on + dt.timedelta(days=1)).get() == soon
    assert not Notification.objects.filter(recipient=county.mine2_officer).exists()


def test_pages_show_the_records_and_the_progress_links_to_them(client, county, campaign):
    r = build_roster(county)
    session(county, units=[r["一班"]], attendees=[r["派遣"]])
    client.force_login(county.mine1_officer)
    html = client.get(f"/campaigns/{campaign.pk}/progress/").content.decode()
    assert "按记录自动填写" in html and f'href="/workforce/coverage/?mine={county.mine1.pk}"' in html
    coverage = client.get(f"/workforce/coverage/?mine={county.mine1.pk}").content.decode()
    assert "综采二班" in coverage and "王矿长" in coverage  # named as not covered yet
    archive = client.get(f"/workforce/people/{r['派遣'].pk}/").content.decode()
    assert "吸取事故教训" in archive and "晋城某劳务公司" in archive
    assert "尚无培训记录" in client.get(f"/workforce/people/{r['矿长'].pk}/").content.decode()
    listing = client.get("/workforce/people/?employment=not_own").content.decode()
    assert "吴派遣" in listing and "周工人" not in listing
    client.force_login(county.mine2_officer)
    assert client.get(f"/workforce/people/{r['派遣'].pk}/").status_code == 404
    assert client.get(f"/workforce/coverage/?mine={county.mine1.pk}").status_code == 404


def test_session_form_and_lists_keep_their_query_count(client, county, campaign, django_assert_max_num_queries):
    r = build_roster(county)
    client.force_login(county.mine1_officer)
    response = client.post(
        "/workforce/sessions/new/",
        {
            "kind": "warning_education",
            "held_on": "2024-11-28",
            "topic": "警示教育",
            "case_one": "某矿顶板事故",
            "lecturer_name": "周伟",
            "units": [r["一班"].pk, r["二班"].pk],
        },
    )
    assert response.status_code == 302
    missing = client.post(
        "/workforce/sessions/new/",
        {
            "kind": "warning_education",
            "held_on": "2024-11-28",
            "topic": "x",
            "lecturer_name": "x",
            "units": [r["一班"].pk],
        },
    )
    assert "典型事故案例" in missing.content.decode()
    for n in range(30):
        session(county, topic=f"培训{n}", units=[r["三班"]], attendees=[r["工人"], r["派遣"]])
    for url in ("/workforce/sessions/", "/workforce/people/", "/workforce/certificates/", "/workforce/units/"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    client.force_login(county.inspector)
    for url in ("/api/v1/training-sessions/", "/api/v1/people/", "/workforce/sessions/"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_the_coverage_page_queries_do_not_grow_with_mines(client, county, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MineFactory

    build_roster(county)
    client.force_login(county.inspector)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/workforce/coverage/").status_code == 200
    for i in range(8):
        mine = MineFactory(name=f"加测煤矿{i}", parent=county.ent2)
        WorkUnit.objects.create(mine=mine, kind="team", name="一班")
        Person.objects.create(mine=mine, name=f"矿长{i}", role="main_leader")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/workforce/coverage/").content.decode()
    assert "加测煤矿7" in html and "东峰煤矿" in html
    assert len(many) == len(few) <= 16  # 3 mines or 11: the same queries


def test_major_hazard_standard_taught_and_examined(client, county, campaign):
    r = build_roster(county)
    item = lambda code: RequirementProgress.objects.get(  # noqa: E731
        organization=county.mine1, requirement__campaign=campaign, requirement__code=code
    )
    exam = session(
        county,
        kind="training",
        case_one="",
        topic="煤矿重大事故隐患判定标准",
        covers_major_hazard_standard=True,
        pass_mark=Decimal(80),
        attendees=[r["工人"], r["派遣"], r["队长"]],
    )
    assert item("2.2.d").status == "in_progress"  # taught, not yet examined
    with pytest.raises(DomainError, match="0 到 100"):
        services.training_scores_record(actor=county.mine1_officer, session=exam, scores={r["工人"].pk: Decimal(120)})
    with pytest.raises(DomainError, match="0 到 100"):
        services.training_scores_record(actor=county.mine1_officer, session=exam, scores={r["工人"].pk: Decimal("NaN")})
    with pytest.raises(DomainError, match="参加该培训"):
        services.training_scores_record(actor=county.mine1_officer, session=exam, scores={r["矿长"].pk: Decimal(90)})
    client.force_login(county.mine1_officer)
    response = client.post(
        f"/workforce/sessions/{exam.pk}/scores/",
        {f"score_{r['工人'].pk}": "92", f"score_{r['派遣'].pk}": "55.5", f"score_{r['队长'].pk}": ""},
    )
    assert response.status_code == 302
    assert item("2.2.d").status == "done" and "考核 2 人次" in item("2.2.d").note
    for bad in ("NaN", "九十", "1e999"):  # refused with a message, the scores kept
        response = client.post(f"/workforce/sessions/{exam.pk}/scores/", {f"score_{r['工人'].pk}": bad}, follow=True)
        assert response.status_code == 200 and exam.attendance.get(person=r["工人"]).score == 92
    html = client.get(f"/workforce/sessions/{exam.pk}/").content.decode()
    assert html.count("须脱产重新培训") == 2  # the heading and 吴派遣's row
    # The failed worker attends an off-duty retraining afterwards.
    session(county, kind="retraining", case_one="", topic="重新培训", attendees=[r["派遣"]])
    html = client.get(f"/workforce/sessions/{exam.pk}/").content.decode()
    assert "不合格，已脱产重新培训" in html
    client.force_login(county.mine2_officer)
    client.post(f"/workforce/sessions/{exam.pk}/scores/", {f"score_{r['工人'].pk}": "10"})
    assert exam.attendance.get(person=r["工人"]).score == 92


def test_inspection_exams_fill_in_item_2_2_f(county, campaign):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hazards import services as hz

    inspection = hz.inspection_create(actor=county.inspector, mine=county.mine1, inspected_on=TODAY, mode="open")
    progress = lambda: RequirementProgress.objects.get(  # noqa: E731
        organization=county.mine1, requirement__campaign=campaign, requirement__code="2.2.f"
    )
    hz.exam_record(actor=county.inspector, inspection=inspection, person_name="孙伟", post="电工", score=95)
    assert progress().status == "done"
    failed = hz.exam_record(actor=county.inspector, inspection=inspection, person_name="周涛", post="支护工", score=60)
    assert progress().status == "in_progress" and progress().figure == 1
    hz.exam_retraining_complete(
        actor=county.mine1_officer,
        exam=failed,
        retrained_on=TODAY,
        note="脱产培训 3 天",
        evidence=SimpleUploadedFile("签到.pdf", b"%PDF-1.4 x"),
    )
    assert progress().status == "done" and "均已完成脱产培训" in progress().note
