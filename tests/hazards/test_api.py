import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from hazards.models import Hazard
from tests.factories import HazardFactory

from .xlsx import workbook_upload

pytestmark = pytest.mark.django_db


def test_api_list_fields_filters_and_isolation(api_client, county):
    mine_hazard = HazardFactory(mine=county.mine1, due_on=dt.date.today() - dt.timedelta(days=2))
    HazardFactory(mine=county.mine1, level="major", status="closed")
    theirs = HazardFactory(mine=county.mine2)
    api_client.force_authenticate(county.mine1_officer)
    data = api_client.get("/api/v1/hazards/").json()
    assert data["count"] == 2
    row = next(r for r in data["results"] if r["id"] == mine_hazard.pk)
    for field in (
        "id",
        "mine",
        "campaign",
        "source",
        "found_on",
        "location",
        "description",
        "level",
        "major_category",
        "measures",
        "responsible_person",
        "due_on",
        "funds",
        "status",
        "overdue",
    ):
        assert field in row
    assert row["overdue"] is True and row["days_overdue"] == 2
    assert row["status_display"] == "待整改"
    assert [r["id"] for r in api_client.get("/api/v1/hazards/", {"overdue": "true"}).json()["results"]] == [
        mine_hazard.pk
    ]
    assert api_client.get("/api/v1/hazards/", {"level": "major", "status": "closed"}).json()["count"] == 1
    assert api_client.get(f"/api/v1/hazards/{theirs.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/hazards/{theirs.pk}/submit-for-acceptance/").status_code == 404
    assert api_client.get("/api/v1/hazards/", {"mine": county.mine2.pk}).status_code == 400


@pytest.mark.parametrize("rows", [3, 50])
def test_api_list_query_count_does_not_grow(api_client, county, rows, django_assert_max_num_queries):
    HazardFactory.create_batch(rows, mine=county.mine1)
    api_client.force_authenticate(county.inspector)
    with django_assert_max_num_queries(3):
        assert api_client.get("/api/v1/hazards/", {"page_size": 100}).status_code == 200


def test_api_actions_walk_the_status_machine(api_client, county, general_fields):
    api_client.force_authenticate(county.mine1_officer)
    payload = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in general_fields.items()}
    created = api_client.post("/api/v1/hazards/", {**payload, "mine": county.mine1.pk}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    response = api_client.post(f"/api/v1/hazards/{pk}/submit-for-acceptance/", {}, format="json")
    assert response.json()["status"] == "awaiting_acceptance"
    api_client.force_authenticate(county.ent1_officer)  # the one who asked does not accept (test_four_eyes.py)
    assert api_client.post(f"/api/v1/hazards/{pk}/reject/", {}, format="json").status_code == 400
    response = api_client.post(f"/api/v1/hazards/{pk}/reject/", {"reason": "不合格"}, format="json")
    assert response.json()["status"] == "rectifying"
    api_client.force_authenticate(county.mine1_officer)
    api_client.post(f"/api/v1/hazards/{pk}/submit-for-acceptance/", {}, format="json")
    api_client.force_authenticate(county.ent1_officer)
    assert api_client.post(f"/api/v1/hazards/{pk}/accept/", {}, format="json").json()["status"] == "closed"
    refused = api_client.post(f"/api/v1/hazards/{pk}/accept/", {}, format="json")
    assert refused.status_code == 409  # the state forbids it (was 400 before issue 17)
    assert "已销号" in refused.json()["detail"]


def test_api_refuses_bad_input_with_chinese_messages(api_client, county):
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post("/api/v1/hazards/", {"mine": county.mine2.pk, "found_on": "昨天"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "mine" in body and "found_on" in body and "location" in body
    response = api_client.post(
        "/api/v1/hazards/",
        {
            "mine": county.mine1.pk,
            "found_on": "2024-11-03",
            "source": "team_daily",
            "location": "a",
            "description": "b",
            "level": "major",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "重大事故隐患" in str(response.json())


def test_leader_cannot_write_by_api(api_client, county, general_fields):
    hazard = HazardFactory(mine=county.mine1, status="awaiting_acceptance")
    api_client.force_authenticate(county.leader)
    assert api_client.post(f"/api/v1/hazards/{hazard.pk}/accept/", {}, format="json").status_code == 403
    payload = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in general_fields.items()}
    assert api_client.post("/api/v1/hazards/", {**payload, "mine": county.mine1.pk}, format="json").status_code == 403
    assert Hazard.objects.get().status == "awaiting_acceptance"


def test_api_import_and_export(api_client, county, sample_ledger):
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post("/api/v1/hazards/import/", {"file": sample_ledger}, format="multipart")
    assert response.status_code == 201
    answer = response.json()
    assert {k: answer[k] for k in ("created", "skipped", "total_rows", "errors")} == {
        "created": 12,
        "skipped": 0,
        "total_rows": 12,
        "errors": [],
    }
    assert answer["batch"] and answer["warnings"]  # the batch to undo; the sample's dates are outside any campaign

    bad = workbook_upload([[1, "2024-11-03", "无此类型", "地点", "内容", "顶板", "一般", "", "", "", ""]])
    response = api_client.post("/api/v1/hazards/import/", {"file": bad}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "row": 4,
            "column": "排查类型",
            "message": "排查类型“无此类型”无法识别，可选："
            "班组日查、科队周查、企业月查、集团季查、县局执法检查、上级检查、举报。",
        }
    ]

    response = api_client.get("/api/v1/hazards/export/", {"level": "major"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sorted(r[3] for r in ws.iter_rows(min_row=4, values_only=True)) == ["2402工作面", "井田东翼"]


def test_api_import_needs_a_mine_for_bureau_users(api_client, county, sample_ledger):
    api_client.force_authenticate(county.inspector)
    response = api_client.post("/api/v1/hazards/import/", {"file": sample_ledger}, format="multipart")
    assert response.status_code == 400
    assert "mine" in response.json()


def test_inspections_api(api_client, county):
    api_client.force_authenticate(county.inspector)
    response = api_client.post(
        "/api/v1/inspections/",
        {"mine": county.mine1.pk, "inspected_on": dt.date.today().isoformat(), "mode": "four_no_two_direct"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["inspectors"] == [county.inspector.pk]
    api_client.force_authenticate(county.mine2_officer)
    assert api_client.get("/api/v1/inspections/").json()["count"] == 0
    api_client.force_authenticate(county.mine1_officer)
    assert api_client.get("/api/v1/inspections/").json()["count"] == 1
    response = api_client.post(
        "/api/v1/inspections/",
        {"mine": county.mine1.pk, "inspected_on": dt.date.today().isoformat(), "mode": "covert"},
        format="json",
    )
    assert response.status_code == 403  # a mine officer may not record a bureau inspection
