import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.ledger_import import ImportRejected
from tests.hazards.xlsx import table_rows, workbook_upload
from violations.models import Violation
from violations.services import violations_import

pytestmark = pytest.mark.django_db

HEADERS = [
    "序号",
    "日期",
    "班次",
    "姓名",
    "工种",
    "所在单位",
    "班组",
    "违章地点",
    "违章行为",
    "三违类别",
    "性质",
    "查处人",
    "处罚情况",
]


def test_sample_ledger_imports_every_row_with_the_right_values(county, sample_violations):
    result = violations_import(actor=county.mine1_officer, mine=county.mine1, upload=sample_violations)
    assert (result.created, result.total_rows, result.errors) == (8, 8, [])
    people = {v.person_name: v for v in Violation.objects.filter(mine=county.mine1)}
    assert len(people) == 8
    v = people["张永"]
    assert v.occurred_on == dt.date(2024, 11, 22)
    assert (v.shift, v.post, v.department, v.team) == ("middle", "掘进工", "掘进一队", "掘进一队3班")
    assert v.location == "1203掘进工作面"
    assert v.description == "空顶作业，未执行敲帮问顶"
    assert (v.type, v.severity) == ("operation", "serious")
    assert (v.fine, v.suspension_days, v.retraining) == (Decimal("200"), 3, True)
    assert v.penalty_note == "罚款200元，停工学习3天"
    assert v.found_by_name == "安检科 周伟" and v.found_by == "self"
    assert v.mentoring == "已帮教"
    assert (people["李强"].type, people["李强"].shift) == ("command", "night")
    assert (people["杨辉"].type, people["杨辉"].shift) == ("discipline", "zero")
    assert (people["王小平"].fine, people["王小平"].suspension_days) == (Decimal("50"), None)
    again = violations_import(actor=county.mine1_officer, mine=county.mine1, upload=sample_violations)
    assert (again.created, again.skipped) == (0, 8)


def test_bad_rows_reported_and_nothing_written(county):
    upload = workbook_upload(
        [
            [
                1,
                "2024-11-21",
                "早班",
                "王小平",
                "采煤机司机",
                "综采一队",
                "3班",
                "2401",
                "未开喷雾",
                "违章作业",
                "一般",
                "安检科",
                "罚款50元",
            ],
            [
                2,
                "2024-11-31",
                "早班",
                "张永",
                "掘进工",
                "掘进一队",
                "3班",
                "1203",
                "空顶作业",
                "违章作业",
                "严重",
                "安检科",
                "",
            ],
            [
                3,
                "2024-11-22",
                "白夜班",
                "",
                "掘进工",
                "掘进一队",
                "3班",
                "1203",
                "空顶作业",
                "乱来",
                "严重",
                "安检科",
                "",
            ],
        ],
        headers=HEADERS,
    )
    with pytest.raises(ImportRejected) as caught:
        violations_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    got = {(e.row, e.column) for e in caught.value.errors}
    assert got == {(5, "日期"), (6, "班次"), (6, "姓名"), (6, "三违类别")}
    assert not Violation.objects.exists()
    result = violations_import(actor=county.mine1_officer, mine=county.mine1, upload=upload, only_valid_rows=True)
    assert result.created == 1


def test_export_round_trip(client, county, sample_violations):
    violations_import(actor=county.mine1_officer, mine=county.mine1, upload=sample_violations)
    client.force_login(county.mine1_officer)
    response = client.get("/violations/export/")
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content)).active
    assert "“三违”人员台账" in ws["A1"].value
    assert ws.freeze_panes == "A4"
    result = violations_import(
        actor=county.mine2_officer, mine=county.mine2, upload=SimpleUploadedFile("x.xlsx", content)
    )
    assert result.created == 8 and result.errors == []
    fields = [
        "occurred_on",
        "shift",
        "person_name",
        "post",
        "department",
        "team",
        "location",
        "description",
        "type",
        "severity",
        "found_by",
        "found_by_name",
        "fine",
        "suspension_days",
        "penalty_note",
        "mentoring",
    ]
    before = list(Violation.objects.filter(mine=county.mine1).order_by("person_name").values(*fields))
    after = list(Violation.objects.filter(mine=county.mine2).order_by("person_name").values(*fields))
    assert after == before


def test_api_import_and_export(api_client, county, sample_violations):
    api_client.force_authenticate(county.ent1_officer)
    response = api_client.post(
        "/api/v1/violations/import/", {"file": sample_violations, "mine": county.mine2.pk}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["created"] == 8
    response = api_client.post(
        "/api/v1/violations/import/", {"file": sample_violations, "mine": county.mine3.pk}, format="multipart"
    )
    assert response.status_code == 400  # not its mine
    response = api_client.get("/api/v1/violations/export/", {"severity": "serious"})
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert len(table_rows(ws)) == 5
