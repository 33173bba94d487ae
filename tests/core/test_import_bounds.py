"""What an uploaded workbook can cost: rows read are bounded (blank rows count), columns past the header are never
read, parsing stops at a time budget, no write transaction is held while a file is parsed, a busy SQLite answers
after a wait (or 409), never 500, and a password-protected workbook is named as such."""

import datetime as dt
import io
import re
import sqlite3
import struct
import threading
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from core.errors import DomainError
from hazards.models import Hazard
from hazards.services import hazards_import
from violations.models import RedLineList, Violation
from violations.services import violations_import
from workforce.models import Person, PositioningRecord
from workforce.services import positioning_import, roster_import

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HAZARD_HEADER = [("A", "排查日期"), ("B", "排查类型"), ("C", "隐患地点"), ("D", "隐患内容")]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
TODAY = dt.date.today()


def _cell(ref, value):
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def crafted_xlsx(rows, *, dimension):
    """A workbook written by hand, as an attacker would: `rows` are (row number, [(column letter, value)]) and the
    sheet declares whatever `dimension` it is given. 200,000 rows make a file of about 1 MB."""
    body = "".join(
        f'<row r="{n}">' + "".join(_cell(f"{col}{n}", v) for col, v in cells) + "</row>" for n, cells in rows
    )
    sheet = f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>'
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{TYPES}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return SimpleUploadedFile("ledger.xlsx", out.getvalue())


@pytest.fixture
def read_counter(monkeypatch):
    """Counts the rows and the widest row openpyxl hands the importer; fails at once past a generous bound, so a
    reader that walks a sheet's declared 200,000 × 16,384 cells fails in a moment instead of minutes."""
    real = ReadOnlyWorksheet._cells_by_row
    seen = {"rows": 0, "widest": 0}

    def counting(self, *args, **kwargs):
        for row in real(self, *args, **kwargs):
            seen["rows"] += 1
            seen["widest"] = max(seen["widest"], len(row))
            assert seen["rows"] <= 20_000, "read far more rows than the row limit"
            assert seen["widest"] <= 256, f"read a row {len(row)} cells wide"
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return seen


# ------------------------------------------------------------------ rows and columns read are bounded


@pytest.mark.django_db
def test_a_sparse_workbook_declaring_200000_rows_to_column_xfd_is_refused_after_a_bounded_read(county, read_counter):
    """The attack: 1 MB declaring A1:XFD200001, one cell per row in XFD. It took 93 s before its 400."""
    rows = [(1, HAZARD_HEADER), *((n, [("XFD", 1)]) for n in range(2, 200_002))]
    upload = crafted_xlsx(rows, dimension="A1:XFD200001")
    assert upload.size < 1_200_000
    with pytest.raises(DomainError, match=r"超过 10000 行（空行也计入）"):
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    assert read_counter["rows"] <= 10_000 + 16 + 1  # header scan, then at most one row past the limit
    assert read_counter["widest"] <= 256
    assert not Hazard.objects.exists()


@pytest.mark.django_db
def test_rows_blank_in_the_ledger_columns_count_toward_the_row_limit(county, read_counter):
    rows = [(1, HAZARD_HEADER), *((n, [("F", n)]) for n in range(2, 10_003))]  # 10,001 rows, only a 序号-like cell
    with pytest.raises(DomainError, match=r"超过 10000 行（空行也计入）"):
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=crafted_xlsx(rows, dimension="A1:F10002"))


@pytest.mark.django_db
def test_the_row_limit_still_leaves_room_for_a_normal_ledger(county, read_counter):
    """Blank rows and a 合计 row inside the limit are skipped as before; the data rows are imported."""
    day = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    rows = [(1, HAZARD_HEADER), (2, [("A", day), ("B", "班组日查"), ("C", "主井"), ("D", "护栏缺失")])]
    rows += [(n, [("F", n)]) for n in range(3, 9_000)]
    rows += [(9_000, [("A", "合计")])]
    result = hazards_import(
        actor=county.mine1_officer, mine=county.mine1, upload=crafted_xlsx(rows, dimension="A1:XFD9000")
    )
    assert result.created == 1


