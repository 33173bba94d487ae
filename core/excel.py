"""Excel in and out, the way county offices keep their ledgers.

Export: declarative columns written by rust_xlsxwriter (rvgsrust-xlsxwriter; XlsxWriter by settings.EXCEL_WRITER) in
constant-memory mode (each row goes to disk as it is written, so a 100,000-row ledger streams in bounded memory); a
title row, Chinese headers, widths, a frozen header, dates as dates, A4 print setup, and text that looks like a
formula written as text (formula injection). Other modules write sheets only through the small engine-neutral API
here (`new_workbook`, `new_sheet`, `write_xlsx`, `append_row`, `styled_cell`, `set_widths`, `save_xlsx`), never
through the engine.

Import: find the header row under a title, match columns by header name and synonyms, parse dates and
numbers as mines write them, skip blank and 合计 rows, and report every bad cell as {row, column, message}
with the Excel row number the user sees. What a file can cost is bounded: every row read counts toward the row
limit (blank ones too), no column right of the last ledger column is read, and reading stops at a time budget
(settings.IMPORT_PARSE_SECONDS). Workbooks are read by python-calamine (Rust) after a guard scan of their sheets'
XML, by openpyxl's read-only mode for what the scan sends away (settings.EXCEL_READER chooses).
"""

import datetime as dt
import gc
import io
import math
import re
import shutil
import struct
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import xlsxwriter
from django.conf import settings
from openpyxl import load_workbook

from .errors import DomainError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


# ---------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportColumn:
    header: str
    value: Callable[[Any], Any]
    width: float = 14
    printed: bool = True  # also on the ledger's print view (core.views.ledger_print_page), where A4 is narrower
    #: its values are dates (datetime.date) or blank: the engine may write them as Excel stores a date, a day number
    #: under the column's date format (`_RustSheet.date_column`), rather than convert a date object a cell
    dates: bool = False


#: the lines a printed ledger is signed on, below the table (three parts of its width)
SIGNATURE_LINE = ("填报人（签字）：", "审核人（签字）：", "填报日期：　　　年　　月　　日")
#: a sheet wider than this (in Excel's column widths) prints in landscape; a ledger always does
PORTRAIT_WIDTH = 100
HEADER_FILL = "#DDEBF7"


class Workbook:
    """An export being written, into a temporary file until `save` (or `save_xlsx`) finishes it. Its sheets (`Sheet`)
    are filled in row order, each row once, in the engine's constant-memory mode (a row goes to disk once the next
    one is begun).

    The engine is chosen by settings.EXCEL_WRITER: "rust" (rvgsrust-xlsxwriter, bindings of the rust_xlsxwriter crate,
    about five times faster than XlsxWriter on a 100,000-row ledger) or "xlsxwriter" (pure Python, the engine of
    before). Either writes text as text: "=HYPERLINK(…)" from a user is a string cell, never a formula, with no check
    per cell (the Rust engine writes formulas only through a call of its own; XlsxWriter is told
    `strings_to_formulas` off), and a link a user typed is text too."""

    def __init__(self):
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 -- handed on by save_xlsx, which the response closes
        engine = getattr(settings, "EXCEL_WRITER", "rust")
        self._engine = _RustEngine() if engine == "rust" else _XlsxWriterEngine(self._out)
        self._formats = {}
        self._closed = False

    def format(self, **properties):
        """One engine format per distinct set of properties (XlsxWriter's names: bold, font_size, align, valign,
        text_wrap, bg_color, pattern, num_format)."""
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self._engine.format(properties)
        return self._formats[key]

    def add_sheet(self, title):
        return Sheet(self, self._engine.add_sheet(title[:31]))

    def _close(self):
        if not self._closed:
            self._engine.close(self._out)
            self._closed = True
        self._out.seek(0)

    def save(self, out):
        """Finish the workbook and copy it into the binary file `out`."""
        self._close()
        shutil.copyfileobj(self._out, out)
        self._out.seek(0)


@dataclass(frozen=True)
class StyledValue:
    """A value with its own format (from `styled_cell`), written where a row holds it."""

    value: Any
    cell_format: Any


#: Excel's limit on the text of a cell: longer text is cut there (as XlsxWriter always did) rather than refused
MAX_CELL_TEXT = 32767


def _cut(value):
    return value[:MAX_CELL_TEXT] if isinstance(value, str) and len(value) > MAX_CELL_TEXT else value


class _XlsxWriterEngine:
    """XlsxWriter (pure Python) in constant-memory mode: the fallback engine (settings.EXCEL_WRITER = "xlsxwriter")."""

    def __init__(self, out):
        self.book = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "nan_inf_to_errors": True,
                "remove_timezone": True,
                "default_date_format": DATE_FORMAT,
            },
        )
        # Every cell without a format of its own wraps its text, centred vertically: the workbook's default cell
        # format (xf 0, that of a cell without an `s` attribute) is made to, so a 100,000-row ledger wraps at no
        # cost per cell.
        default = self.book.formats[0]
        default.set_text_wrap()
        default.set_align("vcenter")
        datetime_format = self.book.add_format({"num_format": DATETIME_FORMAT})

        def write_datetime(worksheet, row, col, value, cell_format=None):
            # A date and time keeps its time (the default date format would show the day only).
            return worksheet.write_datetime(row, col, value, cell_format or datetime_format)

        def write_styled(worksheet, row, col, styled, cell_format=None):
            return worksheet.write(row, col, styled.value, styled.cell_format)

        self.handlers = {dt.datetime: write_datetime, StyledValue: write_styled}

    def format(self, properties):
        return self.book.add_format(properties)

    def add_sheet(self, title):
        worksheet = self.book.add_worksheet(title)
        for kind, handler in self.handlers.items():
            worksheet.add_write_handler(kind, handler)
        return _XlsxWriterSheet(worksheet)

    def close(self, out):
        self.book.close()


