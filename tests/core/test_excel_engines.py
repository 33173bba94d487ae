"""Which engine reads a workbook (issue 24): python-calamine when the guard scan of the sheets' XML finds the file fit
for it, openpyxl for the rest, and both give the importer the same values. Runs under both readers (tests/conftest.py);
the assertions about calamine itself set the reader they need."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

import core.excel
from core.excel import ImportColumn, _use_calamine, parse_date, parse_decimal, parse_text, read_first_sheet, read_table
from tests.core.test_import_bounds import crafted_xlsx

COLUMNS = [
    ImportColumn("found_on", ("排查日期",), parse_date, required=True),
    ImportColumn("location", ("隐患地点",), parse_text(100), required=True),
    ImportColumn("description", ("隐患内容",), parse_text(500)),
    ImportColumn("funds", ("整改资金",), parse_decimal),
]
DAY = dt.date(2026, 11, 3)


def workbook_bytes(rows, *, title="某煤矿隐患台账"):
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["序号", "排查日期", "隐患地点", "隐患内容", "整改资金"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_cell(data, old, new):
    """The workbook `data` with one cell of its sheet's XML replaced, as another program might write it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            part = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                assert old in part
                part = part.replace(old, new)
            target.writestr(name, part)
    return out.getvalue()


@pytest.fixture
def openpyxl_never(monkeypatch):
    """Fails a test in which openpyxl opens the upload."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl read a workbook meant for calamine")

    monkeypatch.setattr(core.excel, "load_workbook", refuse)


ROWS = [
    [1, DAY, "1105工作面", "支护不到位", 1200],
    [2, dt.datetime(2026, 11, 4, 0, 0), "主井", None, 12.5],
    [None, None, None, None, None],
    [3, "2026-11-05", "副井", "  照明不足  ", None],
    ["合计", None, None, None, 1212.5],
]


def test_both_readers_give_the_importer_the_same_values(excel_reader, settings):
    table = read_table(SimpleUploadedFile("l.xlsx", workbook_bytes(ROWS)), COLUMNS, max_rows=100)
    assert table.header_row == 2
    assert [number for number, _ in table.rows] == [3, 4, 6]  # the blank row and the 合计 row are skipped
    assert [values for _, values in table.rows] == [
        {"found_on": DAY, "location": "1105工作面", "description": "支护不到位", "funds": parse_decimal(1200)},
        {"found_on": dt.date(2026, 11, 4), "location": "主井", "description": None, "funds": parse_decimal(12.5)},
        {"found_on": dt.date(2026, 11, 5), "location": "副井", "description": "照明不足", "funds": None},
    ]
    assert str(table.rows[0][1]["funds"]) == "1200"  # a whole number is an int, as openpyxl gives it
    first = read_first_sheet(workbook_bytes(ROWS), max_bytes=10**6, max_rows=10)
    assert first[2] == [1, dt.datetime(2026, 11, 3), "1105工作面", "支护不到位", 1200]
    assert first[4] == [None] * 5


def test_calamine_reads_an_ordinary_ledger(settings, openpyxl_never):
    settings.EXCEL_READER = "calamine"
    table = read_table(SimpleUploadedFile("l.xlsx", workbook_bytes(ROWS)), COLUMNS, max_rows=100)
    assert len(table.rows) == 3
    assert read_first_sheet(workbook_bytes(ROWS), max_bytes=10**6, max_rows=10)[0] == ["某煤矿隐患台账"] + [None] * 4


def test_a_sheet_over_a_megabyte_passes_the_scan_whole(settings):
    """The scan reads the XML in windows (`_SCAN_CHUNK`, far less than the sheet): no tag cut where two meet sends the
    file away."""
    settings.EXCEL_READER = "calamine"
    rows = [[i, DAY, f"{i}号工作面回风巷", "锚杆托盘未压紧岩面，" * 3, i] for i in range(6000)]
    data = workbook_bytes(rows)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert len(sheet) > 2 * 1024 * 1024
    assert _use_calamine(data, max_rows=6010)
    assert not _use_calamine(data, max_rows=5000)  # more rows than the reader would read: openpyxl stops at the limit


@pytest.mark.parametrize("excel_reader", ["calamine", "openpyxl"], indirect=True)  # (asked for: not by conftest)
def test_a_column_remembers_no_cell_for_another_kind_equal_to_it(excel_reader):
    """A column remembers what its cells parse to, calamine's as calamine gives them (a number as a float, a date as a
    date): a TRUE cell read after a 1 (True == 1 == 1.0) is parsed for itself."""
    rows = [
        [1, DAY, "1号", 1, None],
        [2, dt.datetime(2026, 11, 3, 0, 0), "2号", True, None],
        [3, DAY, "3号", 1.0, None],
    ]
    columns = [*COLUMNS[:2], ImportColumn("description", ("隐患内容",), parse_text(500))]
    table = read_table(SimpleUploadedFile("l.xlsx", workbook_bytes(rows)), columns, max_rows=100)
    assert [(values["found_on"], values["description"]) for _, values in table.rows] == [
        (DAY, "1"),
        (DAY, "TRUE"),
        (DAY, "1"),
    ]


@pytest.mark.parametrize("excel_reader", ["calamine", "openpyxl"], indirect=True)  # (asked for: not by conftest)
def test_a_true_or_false_cell_is_the_text_excel_shows_and_no_number(excel_reader):
    """A TRUE in 整改资金 was a 500 (Decimal("True")): it is refused as the text it shows, on its row and column."""
    rows = [[1, DAY, "1号", "片帮", True], [2, DAY, "2号", False, 100]]
    table = read_table(SimpleUploadedFile("l.xlsx", workbook_bytes(rows)), COLUMNS, max_rows=100)
    assert [(e.row, e.column, e.message) for e in table.errors] == [(3, "整改资金", "“TRUE”不是有效数字。")]
    assert table.rows[1][1]["description"] == "FALSE"


@pytest.mark.parametrize("excel_reader", ["calamine", "openpyxl"], indirect=True)  # (asked for: not by conftest)
def test_no_cell_right_of_the_last_ledger_column_is_read(excel_reader):
    """A 备注 column right of 整改资金 is not read: its "合计说明" does not make a row a 合计 row."""
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "排查日期", "隐患地点", "隐患内容", "整改资金", "备注"])
    ws.append([1, DAY, "主井", None, None, None])
    ws.append([None, DAY, None, None, None, "合计说明"])
    out = io.BytesIO()
    wb.save(out)
    table = read_table(SimpleUploadedFile("l.xlsx", out.getvalue()), COLUMNS, max_rows=100)
    assert [number for number, _ in table.rows] == [2, 3]
    assert [(e.row, e.column) for e in table.errors] == [(3, "隐患地点")]


def test_the_setting_chooses_openpyxl(settings):
    settings.EXCEL_READER = "openpyxl"
    assert not _use_calamine(workbook_bytes(ROWS), max_rows=100)


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        (b'<c r="E3" t="n"><v>1200</v></c>', b'<c r="E3" t="e"><v>#DIV/0!</v></c>', "an error cell"),
        (b'<c r="E3" t="n"><v>1200</v></c>', b'<c t="n" r="E3"><v>1200</v></c>', "the reference not first"),
        (b'<c r="E3" t="n"><v>1200</v></c>', b'<c t="n"><v>1200</v></c>', "a cell without its reference"),
        (b'<c r="E3" t="n"><v>1200</v></c>', b'<c r="ZZZZZZ3" t="n"><v>1200</v></c>', "past the last column"),
        (b'<c r="E3" t="n"><v>1200</v></c>', b'<c r="IW3" t="n"><v>1200</v></c>', "right of column IV"),
        (b'<c r="E3" t="n"><v>1200</v></c>', b'<c r="E999999" t="n"><v>1200</v></c>', "a row far below"),
        # within the limit's digits but below it, in the file's third row: calamine's rectangle would be that tall
        (b'<c r="E3" t="n"><v>1200</v></c>', b'<c r="E101" t="n"><v>1200</v></c>', "a row just below the limit"),
        (b'<c r="E3" t="n"><v>1200</v></c>', b'<c r="IV999" t="n"><v>1200</v></c>', "a corner far below"),
        (b'<c r="E3" t="n"><v>1200</v></c>', b'<c r="$E$3" t="n"><v>1200</v></c>', "a reference as formulas write it"),
        (b'<row r="3">', b"<row>", "a row without its number"),
        (b'<c r="E3" t="n"><v>1200</v></c>', b'<x:c r="E3" t="n"><v>1200</v></x:c>', "a cell with a namespace prefix"),
        (b'<row r="3">', b'<x:row r="3">', "a row with a namespace prefix"),
    ],
)
def test_what_calamine_would_misread_goes_to_openpyxl(settings, old, new, why):
    settings.EXCEL_READER = "calamine"
    data = workbook_bytes(ROWS)
    assert _use_calamine(data, max_rows=100)
    assert not _use_calamine(with_cell(data, old, new), max_rows=100), why


@pytest.mark.parametrize("reference", [b"IV3", b"HZ3", b"A3", b"Z3", b"E100"])
def test_a_cell_up_to_column_iv_and_the_row_limit_stays_with_calamine(settings, reference):
    settings.EXCEL_READER = "calamine"
    data = with_cell(workbook_bytes(ROWS), b'<c r="E3" t="n">', b'<c r="%s" t="n">' % reference)
    assert _use_calamine(data, max_rows=100)


def test_a_stretch_without_a_tag_longer_than_any_cell_goes_to_openpyxl(settings):
    """The scan carries a window on until a "<" ends it: a cell of Excel's 32,767 characters (each written as a
    character reference) is carried; a run of text longer than any cell may hold sends the file to openpyxl rather
    than be searched again at every chunk."""
    settings.EXCEL_READER = "calamine"
    longest = workbook_bytes([[1, DAY, "主井", "支" * 32767, 5]])
    assert b"&#25903;" * 32767 in zipfile.ZipFile(io.BytesIO(longest)).read("xl/worksheets/sheet1.xml")
    assert _use_calamine(longest, max_rows=100)
    longer = with_cell(workbook_bytes(ROWS), b"1105&#24037;&#20316;&#38754;", b"A" * (2 << 20))  # openpyxl cuts one
    assert not _use_calamine(longer, max_rows=100)


def test_an_error_cell_is_read_as_its_text_as_before(excel_reader):
    data = with_cell(workbook_bytes(ROWS), b'<c r="E3" t="n"><v>1200</v></c>', b'<c r="E3" t="e"><v>#DIV/0!</v></c>')
    table = read_table(SimpleUploadedFile("l.xlsx", data), COLUMNS, max_rows=100)
    assert [(e.row, e.column) for e in table.errors] == [(3, "整改资金")]


def test_a_sparse_sheet_declaring_column_xfd_is_never_given_to_calamine(settings):
    settings.EXCEL_READER = "calamine"
    upload = crafted_xlsx([(1, [("A", "排查日期")]), (2, [("XFD", 1)])], dimension="A1:XFD2")
    assert not _use_calamine(upload.read(), max_rows=100)


# ---------------------------------------------------------------- the writers (settings.EXCEL_WRITER)

LONG_TEXT = "长" * 40_000  # over Excel's 32,767 characters a cell: cut there by either engine, the row kept


def written(settings, writer):
    """A ledger of three rows written by `writer`, read back by openpyxl."""
    from openpyxl import load_workbook

    from core.excel import ExportColumn, save_xlsx, write_ledger_xlsx

    settings.EXCEL_WRITER = writer
    columns = [
        ExportColumn("排查日期", lambda r: r[0], 12),
        ExportColumn("隐患内容", lambda r: r[1], 40),
        ExportColumn("整改资金", lambda r: r[2], 10),
        ExportColumn("销号时间", lambda r: r[3], 18),
    ]
    rows = [
        (DAY, '=HYPERLINK("http://x","点我")', 1200, dt.datetime(2026, 11, 5, 9, 30)),
        (DAY, "+1-1 @SUM(A1)", 12.5, None),
        (None, LONG_TEXT, None, None),
    ]
    wb = write_ledger_xlsx(title="某煤矿隐患台账", subtitle="2026年11月", columns=columns, rows=rows, sheet_name="台账")
    return load_workbook(io.BytesIO(save_xlsx(wb).read())).active


@pytest.mark.parametrize("writer", ["rust", "xlsxwriter"])
def test_both_writers_write_the_same_ledger(settings, writer, excel_reader):
    ws = written(settings, writer)
    assert ws.title == "台账"
    assert ws["A1"].value == "某煤矿隐患台账" and ws["A1"].font.b and ws["A2"].value == "2026年11月"
    assert [c.value for c in ws[3]] == ["序号", "排查日期", "隐患内容", "整改资金", "销号时间"]
    assert ws["B3"].fill.fgColor.rgb.endswith("DDEBF7") and ws["B3"].font.b
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert ws.page_setup.paperSize in (9, "9") and ws.page_setup.orientation == "landscape"
    assert [round(ws.column_dimensions[c].width) for c in "ABCDE"] == [6, 12, 40, 10, 18]
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=6)]
    assert data[0] == [
        1,
        dt.datetime(2026, 11, 3),
        '=HYPERLINK("http://x","点我")',
        1200,
        dt.datetime(2026, 11, 5, 9, 30),
    ]
    assert data[1] == [2, dt.datetime(2026, 11, 3), "+1-1 @SUM(A1)", 12.5, None]
    assert data[2] == [3, None, LONG_TEXT[:32767], None, None]
    assert ws["C4"].data_type == "s"  # text, never a formula
    assert ws["B4"].number_format == "yyyy-mm-dd" and ws["E4"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws["C5"].alignment.wrap_text  # a cell without a format of its own wraps
    signature = [c.value for c in ws[8] if c.value]
    assert signature[0].startswith("填报人") and signature[1].startswith("审核人")
    assert {str(r) for r in ws.merged_cells.ranges} >= {"A1:E1", "A2:E2"}


@pytest.mark.parametrize("writer", ["rust", "xlsxwriter"])
def test_a_date_column_reads_back_as_dates_on_both_writers(settings, writer):
    """A column of dates (`dates=True`, written by the Rust engine as day numbers under the column's date format)
    reads back as the same dates; a blank stays blank, a date and time keeps its time, text stays text, and a date
    before 1 March 1900 (where Excel's day numbers are one off) is still that date."""
    from core.excel import ExportColumn, save_xlsx, write_xlsx

    settings.EXCEL_WRITER = writer
    values = [DAY, None, dt.datetime(2026, 11, 5, 9, 30), "待定", dt.date(1900, 2, 27), dt.date(1900, 3, 1)]
    columns = [ExportColumn("排查日期", lambda r: r, 12, dates=True), ExportColumn("隐患内容", lambda r: "x", 20)]
    wb = write_xlsx(title="t", columns=columns, rows=values)
    ws = load_workbook(io.BytesIO(save_xlsx(wb).read())).active
    cells = [ws.cell(row, 1) for row in range(3, 3 + len(values))]
    assert [c.value for c in cells] == [
        dt.datetime(2026, 11, 3),
        None,
        dt.datetime(2026, 11, 5, 9, 30),
        "待定",
        dt.datetime(1900, 2, 27),
        dt.datetime(1900, 3, 1),
    ]
    assert cells[0].number_format == "yyyy-mm-dd" and cells[2].number_format == "yyyy-mm-dd hh:mm:ss"
    assert cells[3].data_type == "s"
