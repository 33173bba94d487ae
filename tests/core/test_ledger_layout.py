"""Every .xlsx export prints on A4 as a county office files it; the ledgers with 序号 and 填报人/审核人 lines.

The exports are those of tests/core/test_export_formulas.py (EXPORTS, found there from the URL resolver, so a new
export is walked here too). Every sheet: A4, fitted to the page's width (as many pages down as it takes), the
header row repeated on each printed page, wrapped text, page numbers in the footer. Every ledger (all but the
dashboard's figures): landscape, a 序号 column numbering the rows 1…n, and the 填报人 and 审核人 lines below the
table."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.core.test_export_formulas import EXPORTS, build_world

#: exports that are figures, not ledgers: no 序号, no signatures (their sheets still print on A4, fitted)
NOT_LEDGERS = {"dashboard_export"}


def fetch(client, api_client, name, world):
    kwargs, query = EXPORTS[name]
    api = "-" in name
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    response = (api_client if api else client).get(url, query(world) if callable(query) else query)
    assert response.status_code == 200, f"{name} → {response.status_code}"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def header_row_of(ws):
    match = re.fullmatch(r"\$?(\d+):\$?(\d+)", ws.print_title_rows or "")
    assert match, f"{ws.title}: no header row repeated on each printed page ({ws.print_title_rows!r})"
    return int(match[2])


def check_print_setup(name, ws, *, landscape):
    where = f"{name}!{ws.title}"
    assert ws.page_setup.paperSize in (9, "9"), f"{where}: paper {ws.page_setup.paperSize}"
    # fitToWidth left out is 1, the attribute's default in ECMA-376 (XlsxWriter writes only what differs from it)
    assert int(ws.page_setup.fitToWidth or 1) == 1 and int(ws.page_setup.fitToHeight) == 0, where
    assert ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage, where
    if landscape:
        assert ws.page_setup.orientation == "landscape", f"{where}: {ws.page_setup.orientation}"
    assert "&P" in (ws.oddFooter.center.text or ""), f"{where}: no page number in the footer"


@pytest.mark.django_db
def test_every_export_prints_on_a4_and_every_ledger_has_numbers_and_signature_lines(client, api_client, county):
    world = build_world(county)
    client.force_login(county.inspector)
    api_client.force_authenticate(county.inspector)
    ledgers = 0
    for name in EXPORTS:
        wb = fetch(client, api_client, name, world)
        for ws in wb.worksheets:
            check_print_setup(name, ws, landscape=False)
        if name in NOT_LEDGERS:
            continue
        ws = wb.worksheets[0]
        check_print_setup(name, ws, landscape=True)
        header = header_row_of(ws)
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=header)]
        assert rows[0][0] == "序号", f"{name}: the first column is {rows[0][0]!r}"
        signature_at = next(
            (i for i, row in enumerate(rows) if any(isinstance(v, str) and "填报人" in v for v in row)), None
        )
        assert signature_at, f"{name}: no 填报人 line below the table"
        signature = " ".join(str(v) for v in rows[signature_at] if v)
        assert "审核人" in signature, f"{name}: {signature}"
        data = [row for row in rows[1:signature_at] if any(v not in (None, "") for v in row)]
        assert data, f"{name}: no rows"
        assert [row[0] for row in data] == list(range(1, len(data) + 1)), f"{name}: 序号 {[r[0] for r in data]}"
        # Text wraps: a long cell of the table is drawn on several lines, not cut at the column's edge.
        first = ws.cell(row=header + 1, column=2)
        assert first.alignment.wrap_text, f"{name}: {first.coordinate} does not wrap"
        ledgers += 1
    assert ledgers == len(EXPORTS) - len(NOT_LEDGERS)