class _XlsxWriterSheet:
    def __init__(self, worksheet):
        self.sheet = worksheet
        self.name = worksheet.name

    def write_rows(self, first, rows, cell_format=None):
        """Rows from row `first` (from 0), one `write_row` each; returns the next row. `write_row` stops a row at its
        first cell in error (text over Excel's limit is cut and answers -2): the rest of such a row is written
        cell by cell."""
        write_row = self.sheet.write_row
        number = first
        for values in rows:
            if write_row(number, 0, values, cell_format):
                for col, value in enumerate(values):
                    self.sheet.write(number, col, value, cell_format)
            number += 1
        return number

    def write(self, row, col, value, cell_format=None):
        self.sheet.write(row, col, value, cell_format)

    def date_column(self, col, cell_format):
        """False: a number written here would not take a column's format (XlsxWriter writes each cell's own), so
        dates stay date objects, written with the default date format."""
        return False

    def merge(self, row, first_col, last_col, value, cell_format):
        self.sheet.merge_range(row, first_col, row, last_col, value, cell_format)

    def print_layout(self, *, landscape, header_row):
        sheet = self.sheet
        sheet.set_paper(9)  # A4
        if landscape:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.fit_to_pages(1, 0)  # as many pages down as the rows need
        sheet.center_horizontally()
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.set_header("", {"margin": 0.3})
        sheet.set_footer(PAGE_FOOTER, {"margin": 0.3})
        if header_row:
            sheet.repeat_rows(header_row - 1)

    def widths(self, pixels):
        for index, width in enumerate(pixels):
            self.sheet.set_column_pixels(index, index, width)

    def freeze(self, row):
        self.sheet.freeze_panes(row, 0)

    def row_height(self, row, points):
        self.sheet.set_row(row, points)


class _RustEngine:
    """rvgsrust-xlsxwriter (rust_xlsxwriter's bindings), each sheet in constant-memory mode: the default engine.

    It writes a date with yyyy-mm-dd and a date and time with yyyy-mm-dd hh:mm:ss of its own (the ledgers' formats),
    text always as text, and drops a time zone as XlsxWriter was told to."""

    def __init__(self):
        from rvgsrust_xlsxwriter import Workbook as RustWorkbook

        self.book = RustWorkbook()
        # Every cell without a format of its own wraps its text, centred vertically (see _XlsxWriterEngine); the
        # default row height (15 pt) and column width (64 px) are Excel's.
        self.book.set_default_format(self.format({"text_wrap": True, "valign": "vcenter"}), 15, 64)

    def format(self, properties):
        cell_format = self.book.add_format()
        for name, value in properties.items():
            if name == "bold" and value:
                cell_format.set_bold()
            elif name == "text_wrap" and value:
                cell_format.set_text_wrap()
            elif name == "font_size":
                cell_format.set_font_size(value)
            elif name == "align":
                cell_format.set_align(value)
            elif name == "valign":
                cell_format.set_vertical_align(value)
            elif name == "bg_color":
                cell_format.set_background_color(value)
            elif name == "pattern":
                cell_format.set_pattern("solid" if value == 1 else "none")
            elif name == "num_format":
                cell_format.set_num_format(value)
            else:
                raise ValueError(f"format property {name!r} is not mapped to the Rust engine")
        return cell_format

    def add_sheet(self, title):
        return _RustSheet(self.book.add_worksheet(title, constant_memory=True))

    def close(self, out):
        out.write(self.book.save_to_buffer())


#: Excel's day 0 for the dates it numbers right: from 1900-03-01 on, a date is its days since 1899-12-30 (Excel
#: believes in a 29 February 1900, so the days before it are one off: those stay date objects, which the engine knows)
_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
_FIRST_COUNTED_DAY = dt.date(1900, 3, 1).toordinal()


def _as_days(get):
    """The getter `get` of a date column giving each date as Excel stores it (a day number), anything else (a blank,
    a date and time, text) as it is. One call a cell: a ledger has hundreds of thousands of dates."""
    epoch, first, date = _EXCEL_EPOCH, _FIRST_COUNTED_DAY, dt.date

    def day(row):
        value = get(row)
        if value.__class__ is date and (number := value.toordinal()) >= first:
            return number - epoch
        return value

    return day


class _RustSheet:
    def __init__(self, worksheet):
        self.sheet = worksheet
        self.name = worksheet.name

    def write_rows(self, first, rows, cell_format=None):
        """Rows from row `first` (from 0), one `write_row` each; returns the next row. The engine refuses text over
        Excel's limit (ValueError, the row written up to that cell): such a row is written again cell by cell, the
        text cut at the limit; a `styled_cell` is written with its own format."""
        write_row = self.sheet.write_row
        number = first
        for values in rows:
            try:
                write_row(number, 0, values, cell_format)
            except (ValueError, TypeError):
                for col, value in enumerate(values):
                    self.write(number, col, value, cell_format)
            number += 1
        return number

    def write(self, row, col, value, cell_format=None):
        if isinstance(value, StyledValue):
            value, cell_format = value.value, value.cell_format
        if value is None:
            return
        if cell_format is None:
            self.sheet.write(row, col, _cut(value))
        else:
            self.sheet.write(row, col, _cut(value), cell_format)

    def merge(self, row, first_col, last_col, value, cell_format):
        self.sheet.merge_range(row, first_col, row, last_col, value, cell_format)

    def date_column(self, col, cell_format):
        """The column `col` formatted as dates, to be given day numbers (`_as_days`); True. The engine writes a number
        without a format of its own under its column's format (the cell's `s` is the column's), and a date object
        costs it about six times what a number does (1.2 µs against 0.2 µs; a 100,000-row ledger has ~250,000)."""
        self.sheet.set_column_format(col, cell_format)
        return True

    def print_layout(self, *, landscape, header_row):
        sheet = self.sheet
        sheet.set_paper_size(9)  # A4
        if landscape:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.set_print_fit_to_pages(1, 0)  # as many pages down as the rows need
        sheet.set_print_center_horizontally(True)
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
        sheet.set_footer(PAGE_FOOTER)
        if header_row:
            sheet.set_repeat_rows(header_row - 1, header_row - 1)

    def widths(self, pixels):
        for index, width in enumerate(pixels):
            self.sheet.set_column_width_pixels(index, round(width))

    def freeze(self, row):
        self.sheet.freeze_panes(row, 0)

    def row_height(self, row, points):
        # In pixels (a point is 4/3 of one): the engine's set_row_height, given points, makes saving a constant-memory
        # sheet more than twice as slow (1.3 s instead of 0.55 s for 100,000 rows); the file says the same height.
        self.sheet.set_row_height_pixels(row, round(points * 4 / 3))


