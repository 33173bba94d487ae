"""The 人员名册 as mines keep it in Excel: units created, roles read from posts, bad rows by number, all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.ledger_import import ImportRejected
from workforce import services
from workforce.models import Person, WorkUnit

pytestmark = pytest.mark.django_db

HEADER = ["序号", "姓名", "工号", "职务", "所在科队", "班组", "用工性质", "所属单位"]
ROWS = [
    [1, "王强", "0001", "矿长", "", "", "正式工", ""],
    [2, "李明", "0002", "安全副矿长", "", "", "正式工", ""],
    [3, "赵刚", "0101", "综采队长", "综采队", "", "合同工", ""],
    [4, "孙伟", "0102", "采煤机司机", "综采队", "综采一班", "正式工", ""],
    [5, "周涛", "0103", "支护工", "综采队", "综采二班", "劳务派遣", "晋城某劳务公司"],
    [6, "吴军", "0201", "电工", "机电队", "机电一班", "外包", ""],  # bad: no employer
    [7, "郑平", "0202", "电工", "机电队", "机电一班", "借调", "x"],  # bad: unknown 用工性质
]


def roster(rows=ROWS):
    wb = Workbook()
    ws = wb.active
    ws.append(["东峰煤矿从业人员花名册"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    ws.append(["合计", "7人"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("花名册.xlsx", buffer.getvalue())


def test_roster_import(county):
    officer, mine = county.mine1_officer, county.mine1
    with pytest.raises(ImportRejected) as rejected:
        services.roster_import(actor=officer, mine=mine, upload=roster())
    assert [(e.row, e.column) for e in rejected.value.errors] == [(8, "所属单位"), (9, "用工性质")]
    assert not Person.objects.exists() and not WorkUnit.objects.exists()

    result = services.roster_import(actor=officer, mine=mine, upload=roster(), only_valid_rows=True)
    assert (result.created, result.total_rows, len(result.errors)) == (5, 7, 2)
    roles = dict(Person.objects.values_list("name", "role"))
    assert roles == {"王强": "main_leader", "李明": "manager", "赵刚": "manager", "孙伟": "worker", "周涛": "worker"}
    zhou = Person.objects.get(name="周涛")
    assert (zhou.employment, zhou.employer, zhou.unit.name, zhou.unit.workshop.name) == (
        "dispatched",
        "晋城某劳务公司",
        "综采二班",
        "综采队",
    )
    assert set(WorkUnit.objects.values_list("kind", "name")) == {
        ("workshop", "综采队"),
        ("team", "综采一班"),
        ("team", "综采二班"),
    }
    assert zhou.history.first().history_user == officer  # the audit trail names who imported
    again = services.roster_import(actor=officer, mine=mine, upload=roster(ROWS[:5]))
    assert (again.created, again.skipped) == (0, 5)


def test_roster_import_page_and_api(client, api_client, county):
    import re

    client.force_login(county.mine1_officer)
    preview = client.post("/workforce/people/import/", {"step": "upload", "file": roster(), "only_valid_rows": "on"})
    assert "第 8 行" in preview.content.decode() and not Person.objects.exists()
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    response = client.post("/workforce/people/import/", {"step": "confirm", "token": token, "only_valid_rows": "on"})
    assert "新增 5 条" in response.content.decode() and "第 8 行" in response.content.decode()
    api_client.force_authenticate(county.ent1_officer)
    answer = api_client.post(
        "/api/v1/people/import/", {"file": roster(ROWS[:2]), "mine": county.mine2.pk}, format="multipart"
    )
    assert answer.status_code == 201 and answer.json()["created"] == 2
    refused = api_client.post("/api/v1/people/import/", {"file": roster(), "mine": county.mine3.pk}, format="multipart")
    assert refused.status_code == 400 and not Person.objects.filter(mine=county.mine3).exists()


def test_roster_export_imports_back(client, county):
    from tests.core.test_isolation_walk import text_of

    services.roster_import(actor=county.mine1_officer, mine=county.mine1, upload=roster(ROWS[:5]))
    client.force_login(county.mine1_officer)
    response = client.get("/workforce/people/export/")
    text = text_of(response)
    assert "周涛" in text and "劳务派遣人员" in text and "综采二班" in text
    response = client.get("/workforce/people/export/")  # the first answer's stream was read above
    body = b"".join(response.streaming_content) if response.streaming else response.content
    again = services.roster_import(
        actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("名册.xlsx", body)
    )
    assert (again.created, again.skipped, again.errors) == (0, 5, [])


def test_editing_a_person_can_take_them_out_of_a_team(client, county):
    services.roster_import(actor=county.mine1_officer, mine=county.mine1, upload=roster(ROWS[:5]))
    zhou = Person.objects.get(name="周涛")
    client.force_login(county.mine1_officer)
    response = client.post(
        f"/workforce/people/{zhou.pk}/edit/",
        {
            "name": "周涛",
            "employee_no": "0103",
            "role": "worker",
            "post": "支护工",
            "unit": "",
            "employment": "staff",
            "employer": "晋城某劳务公司",
            "is_active": "",
            "row_version": zhou.row_version,
        },
    )
    assert response.status_code == 302
    zhou.refresh_from_db()
    assert (zhou.unit, zhou.employment, zhou.employer, zhou.is_active) == (None, "staff", "", False)
    assert zhou.history.first().history_user == county.mine1_officer