@pytest.mark.django_db
def test_parsing_stops_at_the_time_budget_with_a_message(county, settings):
    settings.IMPORT_PARSE_SECONDS = 0
    upload = SimpleUploadedFile("ledger.xlsx", (FIXTURES / "hazard-ledger-sample.xlsx").read_bytes())
    with pytest.raises(DomainError, match=r"读取文件超过 0 秒仍未完成"):
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    csv = "姓名,卡号,班组,下井时间,升井时间\n张三,1,x,2024-11-12 07:00,18:30\n".encode()
    with pytest.raises(DomainError, match=r"读取文件超过 0 秒仍未完成"):
        positioning_import(actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("p.csv", csv))
    assert not Hazard.objects.exists() and not PositioningRecord.objects.exists()


# ------------------------------------------------------------------ no transaction while parsing


def roster_xlsx():
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "工号", "职务"])
    ws.append([1, "王强", "0001", "矿长"])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("花名册.xlsx", out.getvalue())


def red_line_xlsx():
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "层级", "岗位", "行为", "处理措施"])
    ws.append([1, "矿级", "矿长", "超能力生产", "停职"])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("红线清单.xlsx", out.getvalue())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_importer_parses_its_file_outside_any_transaction(county, client, monkeypatch):
    """A write transaction held while a file is parsed locks the database for everyone (SQLite) or holds row locks
    (PostgreSQL) for as long as the parse takes: each importer parses first, then writes in one short transaction."""
    import core.excel

    real = core.excel._parse_rows
    atomic_while_parsing = []

    def spy(*args, **kwargs):
        atomic_while_parsing.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(core.excel, "_parse_rows", spy)
    officer, mine = county.mine1_officer, county.mine1
    hazards_import(
        actor=officer,
        mine=mine,
        upload=SimpleUploadedFile("h.xlsx", (FIXTURES / "hazard-ledger-sample.xlsx").read_bytes()),
        only_valid_rows=True,
    )
    violations_import(
        actor=officer,
        mine=mine,
        upload=SimpleUploadedFile("v.xlsx", (FIXTURES / "violation-ledger-sample.xlsx").read_bytes()),
        only_valid_rows=True,
    )
    roster_import(actor=officer, mine=mine, upload=roster_xlsx())
    positioning_import(
        actor=officer,
        mine=mine,
        upload=SimpleUploadedFile("p.csv", (FIXTURES / "positioning-export-sample.csv").read_bytes()),
        only_valid_rows=True,
    )
    client.force_login(officer)
    response = client.post(
        "/red-lines/new/",
        {
            "mine": mine.pk,
            "kind": "red_line",
            "title": "红线清单",
            "effective_on": dt.date.today(),
            "file": red_line_xlsx(),
        },
    )
    assert response.status_code == 302
    assert Hazard.objects.exists() and Violation.objects.exists() and Person.objects.exists()
    assert PositioningRecord.objects.exists() and RedLineList.objects.exists()
    assert atomic_while_parsing == [False] * 5


# ------------------------------------------------------------------ a busy SQLite database


ON_FILE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def file_db(county, tmp_path):
    """The test database copied to a file and used by this thread: SQLite's locks between connections are the ones
    of a real deployment only on a file (the in-memory test database shares one cache and never waits)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    path = tmp_path / "db.sqlite3"
    memory = connections["default"]
    memory.ensure_connection()
    target = sqlite3.connect(path)
    memory.connection.backup(target)
    target.close()
    on_file = memory.__class__({**memory.settings_dict, "NAME": str(path)}, alias="default")
    connections["default"] = on_file
    yield on_file
    on_file.close()
    connections["default"] = memory


def hold_write_lock(path, seconds):
    """Another process's write transaction (a second import, a sweep …), released after `seconds`."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(seconds, lambda: (other.execute("COMMIT"), other.close()))
    timer.start()
    return timer