PAGE_FOOTER = "&C第 &P 页，共 &N 页"


class Sheet:
    """A sheet of a `Workbook`, written row after row (`append`)."""

    def __init__(self, workbook, sheet):
        self.workbook = workbook
        self.sheet = sheet  # the engine's sheet (_RustSheet or _XlsxWriterSheet)
        self.row = 0  # the next row to write, counted from 0
        self.title = sheet.name

    def append(self, values):
        """One row; text is always text (see `Workbook`), a `styled_cell` keeps its format."""
        if any(isinstance(value, StyledValue) for value in values):
            for col, value in enumerate(values):
                self.sheet.write(self.row, col, value)
            self.row += 1
        else:
            self.row = self.sheet.write_rows(self.row, [values])

    def merge(self, first_col, last_col, value, cell_format):
        """The next row's cells `first_col`…`last_col` (from 0) merged, holding `value`."""
        if last_col > first_col:
            self.sheet.merge(self.row, first_col, last_col, value, cell_format)
        else:
            self.sheet.write(self.row, first_col, value, cell_format)


def new_workbook():
    """A workbook to fill with `new_sheet`/`write_xlsx`, `append_row` and `styled_cell`; finished by `save_xlsx`."""
    return Workbook()


def new_sheet(wb, title, *, landscape=False, header_row=None):
    """A sheet of `wb` laid out for printing (see `set_print_layout`), before any row is written."""
    ws = wb.add_sheet(title)
    set_print_layout(ws, landscape=landscape, header_row=header_row)
    return ws


def set_print_layout(ws, *, landscape, header_row=None):
    """A4, fitted to the page's width and as many pages down as it takes, centred, the header row repeated on each
    printed page and the page number in the footer."""
    ws.sheet.print_layout(landscape=landscape, header_row=header_row)


#: the width in pixels of the default font's digit (Calibri 11), Excel's unit of column width
DIGIT_PIXELS = 7


def set_widths(ws, widths):
    """The widths of the sheet's first columns, in Excel's units as the file stores them, in order.

    Given to the engine in pixels of the default font's digit: a width in characters would have the cell padding
    added (40 stored as 40.71), and the ledgers' widths are the stored ones they always were."""
    ws.sheet.widths([width * DIGIT_PIXELS for width in widths])


def write_ledger_xlsx(**kwargs):
    """A ledger sheet as county offices print and sign them: `write_xlsx` (same arguments) with a 序号 column
    numbering the rows, landscape, and the 填报人 and 审核人 lines below the table."""
    return write_xlsx(**kwargs, ledger=True)


def write_xlsx(*, title, columns, rows: Iterable, sheet_name="Sheet1", subtitle="", workbook=None, ledger=False):
    """Write one sheet; returns the open workbook (call `save_xlsx` or add more sheets).

    It prints on A4 fitted to the width, in landscape when wide; a `ledger` has 序号 and signature lines too.
    The rows go to the engine as lists of plain values, one `write_row` each: the engine's own per-cell work is
    what a row costs (the benchmark's floor writes the same lists)."""
    wb = workbook or new_workbook()
    if ledger:
        columns = [ExportColumn("序号", None, 6), *columns]
    header_row = 3 if subtitle else 2
    landscape = ledger or sum(c.width for c in columns) > PORTRAIT_WIDTH
    ws = new_sheet(wb, sheet_name, landscape=landscape, header_row=header_row)
    set_widths(ws, [c.width for c in columns])
    as_days = {}  # index → the getter of a date column whose values the engine takes as day numbers
    for index, column in enumerate(columns):
        if column.dates and ws.sheet.date_column(index, wb.format(num_format=DATE_FORMAT)):
            as_days[index] = _as_days(column.value)
    ws.sheet.freeze(header_row)
    last = len(columns) - 1
    ws.sheet.row_height(0, 24)
    ws.merge(0, last, title, wb.format(bold=True, font_size=14, align="center", valign="vcenter"))
    ws.row += 1
    if subtitle:
        ws.merge(0, last, subtitle, wb.format(text_wrap=True, valign="vcenter"))
        ws.row += 1
    header = wb.format(bold=True, bg_color=HEADER_FILL, pattern=1, align="center", valign="vcenter", text_wrap=True)
    ws.row = ws.sheet.write_rows(ws.row, [[c.header for c in columns]], header)
    getters = [as_days.get(index, c.value) for index, c in enumerate(columns)]
    # The rows stream through (each freed by its reference count once written): the cyclic collector, set off by the
    # millions of values read, would only walk the heap again for nothing (30–150 ms of a 100,000-row export here).
    with paused_gc():
        if ledger:
            getters = getters[1:]
            values = ([number, *[get(row) for get in getters]] for number, row in enumerate(rows, start=1))
            ws.row = ws.sheet.write_rows(ws.row, values)
            _signature_lines(ws, columns=len(columns))
        else:
            ws.row = ws.sheet.write_rows(ws.row, ([get(row) for get in getters] for row in rows))
    return wb


def _signature_lines(ws, *, columns):
    """填报人, 审核人 and the date below the table after one blank row, each across a third of its width."""
    ws.row += 1
    parts = len(SIGNATURE_LINE)
    bounds = [round(columns * i / parts) for i in range(parts + 1)]
    left = ws.workbook.format(align="left", valign="vcenter")
    for index, text in enumerate(SIGNATURE_LINE):
        first, last = bounds[index], max(bounds[index], bounds[index + 1] - 1)
        ws.merge(first, last, text, left)
    ws.row += 1


def append_row(ws, values):
    """One row of a sheet, each value written as `write_xlsx` writes its cells (formula-looking text as text)."""
    ws.append(list(values))


def styled_cell(ws, value, *, bold=False, size=None, fill=None, align=None):
    """A value with a format of its own, for `append_row`: bold, a font `size` in points, a `fill` colour
    ("#DDEBF7") and a horizontal `align` ("left", "center"); text is never a formula."""
    properties = {"text_wrap": True, "valign": "vcenter"}
    if bold:
        properties["bold"] = True
    if size:
        properties["font_size"] = size
    if fill:
        properties.update(bg_color=fill, pattern=1)
    if align:
        properties["align"] = align
    return StyledValue(value, ws.workbook.format(**properties))


