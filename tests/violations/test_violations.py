import datetime as dt

import pytest
import time_machine

from core.errors import DomainError
from tests.factories import ViolationFactory
from violations import services
from violations.models import Violation

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_create_sets_found_by_from_the_role_and_refuses_others(county, violation_fields):
    v = services.violation_create(actor=county.mine1_officer, mine=county.mine1, **violation_fields)
    assert v.found_by == "self"
    v2 = services.violation_create(
        actor=county.inspector, mine=county.mine1, **{**violation_fields, "person_name": "另一人"}
    )
    assert v2.found_by == "bureau"
    for actor in (county.mine2_officer, county.leader, county.other_inspector):
        with pytest.raises(DomainError):
            services.violation_create(actor=actor, mine=county.mine1, **{**violation_fields, "person_name": "x"})
    with pytest.raises(DomainError, match="请勿重复登记"):
        services.violation_create(actor=county.mine1_officer, mine=county.mine1, **violation_fields)
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.violation_create(
            actor=county.mine1_officer,
            mine=county.mine1,
            **{**violation_fields, "occurred_on": TODAY + dt.timedelta(1)},
        )


def test_backtrack_flag_after_seven_days_until_all_three_are_done(county):
    shanghai = dt.timezone(dt.timedelta(hours=8))
    v = ViolationFactory(mine=county.mine1, occurred_on=dt.date(2030, 3, 1))
    officer = county.mine1_officer
    with time_machine.travel(dt.datetime(2030, 3, 8, 12, tzinfo=shanghai), tick=False):
        assert not v.backtrack_overdue()  # day 7 is still in time
        assert not Violation.objects.backtrack_overdue().exists()
    with time_machine.travel(dt.datetime(2030, 3, 9, 12, tzinfo=shanghai), tick=False):
        assert v.backtrack_overdue()
        assert list(Violation.objects.backtrack_overdue()) == [v]
        services.backtrack_record(
            actor=officer, violation=v, kind="training", finding="未专项培训", done_on=dt.date(2030, 3, 9)
        )
        services.backtrack_record(actor=officer, violation=v, kind="warning_education", finding="缺席警示教育")
        with pytest.raises(DomainError, match="已倒查过"):
            services.backtrack_record(actor=officer, violation=v, kind="training", finding="again")
        assert Violation.objects.backtrack_overdue().exists()
        services.backtrack_record(actor=officer, violation=v, kind="mutual_protection", finding="互保未落实")
        v.refresh_from_db()
        assert v.backtracks_completed_on == dt.date(2030, 3, 9)
        assert not v.backtrack_overdue()
        assert not Violation.objects.backtrack_overdue().exists()


def test_backtrack_rules(county):
    v = ViolationFactory(mine=county.mine1, occurred_on=TODAY - dt.timedelta(days=3))
    with pytest.raises(DomainError, match="倒查结论"):
        services.backtrack_record(actor=county.mine1_officer, violation=v, kind="training", finding="  ")
    with pytest.raises(DomainError, match="发生之后"):
        services.backtrack_record(
            actor=county.mine1_officer, violation=v, kind="training", finding="x", done_on=TODAY - dt.timedelta(days=5)
        )
    with pytest.raises(DomainError):
        services.backtrack_record(actor=county.mine2_officer, violation=v, kind="training", finding="x")
    services.backtrack_record(actor=county.ent1_officer, violation=v, kind="training", finding="ok")


def test_accountability_holds_the_unit_leader_and_the_deputy_and_the_main_leader_is_optional(county):
    """四(四)3 asks the 科队长 and the 分管负责人 for a 三违, serious or not; the main leader answers only for a major
    hazard found by a higher department (hazards.LeaderReview), so a serious 三违 is closed without it."""
    serious = ViolationFactory(mine=county.mine1, severity="serious")
    kwargs = {
        "unit_leader_name": "掘进一队队长 赵刚",
        "unit_leader_action": "扣罚绩效 500 元",
        "deputy_name": "生产副矿长 钱进",
        "deputy_review": "向矿长办公会作书面检查",
    }
    with pytest.raises(DomainError, match="分管负责人"):
        services.violation_accountability_record(
            actor=county.mine1_officer, violation=serious, **{**kwargs, "deputy_review": " "}
        )
    record = services.violation_accountability_record(actor=county.mine1_officer, violation=serious, **kwargs)
    assert record.main_leader_action == ""
    serious.refresh_from_db()
    assert serious.accountability_recorded_on == dt.date.today()
    assert not serious.accountability_overdue(dt.date.today() + dt.timedelta(days=365))
    assert (record.unit_leader_name, record.deputy_name, record.recorded_by) == (
        "掘进一队队长 赵刚",
        "生产副矿长 钱进",
        county.mine1_officer,
    )
    general = ViolationFactory(mine=county.mine1)
    services.violation_accountability_record(actor=county.mine1_officer, violation=general, **kwargs)
    # Recording again updates the one record.
    services.violation_accountability_record(
        actor=county.mine1_officer, violation=general, **{**kwargs, "deputy_review": "补充检查"}
    )
    general.refresh_from_db()
    assert general.accountability.deputy_review == "补充检查"


def test_only_the_bureau_marks_typical_cases(county):
    v = ViolationFactory(mine=county.mine1)
    with pytest.raises(DomainError, match="县局执法人员"):
        services.violation_mark_typical(actor=county.mine1_officer, violation=v)
    services.violation_mark_typical(actor=county.inspector, violation=v, reason="典型")
    v.refresh_from_db()
    assert v.typical and v.typical_reason == "典型"


