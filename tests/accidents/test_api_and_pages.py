"""The register through the API, the pages, the export and the import: the contract's fields, the same visibility
(mine A never sees or edits mine B's accidents, nor its report file), investigations for every path that records."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from accidents import services
from accidents.models import Accident, Investigation
from tests.factories import running_campaign
from tests.hazards.xlsx import workbook_upload

from .helpers import moment, record

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 report"
HEADERS = [
    "序号",
    "发生时间",
    "发生地点",
    "事故类别",
    "死亡",
    "重伤",
    "轻伤",
    "直接经济损失（元）",
    "事故经过",
    "报告人",
    "报告县局时间",
]


@pytest.fixture
def campaign(county):
    return running_campaign(bureau=county.bureau, starts_on=dt.date.today() - dt.timedelta(days=30))


@pytest.fixture
def two(county, campaign):
    a = record(county.mine1_officer, county.mine1, description="标记A事故")
    b = record(county.mine2_officer, county.mine2, description="标记B事故", late_minutes=90)
    services.investigation_update(actor=county.inspector, investigation=b.investigation, findings="支护不及时")
    services.investigation_close(
        actor=county.inspector,
        investigation=b.investigation,
        closed_on=dt.date.today(),
        report=SimpleUploadedFile("B调查报告.pdf", PDF),
    )
    return a, Accident.objects.get(pk=b.pk)


def test_the_contract_fields(api_client, county, two):
    a, _ = two
    api_client.force_authenticate(county.mine1_officer)
    data = api_client.get("/api/v1/accidents/").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert {"id", "mine", "occurred_at", "kind", "deaths", "injuries"} <= set(row)
    assert (row["id"], row["mine"], row["kind"], row["deaths"], row["injuries"]) == (
        a.pk,
        county.mine1.pk,
        "roof",
        0,
        1,
    )
    assert row["late"] is False and row["investigation"] == a.investigation.pk


def test_mine_a_cannot_see_or_edit_mine_bs_accidents(api_client, client, county, two):
    a, b = two
    report = b.investigation.report
    api_client.force_authenticate(county.mine1_officer)
    assert api_client.get(f"/api/v1/accidents/{b.pk}/").status_code == 404
    assert api_client.patch(f"/api/v1/accidents/{b.pk}/", {"place": "改"}, format="json").status_code == 404
    assert api_client.delete(f"/api/v1/accidents/{b.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/accident-investigations/{b.investigation.pk}/").status_code == 404
    created = api_client.post("/api/v1/accidents/", _body(county.mine2), format="json")
    assert created.status_code == 400 and "mine" in created.json()
    client.force_login(county.mine1_officer)
    for url in (
        f"/accidents/{b.pk}/",
        f"/accidents/{b.pk}/edit/",
        f"/accidents/reports/{report.pk}/",
        f"/accidents/investigations/{b.investigation.pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/accidents/{b.pk}/delete/").status_code == 404
    page = client.get("/accidents/").content.decode()
    assert "标记A事故" in page and "标记B事故" not in page
    book = load_workbook(io.BytesIO(b"".join(client.get("/accidents/export/").streaming_content)))
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row)
    assert "标记A事故" in cells and "标记B事故" not in cells
    assert Accident.objects.get(pk=b.pk).place == b.place


def test_the_bureau_sees_its_county_and_the_report(api_client, client, county, two):
    a, b = two
    api_client.force_authenticate(county.inspector)
    assert api_client.get("/api/v1/accidents/").json()["count"] == 2
    api_client.force_authenticate(county.other_inspector)
    assert api_client.get("/api/v1/accidents/").json()["count"] == 0
    client.force_login(county.ent1_officer)
    response = client.get(f"/accidents/reports/{b.investigation.report.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(county.inspector)
    assert "迟报" in client.get(f"/accidents/{b.pk}/").content.decode()


def _body(mine, **extra):
    at = moment(1)
    return {
        "mine": mine.pk,
        "occurred_at": at.isoformat(),
        "place": "主运输大巷",
        "kind": "transport",
        "minor_injuries": 1,
        "description": "矿车掉道挤伤",
        "reporter_name": "王强",
        "reported_at": (at + dt.timedelta(hours=2)).isoformat(),
        **extra,
    }


def test_recorded_through_the_api_it_has_its_investigation_and_is_late(api_client, county, campaign):
    api_client.force_authenticate(county.ent1_officer)
    response = api_client.post("/api/v1/accidents/", _body(county.mine2), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["late"] is True and data["injuries"] == 1 and data["investigation"]
    investigation = api_client.get(f"/api/v1/accident-investigations/{data['investigation']}/").json()
    assert investigation["lead_level"] == "city" and investigation["status"] == "open"


def test_api_refusals(api_client, county, campaign):
    accident = record(county.mine1_officer, county.mine1)
    api_client.force_authenticate(county.leader)
    assert api_client.post("/api/v1/accidents/", _body(county.mine1), format="json").status_code == 403
    api_client.force_authenticate(county.mine1_officer)
    assert api_client.delete(f"/api/v1/accidents/{accident.pk}/").status_code == 409
    url = f"/api/v1/accident-investigations/{accident.investigation.pk}/"
    assert api_client.patch(url, {"findings": "x"}, format="json").status_code == 403
    bad = api_client.post("/api/v1/accidents/", _body(county.mine1, deaths=-1), format="json")
    assert bad.status_code == 400 and "deaths" in bad.json()
    api_client.force_authenticate(county.inspector)
    assert (
        api_client.patch(url, {"findings": "原因", "lead_organization": "晋城市应急管理局"}, format="json").status_code
        == 200
    )
    close = api_client.post(f"{url}close/", {"closed_on": str(dt.date.today())}, format="multipart")
    assert close.status_code == 400
    close = api_client.post(
        f"{url}close/",
        {"closed_on": str(dt.date.today()), "report": SimpleUploadedFile("r.pdf", PDF)},
        format="multipart",
    )
    assert close.status_code == 200 and close.json()["status"] == "closed" and close.json()["report_url"]
    assert api_client.patch(url, {"findings": "改"}, format="json").status_code == 409


def _ledger(*rows):
    return workbook_upload(list(rows), headers=HEADERS, title="东峰煤矿事故台账", name="事故台账.xlsx")


def _row(n, when, reported, place="1301工作面"):
    return [n, when, place, "顶板", 0, 0, 1, 2000, "片帮伤人", "李明", reported]


def test_import_through_the_api_opens_investigations_and_flags_late(api_client, county, campaign):
    day = dt.date.today() - dt.timedelta(days=3)
    old = dt.date.today() - dt.timedelta(days=60)
    upload = _ledger(
        _row(1, f"{day} 08:30", f"{day} 09:00"),
        _row(2, f"{day} 14:00", f"{day} 16:10", place="2号煤仓"),
        _row(3, f"{old} 10:00", f"{old} 10:20", place="老巷"),
    )
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post("/api/v1/accidents/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 3
    accidents = {a.place: a for a in Accident.objects.filter(mine=county.mine1)}
    assert not accidents["1301工作面"].late and accidents["2号煤仓"].late
    assert Investigation.objects.filter(accident__in=[accidents["1301工作面"], accidents["2号煤仓"]]).count() == 2
    assert not Investigation.objects.filter(accident=accidents["老巷"]).exists()  # before the campaign
    again = api_client.post(
        "/api/v1/accidents/import/", {"file": _ledger(_row(1, f"{day} 08:30", f"{day} 09:00"))}, format="multipart"
    )
    assert again.json()["created"] == 0 and again.json()["skipped"] == 1


def test_import_uses_the_forms_rules(api_client, county, campaign):
    day = dt.date.today() - dt.timedelta(days=3)
    upload = _ledger(_row(1, f"{day} 08:30", f"{day} 07:00"), _row(2, f"{day}", f"{day} 09:00", place="x"))
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post("/api/v1/accidents/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    messages = {(e["row"], e["message"]) for e in response.json()["errors"]}
    assert (4, "报告时间不能早于事故发生时间。") in messages
    assert any(row == 5 and "时间" in message for row, message in messages)
    assert not Accident.objects.exists()


def test_the_pages(client, county, campaign):
    client.force_login(county.mine1_officer)
    assert "事故台账" in client.get("/").content.decode()  # the nav entry
    at = moment(1).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/accidents/new/",
        {
            "occurred_at": at,
            "place": "1301工作面",
            "kind": "roof",
            "deaths": 0,
            "serious_injuries": 0,
            "minor_injuries": 1,
            "description": "片帮伤人",
            "reporter_name": "李明",
            "reported_at": at,
        },
    )
    accident = Accident.objects.get()
    assert response.status_code == 302 and response.url == f"/accidents/{accident.pk}/"
    assert accident.mine == county.mine1 and accident.investigation.is_open
    page = client.get(response.url).content.decode()
    assert "提级调查" in page and "设区的市级" in page and "删除" not in page and "上传调查报告并结案" not in page
    assert client.post(f"/accidents/{accident.pk}/delete/").status_code == 409
    bad = client.post(
        f"/accidents/{accident.pk}/edit/",
        {
            "occurred_at": at,
            "reported_at": at,
            "place": "",
            "kind": "roof",
            "deaths": 0,
            "serious_injuries": 0,
            "minor_injuries": 1,
            "description": "x",
            "reporter_name": "x",
            "row_version": 1,
        },
    )
    assert bad.status_code == 200 and "请填写发生地点" in bad.content.decode() or "必填" in bad.content.decode()
    client.force_login(county.leader)
    assert client.get("/accidents/new/").status_code == 403
    assert client.get("/accidents/").status_code == 200
    client.force_login(county.inspector)
    page = client.get(f"/accidents/{accident.pk}/").content.decode()
    assert "上传调查报告并结案" in page
    response = client.post(
        f"/accidents/investigations/{accident.investigation.pk}/edit/",
        {
            "lead_level": "city",
            "lead_organization": "晋城市应急管理局",
            "team": "",
            "findings": "支护不及时",
            "responsible_persons": "",
            "measures": "",
            "row_version": 1,
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/accidents/investigations/{accident.investigation.pk}/close/",
        {"closed_on": str(dt.date.today()), "report": SimpleUploadedFile("报告.pdf", PDF)},
    )
    assert response.status_code == 302
    assert Investigation.objects.get().status == "closed"


@pytest.mark.parametrize("size", [2, 12])
def test_list_and_api_queries_do_not_grow(client, api_client, county, campaign, size, django_assert_max_num_queries):
    for i in range(size):
        record(county.inspector, county.mine1 if i % 2 else county.mine2, place=f"{i}号工作面", days_ago=i % 5 + 1)
    client.force_login(county.inspector)
    api_client.force_authenticate(county.inspector)
    with django_assert_max_num_queries(14):
        assert client.get("/accidents/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api_client.get("/api/v1/accidents/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api_client.get("/api/v1/accident-investigations/").status_code == 200