def save_xlsx(workbook):
    """Finish the workbook in its temporary file (not memory) and return that file rewound, ready to stream."""
    workbook._close()
    return workbook._out


def safe_filename(text):
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "export"


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportColumn:
    field: str
    headers: tuple[str, ...]
    parse: Callable[[Any], Any] = lambda v: v
    required: bool = False

    @property
    def label(self):
        return self.headers[0]


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedTable:
    rows: list = field(default_factory=list)  # every data row: (excel row number, {field: value or None})
    bad_rows: set = field(default_factory=set)  # numbers of the rows with a cell that could not be parsed
    headers: dict = field(default_factory=dict)  # field → the header as the file spells it
    errors: list = field(default_factory=list)  # RowError
    header_row: int = 0
    sheet_name: str = ""
    columns_found: list = field(default_factory=list)
    sheet_headers: list = field(default_factory=list)  # every header of the header row, as the file spells it
    mapped_by_hand: dict = field(default_factory=dict)  # header → field, from the user's mapping


class MissingColumns(DomainError):
    """The header row was found but a required column was not recognised: the user can map it by hand from the
    sheet's headers (`headers`); `missing` is [(field, label)]."""

    def __init__(self, *, header_row, missing, headers, found=None):
        labels = "、".join(label for _, label in missing)
        super().__init__(
            f"第 {header_row} 行表头缺少必填列：{labels}。可以把表中的列手工对应到这些项目，或改正表头后重新导入。"
        )
        self.header_row = header_row
        self.missing = missing
        self.headers = headers
        self.found = found or {}  # field → header, for the columns that were recognised


def normalise_header(text):
    """A header as compared: spaces, asterisks and full-width brackets do not matter."""
    return _norm(text)


_FULL_WIDTH = str.maketrans("（）：", "():")
_NOT_COMPARED = re.compile(r"[\s*＊\n]")


def _norm(text):
    return _NOT_COMPARED.sub("", str(text).strip().translate(_FULL_WIDTH))


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # an OLE compound file: an old .xls, or an .xlsx encrypted with a password
ENCRYPTED_STREAMS = ("EncryptedPackage", "EncryptionInfo")


def _is_encrypted_workbook(upload):
    """Whether an OLE compound file holds the streams of an encrypted .xlsx (ECMA-376 agile or standard encryption)
    rather than an .xls workbook.

    A directory entry is 128 bytes at a 128-byte boundary after the 512-byte header: the name in UTF-16 with its
    terminating null, then its length in bytes and the type of the entry (2, a stream). Checking the name where an
    entry starts, with its length and type, tells the two apart without following the file's sector chains; the
    upload was already checked against the size limit."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    for name in ENCRYPTED_STREAMS:
        encoded = (name + "\0").encode("utf-16-le")
        length = struct.pack("<H", len(encoded))
        start = data.find(encoded, 512)
        while start != -1:
            if start % 128 == 0 and data[start + 64 : start + 66] == length and data[start + 66 : start + 67] == b"\2":
                return True
            start = data.find(encoded, start + 1)
    return False


def check_workbook_file(upload, *, max_bytes, max_uncompressed=200 * 1024 * 1024):
    """Refuse what is not an .xlsx workbook, or too large, before openpyxl opens it (zip bombs included)."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise DomainError(f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 {max_bytes // 1024 // 1024} MB。")
    if size == 0:
        raise DomainError("文件是空的。")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(OLE_SIGNATURE):
        if _is_encrypted_workbook(upload):
            raise DomainError(
                "该工作簿设置了打开密码（已加密），系统无法读取。请先取消密码保护再导入"
                "（Excel：文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码后保存）。"
            )
        raise DomainError("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再导入。")
    if not head.startswith(b"PK"):
        raise DomainError("文件不是有效的 Excel 工作簿（.xlsx）。")
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise DomainError("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏。") from exc
    finally:
        upload.seek(0)
    if "xl/workbook.xml" not in names:
        raise DomainError("文件不是有效的 Excel 工作簿（.xlsx）。")
    if total > max_uncompressed:
        raise DomainError("工作簿解压后过大，拒绝处理。请只保留台账所在的工作表后再导入。")


MAX_HEADER_COLUMNS = 256  # column IV, the width of the old .xls sheet: a ledger's header never goes further


class ParseBudget:
    """What one file may cost to read: a deadline, checked at every row (settings.IMPORT_PARSE_SECONDS)."""

    def __init__(self, seconds=None):
        self.seconds = settings.IMPORT_PARSE_SECONDS if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds

    def check(self):
        if time.monotonic() >= self.deadline:
            raise DomainError(
                f"读取文件超过 {self.seconds} 秒仍未完成，已停止导入：请删除与台账无关的工作表、空行和列，"
                "或分成几个文件导入。"
            )