def test_pages_isolate_mines_and_flag_overdue_backtracks(client, county):
    mine = ViolationFactory(mine=county.mine1, person_name="张永", occurred_on=TODAY - dt.timedelta(days=10))
    theirs = ViolationFactory(mine=county.mine2, person_name="外矿人")
    client.force_login(county.mine1_officer)
    html = client.get("/violations/").content.decode()
    assert "张永" in html and "外矿人" not in html
    assert "超期未完成" in html
    assert client.get(f"/violations/{theirs.pk}/").status_code == 404
    assert client.post(f"/violations/{theirs.pk}/backtracks/", {"kind": "training"}).status_code == 404
    html = client.get(f"/violations/{mine.pk}/").content.decode()
    assert "已超期" in html
    html = client.get("/violations/", {"backtrack_overdue": "false"}).content.decode()
    assert "张永" not in html


def test_backtrack_and_accountability_through_the_page(client, county):
    v = ViolationFactory(mine=county.mine1, severity="serious")
    client.force_login(county.mine1_officer)
    response = client.post(
        f"/violations/{v.pk}/backtracks/",
        {"kind": "training", "finding": "未培训", "done_on": TODAY.isoformat()},
        follow=True,
    )
    assert v.backtracks.count() == 1
    assert "倒查已登记" in response.content.decode()
    response = client.post(f"/violations/{v.pk}/backtracks/", {"finding": "缺倒查类别"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/violations/{v.pk}/"
    assert "倒查内容：该字段是必填项；倒查日期：该字段是必填项。" in response.content.decode()
    assert v.backtracks.count() == 1
    response = client.post(
        f"/violations/{v.pk}/accountability/",
        {"unit_leader_name": "赵", "unit_leader_action": "扣罚", "deputy_name": "钱", "deputy_review": ""},
        follow=True,
    )
    assert "分管负责人作检查情况：该字段是必填项" in response.content.decode()
    from violations.models import ViolationAccountability

    assert not ViolationAccountability.objects.filter(violation=v).exists()  # refused: nothing half-saved
    # A serious 三违 is answered by its 科队长 and 分管负责人; the main leader's handling is optional.
    response = client.post(
        f"/violations/{v.pk}/accountability/",
        {"unit_leader_name": "赵", "unit_leader_action": "扣罚", "deputy_name": "钱", "deputy_review": "检查"},
        follow=True,
    )
    assert "问责情况已保存" in response.content.decode()
    assert ViolationAccountability.objects.get(violation=v).main_leader_action == ""
    client.force_login(county.inspector)
    client.post(f"/violations/{v.pk}/typical/", {"typical": "on", "reason": "典型"})
    assert Violation.objects.get(pk=v.pk).typical


def test_person_history_shows_repeat_offences(client, county):
    first = ViolationFactory(
        mine=county.mine1, person_name="马斌", description="未戴自救器", occurred_on=TODAY - dt.timedelta(30)
    )
    ViolationFactory(mine=county.mine1, person_name="马斌", description="睡岗")
    ViolationFactory(mine=county.mine2, person_name="马斌", description="别矿同名")
    client.force_login(county.mine1_officer)
    html = client.get(f"/violations/{first.pk}/").content.decode()
    assert "睡岗" in html and "别矿同名" not in html


@pytest.mark.parametrize("rows", [3, 40])
def test_list_page_and_api_query_counts_do_not_grow(client, api_client, county, rows, django_assert_max_num_queries):
    ViolationFactory.create_batch(rows, mine=county.mine1)
    client.force_login(county.inspector)
    with django_assert_max_num_queries(7):
        assert client.get("/violations/", {"severity": "general"}).status_code == 200
    api_client.force_authenticate(county.inspector)
    with django_assert_max_num_queries(3):
        assert api_client.get("/api/v1/violations/", {"page_size": 100}).status_code == 200


def test_api_fields_isolation_and_create(api_client, county, violation_fields):
    ViolationFactory(mine=county.mine1)
    theirs = ViolationFactory(mine=county.mine2)
    api_client.force_authenticate(county.mine1_officer)
    data = api_client.get("/api/v1/violations/").json()
    assert data["count"] == 1
    row = data["results"][0]
    for field in (
        "id",
        "mine",
        "occurred_at",
        "person_name",
        "team",
        "department",
        "type",
        "severity",
        "description",
        "typical",
    ):
        assert field in row
    assert api_client.get(f"/api/v1/violations/{theirs.pk}/").status_code == 404
    payload = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in violation_fields.items()}
    response = api_client.post("/api/v1/violations/", {**payload, "mine": county.mine1.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["occurred_at"].startswith(payload["occurred_on"])
    assert (
        api_client.post("/api/v1/violations/", {**payload, "mine": county.mine2.pk}, format="json").status_code == 400
    )


def test_violation_found_at_an_inspection_is_linked_to_it(client, county, violation_fields):
    from hazards.services import inspection_create

    inspection = inspection_create(actor=county.inspector, mine=county.mine1, inspected_on=TODAY, mode="covert")
    client.force_login(county.inspector)
    form = client.get(f"/violations/new/?inspection={inspection.pk}").content.decode()
    assert "来自检查" in form
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in violation_fields.items()}
    client.post(
        "/violations/new/", {**data, "inspection": inspection.pk, "mine": county.mine1.pk, "found_by": "bureau"}
    )
    violation = Violation.objects.get()
    assert violation.inspection == inspection and violation.found_by == "bureau"
    assert "零点班安排检修动火作业" in client.get(f"/inspections/{inspection.pk}/").content.decode()