def sample_hazards():
    return SimpleUploadedFile("h.xlsx", (FIXTURES / "hazard-ledger-sample.xlsx").read_bytes())


@ON_FILE
def test_an_import_waits_for_another_writer_instead_of_failing(file_db, county, client, api_client):
    api_client.force_authenticate(county.mine1_officer)
    timer = hold_write_lock(file_db.settings_dict["NAME"], 1.0)
    answer = api_client.post(
        "/api/v1/hazards/import/", {"file": sample_hazards(), "only_valid_rows": True}, format="multipart"
    )
    timer.join()
    assert answer.status_code == 201, answer.content
    client.force_login(county.mine2_officer)
    preview = client.post(
        "/hazards/import/", {"mine": county.mine2.pk, "file": sample_hazards(), "only_valid_rows": "on"}
    ).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
    timer = hold_write_lock(file_db.settings_dict["NAME"], 1.0)
    page = client.post("/hazards/import/", {"step": "confirm", "token": token, "only_valid_rows": "on"})
    timer.join()
    assert page.status_code == 200 and "导入完成" in page.content.decode()
    assert Hazard.objects.filter(mine=county.mine2).exists()


@ON_FILE
def test_an_import_that_cannot_get_the_database_answers_409_in_chinese(file_db, county, client, api_client):
    file_db.close()
    file_db.settings_dict["OPTIONS"] = {**file_db.settings_dict.get("OPTIONS", {}), "timeout": 0.2}
    api_client.force_authenticate(county.mine1_officer)
    client.force_login(county.mine1_officer)
    timer = hold_write_lock(file_db.settings_dict["NAME"], 3.0)
    try:
        answer = api_client.post("/api/v1/hazards/import/", {"file": sample_hazards()}, format="multipart")
        page = client.post("/hazards/import/", {"mine": county.mine1.pk, "file": sample_hazards()})
        red_lines = client.post(  # any other page: the 409 page
            "/red-lines/new/",
            {"mine": county.mine1.pk, "kind": "red_line", "title": "t", "effective_on": TODAY, "file": red_line_xlsx()},
        )
    finally:
        timer.join()
    assert answer.status_code == 409 and "稍后重试" in answer.json()["detail"]
    assert page.status_code == 409 and "稍后重试" in page.content.decode()
    assert red_lines.status_code == 409 and "稍后重试" in red_lines.content.decode()
    assert not Hazard.objects.exists()


# ------------------------------------------------------------------ password-protected workbooks


FREE, END, FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _dir_entry(name, kind, *, child=FREE, right=FREE):
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", FREE, right, child)
        + b"\0" * 16  # CLSID
        + struct.pack("<I", 0)  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", END, 0)  # start sector, size
    )


def compound_file(stream_names):
    """A minimal OLE compound file (the container of .xls and of an encrypted .xlsx) holding empty streams."""
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, END, 0, END, 0)
    )
    header += struct.pack("<I", 0) + struct.pack("<I", FREE) * 108
    fat = struct.pack("<II", FAT, END).ljust(512, b"\xff")
    entries = [_dir_entry("Root Entry", 5, child=1 if stream_names else FREE)]
    for index, name in enumerate(stream_names, start=1):
        entries.append(_dir_entry(name, 2, right=index + 1 if index < len(stream_names) else FREE))
    directory = b"".join(entries).ljust(512, b"\0")
    return header + fat + directory


@pytest.mark.django_db
def test_a_password_protected_workbook_is_named_as_such_and_an_old_xls_as_xls(county):
    encrypted = compound_file(["EncryptionInfo", "EncryptedPackage"])
    with pytest.raises(DomainError, match="设置了打开密码.*请先取消密码保护再导入"):
        hazards_import(
            actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("加密台账.xlsx", encrypted)
        )
    with pytest.raises(DomainError, match="设置了打开密码"):
        roster_import(actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("a.xlsx", encrypted))
    old = compound_file(["Workbook", "\x05SummaryInformation"])
    with pytest.raises(DomainError, match=r"旧版 Excel（\.xls）"):
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("台账.xls", old))