@contextmanager
def paused_gc():
    """The cyclic garbage collector held off while a file is read or imported: the 100,000-odd objects a 10,000-row
    file is read into are all kept, so every collection the allocations set off finds nothing to free and only walks
    them again (a fifth of an import's time). Reference counting still frees what is dropped; the collector resumes
    (when it was on) as the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_table(upload, columns, *, max_rows, scan_rows=15, min_header_matches=3, mapping=None, must_have=()):
    """Read the first sheet that has a header row matching `columns`; parse each data row.

    `mapping` (sheet header → field) names columns the synonyms do not know; a header of `must_have` (those of a
    mapping the user just gave) that the header row lacks is refused, the others are ignored (a mapping remembered
    from an earlier file may name a column this file does not have).

    Read by python-calamine (settings.EXCEL_READER, the default) when the guard scan finds the file fit for it,
    by openpyxl's read-only mode otherwise: both give the rows the same values (see `_CALAMINE_CELLS`). Read with the
    collector paused (`paused_gc`)."""
    with paused_gc():
        return _read_table(
            upload,
            columns,
            max_rows=max_rows,
            scan_rows=scan_rows,
            min_header_matches=min_header_matches,
            mapping=mapping,
            must_have=must_have,
        )


def _read_table(upload, columns, *, max_rows, scan_rows, min_header_matches, mapping, must_have):
    budget = ParseBudget()
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if _use_calamine(data, max_rows=max_rows + scan_rows + 1):
        try:
            book = _calamine_book(data)
        except _CalamineRefused:
            pass  # a file calamine cannot open: openpyxl, below, says what is wrong with it (or reads it)
        else:
            sheets = ((name, _calamine_rows(book, index)) for index, name in enumerate(book.sheet_names))
            return _first_matching_table(
                sheets,
                columns,
                max_rows,
                scan_rows,
                min_header_matches,
                budget,
                mapping=mapping,
                must_have=must_have,
                cells=_CALAMINE_CELLS,
            )
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DomainError("无法读取该 Excel 文件，请确认文件未损坏且未加密。") from exc
    try:
        sheets = ((ws.title, _sheet_rows(ws)) for ws in wb.worksheets)
        return _first_matching_table(
            sheets, columns, max_rows, scan_rows, min_header_matches, budget, mapping=mapping, must_have=must_have
        )
    except DomainError:
        raise
    except Exception as exc:  # a cell openpyxl cannot make sense of, met while reading the rows
        raise DomainError(
            "Excel 文件中有无法识别的单元格（文件可能已损坏，或由不规范的软件生成）。"
            "请用 Excel 或 WPS 打开后重新另存为 .xlsx 再导入。"
        ) from exc
    finally:
        wb.close()


def read_first_sheet(data, *, max_bytes, max_rows, max_col=MAX_HEADER_COLUMNS):
    """The first sheet of an uploaded .xlsx (bytes) as lists of cell values, at most `max_rows` + 1 rows (the caller
    tells "too many"), checked like every import first (size, .xls, encryption, zip bomb): for readers that are not
    ledgers (a notice's task list, campaign.task_list). A DomainError in Chinese when it cannot be read."""
    if len(data) > max_bytes:
        raise DomainError(f"文件过大（{len(data) / 1024 / 1024:.1f} MB），上限为 {max_bytes // 1024 // 1024} MB。")
    upload = io.BytesIO(data)
    check_workbook_file(upload, max_bytes=max_bytes)
    if _use_calamine(data, max_rows=max_rows + 1):
        try:
            book = _calamine_book(data)
        except _CalamineRefused:
            pass
        else:
            if book.sheet_names:
                rows = _calamine_rows(book, 0)(max_row=max_rows + 1, max_col=max_col)
                return [list(_CALAMINE_CELLS.as_openpyxl(row)) for row in rows]
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DomainError("无法读取该 Excel 文件，请确认文件未损坏且未加密。") from exc
    try:
        rows = []
        for row in _sheet_rows(wb.worksheets[0])(max_row=max_rows + 1, max_col=max_col):
            rows.append(list(row))
        return rows
    except Exception as exc:  # a cell openpyxl cannot make sense of
        raise DomainError("Excel 文件中有无法识别的单元格，请用 Excel 或 WPS 打开后重新另存为 .xlsx。") from exc
    finally:
        wb.close()


def _sheet_rows(ws):
    """Rows of a read-only sheet, `max_col` wide at most: a sheet may declare (and pad every row to) 16,384
    columns, and only the ledger's columns are worth reading."""

    # The declared size (<dimension>) is what the writing software claims, and some write "A1" over thousands of
    # rows: read to the last row there is. The row limit and `max_col` bound what that costs.
    ws.reset_dimensions()

    def rows(*, min_row=1, max_row=None, max_col):
        return ws.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col, values_only=True)

    return rows


# ---------------------------------------------------------------- calamine (Rust), guarded


class _CalamineRefused(Exception):
    pass


#: A cell's reference as calamine may be given it, the `r="` of a `<c ` being the first of its attributes: a column
#: from A to IV (calamine holds a sheet as a dense rectangle: a cell in XFD makes every row 16,384 cells wide, and a
#: reference past the last column aborts the process instead of raising), then a row number up to the limit
#: (`_numbers_up_to`: a cell of row 99,999 inside the file's third row would make the rectangle that tall) and the
#: closing quote: what Excel, WPS, openpyxl and XlsxWriter write (`r="B12"`).
_CELL_REFERENCE = rb'r="(?:[A-Za-z]|[A-Ha-h][A-Za-z]|[Ii][A-Va-v])%s"'  # one letter tried first: most are
#: Every row element's start and what follows `<row`: ` r="` for a row whose number is its first attribute, else
#: the space, tab, `/` or `>` of a row without its number first (`<row>`, `<row/>`, another attribute before `r="`).
#: One search both counts the rows and finds one calamine must not be given; it looks for the "w" of `<row`, rarer
#: in a sheet than the "<" of every tag.
_ROW_TAG = re.compile(rb'w(?<=<row)( r="|[\s/>])')
_NUMBERED_ROW = b' r="'
_DIGITS = re.compile(rb"\d+")
#: an error cell's `t="e"`, found from its `e"`: a search looks for the rarer "e" first, where `in` stops at every quote
_ERROR_CELL = re.compile(rb'e"(?<=t="e")')
#: a row or a cell element with a namespace prefix (`<x:row`, `<x:c `): one search for the rare ":", where looking
#: for ":row" and ":c " apart is two passes over the whole sheet; searched only in a window with a ":" at all (found
#: by memchr, many times faster than a search)
_PREFIXED = re.compile(rb":(?:row|c )")
#: the XML is searched a window of this size at a time: the several searches over a window that stays in the
#: processor's cache cost less than over a megabyte that does not (the 10,000-row bench file: 2 ms less, of 28)
_SCAN_CHUNK = 1 << 17
#: The longest stretch without a "<" (a tag and the text after it) a sheet written by Excel, WPS, openpyxl or
#: XlsxWriter may hold: a cell's 32,767 characters, each at most 10 bytes as a character reference (`&#131071;`). A
#: longer one sends the file to openpyxl: the window, carried on while no "<" ends it, would otherwise grow with every
#: chunk and be searched again whole each time (a 20 MB text took 1.5 s to scan, 190 MB minutes).
_LONGEST_RUN = 1 << 20


