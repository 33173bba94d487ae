"""Builds small .xlsx files the way mines write them, for import tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HEADERS = [
    "序号",
    "排查日期",
    "排查类型",
    "隐患地点",
    "隐患内容",
    "专业",
    "隐患等级",
    "整改措施",
    "整改责任人",
    "整改期限",
    "整改资金（元）",
]


def workbook_upload(rows, *, headers=HEADERS, title="某煤矿隐患台账", name="ledger.xlsx"):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.append([])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def table_rows(ws, *, header_row=3):
    """The data rows of an exported ledger sheet (values): below the header, up to the blank row above its
    填报人/审核人 lines."""
    rows = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if all(v in (None, "") for v in row):
            break
        rows.append(row)
    return rows
