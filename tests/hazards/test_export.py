import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from hazards import services
from hazards.exports import hazard_ledger_workbook
from hazards.models import Hazard
from hazards.services import hazards_import
from tests.factories import HazardFactory
from tests.hazards.xlsx import table_rows

pytestmark = pytest.mark.django_db

COMPARED = [
    "found_on",
    "source",
    "location",
    "description",
    "specialty",
    "level",
    "grade",
    "major_category_id",
    "measures",
    "funds",
    "responsible_unit",
    "responsible_person",
    "due_on",
    "contingency_plan",
    "status",
    "rectified_on",
    "accepted_by_name",
    "accepted_on",
    "note",
]


def export_bytes(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/hazards/export/{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_export_round_trip_gives_the_same_hazards(client, county, sample_ledger, major_fields):
    hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=sample_ledger)
    services.hazard_create(actor=county.inspector, mine=county.mine1, **major_fields)
    HazardFactory(mine=county.mine1, grade="B", note='=HYPERLINK("http://x")', funds=Decimal("12.50"))
    before = list(Hazard.objects.filter(mine=county.mine1).order_by("found_on", "location").values(*COMPARED))

    content = export_bytes(client, county.mine1_officer)
    result = hazards_import(
        actor=county.mine2_officer, mine=county.mine2, upload=SimpleUploadedFile("export.xlsx", content)
    )
    assert result.errors == []
    assert result.created == len(before) == 14
    after = list(Hazard.objects.filter(mine=county.mine2).order_by("found_on", "location").values(*COMPARED))
    assert after == before


def test_export_layout_is_what_a_county_office_expects(client, county):
    HazardFactory(mine=county.mine1, found_on=dt.date(2024, 11, 3), due_on=dt.date(2024, 11, 5), location="主斜井")
    wb = load_workbook(io.BytesIO(export_bytes(client, county.mine1_officer)))
    ws = wb.active
    assert ws.title == "隐患台账"
    assert "事故隐患排查治理台账" in ws["A1"].value
    assert ws["A1"].font.bold
    assert "A1" in str(ws.merged_cells.ranges)
    assert ws["A2"].value.startswith("导出时间")
    headers = [c.value for c in ws[3]]
    assert headers[:6] == ["序号", "煤矿", "排查日期", "排查类型", "隐患地点", "隐患内容"]
    assert "整改资金（元）" in headers and "逾期天数" in headers
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["F"].width == 40
    row = [c.value for c in ws[4]]
    assert row[0] == 1
    assert row[2] == dt.datetime(2024, 11, 3)  # a real date, not text
    assert ws.cell(4, 3).number_format == "yyyy-mm-dd"
    assert row[3] == "科队周查"
    assert row[headers.index("逾期天数")] > 0


def test_export_writes_formula_like_text_as_text(county):
    HazardFactory(mine=county.mine1, description="=1+2", location="+540水平", note="@SUM(A1)", measures="-2+3")
    out = io.BytesIO()
    hazard_ledger_workbook(Hazard.objects.all(), title="t").save(out)
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    row = {ws.cell(3, c).value: ws.cell(4, c) for c in range(1, ws.max_column + 1)}
    assert row["隐患内容"].value == "=1+2"
    assert row["隐患内容"].data_type == "s"
    assert row["隐患地点"].value == "+540水平"
    assert row["备注"].data_type == "s"
    assert row["整改措施"].value == "-2+3" and row["整改措施"].data_type == "s"


def test_export_follows_the_filters_and_the_visibility_rule(client, county):
    HazardFactory(mine=county.mine1, level="general", location="本矿一般")
    HazardFactory(mine=county.mine1, level="major", location="本矿重大", contingency_plan="x")
    HazardFactory(mine=county.mine2, location="别矿")
    wb = load_workbook(io.BytesIO(export_bytes(client, county.mine1_officer)))
    locations = sorted(r[4] for r in table_rows(wb.active))
    assert locations == ["本矿一般", "本矿重大"]
    wb = load_workbook(io.BytesIO(export_bytes(client, county.mine1_officer, "?level=major")))
    assert [r[4] for r in table_rows(wb.active)] == ["本矿重大"]


def test_export_runs_a_constant_number_of_queries(client, county, django_assert_max_num_queries):
    client.force_login(county.inspector)
    HazardFactory.create_batch(30, mine=county.mine1)
    with django_assert_max_num_queries(6):
        response = client.get("/hazards/export/")
        b"".join(response.streaming_content)