def _use_calamine(data, *, max_rows):
    """Whether calamine may read this workbook: the setting asks for it and every sheet's XML, scanned as it is
    decompressed, is one calamine reads as openpyxl does and within what the reader would read anyway (`max_rows`
    rows, 256 columns). calamine reads a sheet whole into a dense rectangle; a sparse file declaring 200,000 rows
    by 16,384 columns would be tens of gigabytes there, and openpyxl reads it row by row within the limits."""
    if getattr(settings, "EXCEL_READER", "calamine") != "calamine":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                if not _sheet_fits(archive, info, max_rows=max_rows):
                    return False
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        return False  # openpyxl opens it and says what is wrong in Chinese
    return True


def _numbers_up_to(limit):
    """A pattern of the whole numbers from 1 to `limit`, as written without leading zeros: those with fewer digits,
    then those with as many that are not above it (10016: 1–9999, 1000x, 1001[0-5], 10016)."""
    digits = str(limit)
    width = len(digits)
    shapes = [rb"[1-9]\d{0,%d}" % (width - 2)] if width > 1 else []
    for at, digit in enumerate(digits):
        lowest = 1 if at == 0 else 0
        if int(digit) > lowest:
            rest = width - at - 1
            shapes.append(
                b"%s[%d-%d]%s" % (digits[:at].encode(), lowest, int(digit) - 1, rb"\d{%d}" % rest if rest else b"")
            )
    shapes.append(digits.encode())
    return b"(?:%s)" % b"|".join(shapes)


def _sheet_fits(archive, info, *, max_rows):
    """One sheet's XML, scanned with byte counts and searches (no per-cell Python): what sends the file to openpyxl
    is an error cell (calamine reads it as blank, openpyxl as its text "#DIV/0!", which the parsers refuse by name);
    a namespace prefix on the sheet's elements; a row or a cell whose reference is not its first attribute (where it
    lies cannot be told without parsing; Excel, WPS, openpyxl and XlsxWriter all write it first); a cell right of
    column IV or below `max_rows`; more rows than `max_rows`."""
    # One search a window for a cell calamine must not be given: a `<c` element (not `<col`, `<cfRule`…) whose first
    # attribute is not a reference it may be given (`_CELL_REFERENCE`: none, another attribute first, right of column
    # IV, a row number with more digits than the limit). Written as the one shape a cell may have, the search does
    # little more at each of a sheet's 100,000 cells than find it.
    bad_cell = re.compile(rb"<c(?:[>/\t\r\n]| (?!%s))" % (_CELL_REFERENCE % _numbers_up_to(max_rows)))
    rows = last = 0
    pending = b""
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_SCAN_CHUNK)
            window = pending + chunk
            # Searched up to the window's last "<" (every tag begun before it ends before it), the rest with the next
            # window; the last window whole.
            end = max(0, window.rfind(b"<")) if chunk else len(window)
            if _ERROR_CELL.search(window) or (b":" in window and _PREFIXED.search(window)):
                return False
            if bad_cell.search(window, 0, end):
                return False
            row_tags = _ROW_TAG.findall(window, 0, end)
            if row_tags.count(_NUMBERED_ROW) != len(row_tags):
                return False
            rows += len(row_tags)
            at = window.rfind(b'<row r="')
            if at != -1:
                digits = _DIGITS.match(window, at + 8)
                if digits:
                    last = max(last, int(digits[0]))
            if max(rows, last) > max_rows:
                return False
            if not chunk:
                return True
            pending = window[end:]
            if len(pending) > _LONGEST_RUN:
                return False


def _calamine_book(data):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine's own kinds for a file it cannot open
        raise _CalamineRefused from exc


def _calamine_rows(book, index):
    """The sheet `index` of a calamine workbook as `rows(min_row=, max_row=, max_col=)`, like `_sheet_rows`: lists
    from column A and row 1 (calamine's rectangle starts at the first cell used unless told otherwise), each cell as
    calamine gives it (`_CALAMINE_CELLS` makes one what openpyxl gives)."""
    cache = {}

    def sheet():
        if "rows" not in cache:
            try:
                cache["rows"] = book.get_sheet_by_index(index).to_python(skip_empty_area=False)
            except Exception as exc:  # a sheet calamine cannot parse after all
                raise DomainError(
                    "Excel 文件中有无法识别的单元格（文件可能已损坏，或由不规范的软件生成）。"
                    "请用 Excel 或 WPS 打开后重新另存为 .xlsx 再导入。"
                ) from exc
        return cache["rows"]

    def rows(*, min_row=1, max_row=None, max_col):
        chosen = sheet()[min_row - 1 : max_row]
        if chosen and len(chosen[0]) <= max_col:
            return iter(chosen)  # every row of calamine's rectangle is as wide: none to cut
        return (raw[:max_col] for raw in chosen)

    return rows


def _whole_as_int(number):
    return int(number) if number.is_integer() else number


def _midnight(day):
    return dt.datetime(day.year, day.month, day.day)


def _blank_as_none(text):
    return text or None


@dataclass(frozen=True)
class _Cells:
    """The cells a reader's rows hold, as `_first_matching_table` and `_parse_rows` read them.

    `remembered`: the kinds of cell value whose parsed value a column remembers (`_parse_rows`), no two of them ever
    equal where the parsed values could differ (1 == 1.0 == True would mix a number cell with another kind).
    `convert`: kind → the cell as openpyxl gives it, for a reader whose cells are not (calamine): applied to the
    header rows, and to a data cell only when it is parsed, not at every cell of every row."""

    remembered: frozenset
    convert: dict = field(default_factory=dict)

    def as_openpyxl(self, values):
        """A row with every cell as openpyxl gives it."""
        if not self.convert:
            return values
        convert = self.convert.get
        return tuple([(to(value) if (to := convert(value.__class__)) else value) for value in values])


