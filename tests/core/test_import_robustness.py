"""Broken or hostile cells in an imported file are the user's problem to fix, said in Chinese, never a 500; and a
workbook whose declared size understates its rows is read to its last row (found by the fresh-instance review)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from core.ledger_import import ImportRejected
from hazards.models import Hazard
from hazards.services import hazards_import
from tests.core.test_import_bounds import HAZARD_HEADER, crafted_xlsx
from tests.hazards.xlsx import workbook_upload
from workforce.models import PositioningRecord
from workforce.services import positioning_import

pytestmark = pytest.mark.django_db
DAY = (dt.date.today() - dt.timedelta(days=3)).isoformat()
DUE = (dt.date.today() + dt.timedelta(days=7)).isoformat()


class Raw(str):
    """A cell written as raw XML, as a hostile file would."""


def raw_xlsx(*cells):
    """A hazard ledger with one good row and one row holding the raw `cells` (XML)."""
    from tests.core import test_import_bounds as base

    original = base._cell

    def cell(ref, value):
        return value.replace("{ref}", ref) if isinstance(value, Raw) else original(ref, value)

    base._cell = cell
    try:
        good = [("A", DAY), ("B", "班组日查"), ("C", "主井"), ("D", "护栏缺失")]
        return crafted_xlsx([(1, HAZARD_HEADER), (2, good), (3, [("A", DAY), *cells])], dimension="A1:D3")
    finally:
        base._cell = original


@pytest.mark.parametrize("funds", ["NaN", "sNaN", "Infinity", "-Infinity", "1e999999"])
def test_a_number_that_is_not_finite_is_a_row_error(county, funds):
    headers = ["排查日期", "排查类型", "隐患地点", "隐患内容", "整改资金（元）"]
    upload = workbook_upload([[DAY, "班组日查", "主井", "护栏缺失", funds]], headers=headers)
    with pytest.raises(ImportRejected) as refused:
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    (error,) = refused.value.errors
    assert error.column == "整改资金（元）" and ("数" in error.message or "不能超过" in error.message)
    assert not Hazard.objects.exists()


@pytest.mark.parametrize(
    "cell",
    [
        Raw('<c r="{ref}"><v>abc</v></c>'),  # a number cell that is not a number
        Raw('<c r="{ref}" t="d"><v>garbage</v></c>'),  # a date cell that is not a date
        Raw('<c r="{ref}" t="b"><v>x</v></c>'),  # a boolean that is neither
        Raw('<c r="{ref}" t="s"><v>99999</v></c>'),  # a shared string that does not exist
        Raw('<c r="ZZZZZZ3"><v>1</v></c>'),  # a reference past the last column
        Raw('<c r="{ref}"><v>NaN</v></c>'),
    ],
)
def test_a_broken_cell_is_refused_in_chinese_not_a_500(county, client, cell):
    upload = raw_xlsx(("B", cell), ("C", "副井"), ("D", "照明不足"))
    with pytest.raises(DomainError) as refused:
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)
    assert not Hazard.objects.exists()
    # and through the page: a message, not an error page
    upload.seek(0)
    client.force_login(county.mine1_officer)
    response = client.post("/hazards/import/", {"file": upload})
    assert response.status_code in (200, 400)


POSITIONING_HEADER = "姓名,标识卡号,部门,下井时间,升井时间\n"


def csv_upload(text, name="positioning.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"))


@pytest.mark.parametrize(
    "body",
    [
        "张建国,1001,综采一队," + "x" * 200_000 + ",2024-11-12 16:10\n",  # one field larger than the csv module takes
        '张建国,1001,"综采一队' + "y" * 300_000 + "\n",  # a quote never closed
    ],
)
def test_a_csv_that_cannot_be_read_is_refused_in_chinese(county, api_client, body):
    upload = csv_upload(POSITIONING_HEADER + body)
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post("/api/v1/positioning-records/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "CSV" in str(response.json())
    assert not PositioningRecord.objects.exists()


def test_a_nul_character_in_a_cell_is_a_row_error(county):
    """(A NUL in the first 4 KB makes the whole file unreadable as text; further down it is one bad cell.)"""
    good = "".join(f"工人{n:03d},{2000 + n},综采一队,{DAY} 07:40,{DAY} 16:10\n" for n in range(100))
    text = POSITIONING_HEADER + good + f"张\x00建国,1001,综采一队,{DAY} 07:40,{DAY} 16:10\n"
    assert text.index("\x00") > 4096
    with pytest.raises(ImportRejected) as refused:
        positioning_import(actor=county.mine1_officer, mine=county.mine1, upload=csv_upload(text))
    (error,) = refused.value.errors
    assert error.row == 102 and error.column == "姓名" and "字符" in error.message
    assert not PositioningRecord.objects.exists()


def test_a_workbook_that_understates_its_size_is_read_to_its_last_row(county):
    rows = [(1, HAZARD_HEADER)]
    rows += [(n, [("A", DAY), ("B", "班组日查"), ("C", f"{n}号巷道"), ("D", "锚杆托盘松动")]) for n in range(2, 32)]
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=crafted_xlsx(rows, dimension="A1"))
    assert result.created == 30