#: openpyxl's cells, and a CSV file's (text): what the parsers are written for
_OPENPYXL_CELLS = _Cells(frozenset((str, int, dt.datetime)))
#: calamine's: an empty cell "" (openpyxl: None), every number a float (openpyxl: an int when whole), a date cell a
#: date (openpyxl makes every date a datetime at midnight). A number and a date are remembered as calamine gives them
#: (1.0, whatever a cell holding 1 becomes); a boolean cell (True == 1.0) is not remembered.
_CALAMINE_CELLS = _Cells(
    frozenset((str, float, dt.date, dt.datetime)),
    {str: _blank_as_none, float: _whole_as_int, dt.date: _midnight},
)


def _match_header_row(values, synonyms, by_hand):
    """(column index → field, field → header as spelled, header → field taken from `by_hand`) for one row: the
    user's mapping first, then the synonyms for the fields it left."""
    mapping, headers, used = {}, {}, {}
    for index, value in enumerate(values):
        if value is None or _norm(value) not in by_hand:
            continue
        name = by_hand[_norm(value)]
        if name not in mapping.values():
            mapping[index] = name
            headers[name] = str(value).strip()
            used[str(value).strip()] = name
    for index, value in enumerate(values):
        if index in mapping or value is None:
            continue
        col = synonyms.get(_norm(value))
        if col is not None and col.field not in mapping.values():
            mapping[index] = col.field
            headers[col.field] = str(value).strip()
    return mapping, headers, used


def _first_matching_table(
    sheets,
    columns,
    max_rows,
    scan_rows,
    min_header_matches,
    budget,
    *,
    mapping=None,
    must_have=(),
    cells=_OPENPYXL_CELLS,
):
    """The first of (title, rows) whose first `scan_rows` rows hold a header row matching `columns`.

    `rows(min_row=, max_row=, max_col=)` gives a sheet's rows as sequences of `cells`; the data rows are read again
    from below the header, only as wide as the last ledger column."""
    synonyms = {}
    for col in columns:
        for h in col.headers:
            synonyms[_norm(h)] = col
    by_hand = {_norm(header): name for header, name in (mapping or {}).items()}
    for title, rows in sheets:
        budget.check()
        scan = rows(max_row=scan_rows, max_col=MAX_HEADER_COLUMNS)
        for number, values in enumerate(scan, start=1):
            budget.check()
            values = cells.as_openpyxl(values)
            found, headers, used = _match_header_row(values, synonyms, by_hand)
            if len(found) >= min_header_matches:
                close = getattr(scan, "close", None)
                if close:
                    close()  # the header scan's hold on the sheet, before the data rows are read
                sheet_headers = [str(v).strip() for v in values if v is not None and str(v).strip()]
                table = ParsedTable(
                    header_row=number,
                    sheet_name=title,
                    headers=headers,
                    sheet_headers=sheet_headers,
                    mapped_by_hand=used,
                )
                present = {_norm(v) for v in sheet_headers}
                unknown = [str(h) for h in must_have if _norm(h) not in present]
                if unknown:
                    raise DomainError(f"列对应中的“{'、'.join(unknown)}”不在表头中（第 {number} 行）。")
                _check_required(columns, found, number, sheet_headers, headers)
                table.columns_found = [c.label for c in columns if c.field in found.values()]
                data = rows(min_row=number + 1, max_col=max(found) + 1)
                _parse_rows(data, number, found, columns, table, max_rows, budget, cells)
                return table
    expected = "、".join(f"“{c.label}”" for c in columns if c.required)
    raise DomainError(f"没有找到表头行：请确认工作表前 {scan_rows} 行中有 {expected} 等列名。")


CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # what Excel and the positioning systems sold in China write


def _decode_csv(upload):
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data[:4096]:
        raise DomainError("文件不是有效的 Excel 工作簿（.xlsx）或 CSV 文本文件。")
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx 工作簿。")


def read_csv_table(upload, columns, *, max_rows, scan_rows=15, min_header_matches=3, mapping=None, must_have=()):
    """A CSV export (comma, semicolon or tab separated; UTF-8 or GBK) read like a one-sheet workbook."""
    import csv

    budget = ParseBudget()
    text = _decode_csv(upload)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel

    def rows(*, min_row=1, max_row=None, max_col):
        reader = csv.reader(io.StringIO(text), dialect)
        number = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # a field over the csv module's limit (128 K), a quote never closed
                raise DomainError(
                    f"CSV 文件第 {reader.line_num} 行无法读取：单元格内容过长或引号不配对，请检查后重新导出。"
                ) from exc
            number += 1
            if max_row is not None and number > max_row:
                return
            if number >= min_row:
                yield tuple(row[:max_col])

    return _first_matching_table(
        [("CSV", rows)], columns, max_rows, scan_rows, min_header_matches, budget, mapping=mapping, must_have=must_have
    )


def is_workbook(upload):
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return head.startswith((b"PK", b"\xd0\xcf\x11\xe0"))


def read_workbook_or_csv(upload, columns, *, max_rows, max_bytes, mapping=None, must_have=()):
    """An .xlsx workbook (checked as for every import) or, failing its signature, a CSV text file."""
    if is_workbook(upload):
        check_workbook_file(upload, max_bytes=max_bytes)
        return read_table(upload, columns, max_rows=max_rows, mapping=mapping, must_have=must_have)
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise DomainError(f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 {max_bytes // 1024 // 1024} MB。")
    if size == 0:
        raise DomainError("文件是空的。")
    return read_csv_table(upload, columns, max_rows=max_rows, mapping=mapping, must_have=must_have)


def _check_required(columns, mapping, header_row, sheet_headers, found):
    missing = [(c.field, c.label) for c in columns if c.required and c.field not in mapping.values()]
    if missing:
        raise MissingColumns(header_row=header_row, missing=missing, headers=sheet_headers, found=found)


TOTAL_ROW = re.compile(r"^(合\s*计|总\s*计|小\s*计)")
# The lines a ledger is signed on below its table (填报人：… 审核人：…), as the exports write them and offices add.
SIGNATURE_ROW = re.compile(r"^(填\s*报|审\s*核|制\s*表|负\s*责|审\s*批)\s*人")
#: the first characters either can begin with (a cell that begins otherwise is not matched against them)
_MARKS = frozenset("合总小填审制负")


_MISSING = object()
#: how many distinct values a column remembers: a ledger repeats a few dates, labels and names over thousands of rows;
#: a column whose values do not repeat (a description) fills its memory once and then only misses a look-up a cell
_REMEMBERED_VALUES = 512


def _parse_rows(rows, header_row, mapping, columns, table, max_rows, budget, cells=_OPENPYXL_CELLS):
    """Every row read counts toward `max_rows`, blank or not: a sheet of 200,000 rows with nothing in the ledger's
    columns costs as much to read as one full of data.

    A row's cells are the reader's (`cells`): whether a row is blank, a 合计 or a 填报人 line reads the same of
    calamine's "" as of openpyxl's None, and a cell is made what openpyxl gives only when it is parsed, not when its
    column remembers it.

    Written for 10,000 rows a file: one pass a row over the mapped cells, no per-cell objects beyond the parsed
    value, the first filled cells looked at only until two are found. Each column remembers what its repeated
    cells parse to (a cell's parser is a function of the cell alone, its value immutable): a date, a label or a name
    met again costs a dictionary look-up, not its parsing."""
    by_field = {c.field: c for c in columns}
    # Each mapped column's parser, whether it is required and its memory, looked up once, not once a cell.
    plan = [
        (index, name, by_field[name].parse, by_field[name].required, table.headers[name], {})
        for index, name in mapping.items()
    ]
    indices = [index for index, *_ in plan]
    errors, bad_rows, parsed_rows = table.errors, table.bad_rows, table.rows
    limit = header_row + max_rows
    check, now, deadline, isfinite = budget.check, time.monotonic, budget.deadline, math.isfinite
    remembered_kinds, convert, missing = cells.remembered, cells.convert, _MISSING
    for number, values in enumerate(rows, start=header_row + 1):
        if number > limit:
            raise DomainError(f"工作表超过 {max_rows} 行（空行也计入），请删除表格下方多余的空行，或分成几个文件导入。")
        if now() >= deadline:  # the clock read here, `check` (which says so) called only past it: a call less a row
            check()
        width = len(values)
        for i in indices:  # a row with none of the mapped cells filled (as `_total_or_signature` tells a filled one)
            if i < width:
                value = values[i]
                if value is not None and (not isinstance(value, str) or value.strip()):
                    break
        else:
            continue
        if _total_or_signature(values):
            continue
        parsed = {}
        for index, name, parse, required, header, known in plan:
            raw = values[index] if index < width else None
            kind = raw.__class__
            if kind in remembered_kinds:
                value = known.get(raw, missing)
                if value is not missing:
                    parsed[name] = value
                    continue
            key = raw
            if isinstance(raw, str):
                raw = raw.strip()
                if "\x00" in raw:
                    # No form can type it and PostgreSQL cannot store it in text.
                    parsed[name] = None
                    errors.append(RowError(number, header, "含有无效字符（空字符），请删除后再导入。"))
                    bad_rows.add(number)
                    continue
            else:  # (calamine's "" is text, and reads as blank below as openpyxl's None does)
                if kind in convert:
                    raw = convert[kind](raw)
                if raw.__class__ is bool:
                    # A TRUE/FALSE cell is the text Excel shows, not the 1 or 0 Python sees: parsed as a number it
                    # was Decimal("True"), an exception no parser caught (a 500).
                    raw = "TRUE" if raw else "FALSE"
                elif raw.__class__ is float and not isfinite(raw):
                    raw = str(raw)  # a number cell holding NaN or inf: refused by the parsers as text would be
            if raw is None or raw == "":
                parsed[name] = None
                if required:
                    errors.append(RowError(number, header, f"“{header}”不能为空。"))
                    bad_rows.add(number)
                continue
            try:
                value = parse(raw)
            except ValueError as exc:
                parsed[name] = None
                errors.append(RowError(number, header, str(exc)))
                bad_rows.add(number)
                continue
            parsed[name] = value
            if kind in remembered_kinds and len(known) < _REMEMBERED_VALUES:
                known[key] = value
        parsed_rows.append((number, parsed))


def _total_or_signature(values):
    """A 合计 row, or a 填报人 line: so its first two filled cells say, mapped or not (often the 序号 column, which no
    ledger imports). A filled cell is one neither empty (None, "") nor blank text; no call a cell: every row with a
    mapped cell filled passes here."""
    seen = 0
    for value in values:
        if isinstance(value, str):
            text = value.strip()
            if not text:
                continue
            if text[:1] in _MARKS and (TOTAL_ROW.match(text) or SIGNATURE_ROW.match(text)):
                return True
        elif value is None:
            continue
        seen += 1
        if seen == 2:
            return False
    return False


# ---------------------------------------------------------------- cell parsers (raise ValueError in Chinese)

DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s.*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:  # an Excel serial number left as a number
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = str(value).strip()
    for pattern in DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise ValueError(f"“{text}”不是有效日期，请写成 2024-11-03、2024.11.3 或 2024年11月3日。")


def parse_decimal(value):
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace("元", "").replace("￥", "").strip()
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"“{value}”不是有效数字。") from exc
    if not number.is_finite():  # NaN, sNaN, Infinity: Decimal reads them, no ledger means them
        raise ValueError(f"“{value}”不是有效数字。")
    if number < 0:
        raise ValueError("不能为负数。")
    return number


def parse_text(max_length):
    def parse(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if len(text) > max_length:
            raise ValueError(f"内容过长（{len(text)} 字），不能超过 {max_length} 字。")
        return text

    return parse


def parse_choice(choices, *, synonyms=None, what="取值"):
    """Accept a choice by its Chinese label, its code, or a listed synonym."""
    lookup = {}
    for value, label in choices:
        lookup[_norm(label)] = value
        lookup[_norm(value)] = value
    for text, value in (synonyms or {}).items():
        lookup[_norm(text)] = value
    allowed = "、".join(label for _, label in choices)
    known = {}  # cell value → choice: a ledger repeats a handful of values over thousands of rows

    def parse(raw):
        if raw in known:
            return known[raw]
        key = _norm(raw)
        if key in lookup:
            if len(known) < 1000:
                known[raw] = lookup[key]
            return lookup[key]
        raise ValueError(f"{what}“{raw}”无法识别，可选：{allowed}。")

    return parse
