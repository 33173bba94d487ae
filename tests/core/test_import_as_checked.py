"""A write that checks a file's rows while the ones before them are stored (core.ledger_import.write_ledger on
PostgreSQL, for a ledger whose rows' fingerprints its cells tell): it writes, skips, refuses and warns about exactly
what a check of the whole file first would, and the preview's digest holds for it."""

import datetime as dt

import pytest
from django.db import connection, transaction

import core.ledger_import as ledger_import
from core.ledger_import import ImportRejected
from core.models import ImportBatch
from hazards.models import Hazard
from hazards.services import hazards_import

from ..hazards.xlsx import workbook_upload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="rows are written as checked on PostgreSQL only"),
]

DAY = dt.date.today() - dt.timedelta(days=10)


def _line(number, place, what, *, found=DAY, due=None, level="一般", funds=0):
    due = due or DAY + dt.timedelta(days=5)
    found_text = found if isinstance(found, str) else found.isoformat()
    return [number, found_text, "班组日查", place, what, "顶板", level, "补液", "王建军", due.isoformat(), funds]


def _file():
    """Good lines around every way a line is left out: a cell that cannot be read, a rule the line breaks (its
    整改期限 before its 排查日期), a line repeated in the file, a line already in the ledger; spread over parts of
    two lines (the slices are made that small below)."""
    return workbook_upload(
        [
            _line(1, "2401工作面", "支架初撑力不足"),
            _line(2, "主斜井", "跑偏保护失效"),
            _line(3, "中央水仓", "清挖不及时", found="2024/13/45"),
            _line(4, "2401工作面", "支架初撑力不足"),  # the same as line 1
            _line(5, "1105掘进面", "锚杆间距超限", due=DAY - dt.timedelta(days=3)),
            _line(6, "井底车场", "already in the ledger"),
            _line(7, "2402回风巷", "风门未闭锁"),
            _line(8, "运输大巷", "托辊损坏", funds="八千"),
            _line(9, "+540水平", "巷道积水"),
        ]
    )


def _imported(county, *, as_checked, **options):
    """What an import of `_file()` wrote and answered, rolled back after."""
    if not as_checked:
        options.setdefault("only_valid_rows", True)
    with transaction.atomic():
        hazards_import(
            actor=county.mine1_officer,
            mine=county.mine1,
            upload=workbook_upload([_line(1, "井底车场", "already in the ledger")]),
        )
        original = ledger_import.writes_as_checked
        ledger_import.writes_as_checked = original if as_checked else (lambda spec, dry_run=False: False)
        try:
            result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=_file(), **options)
        finally:
            ledger_import.writes_as_checked = original
        batch = ImportBatch.objects.get(pk=result.batch_id)
        answer = {
            "created": result.created,
            "row_numbers": result.row_numbers,
            "skipped": [(s.row, s.reason) for s in result.skipped_rows],
            "errors": [(e.row, e.column, e.message) for e in result.errors],
            "warnings": [(w.row, w.kind, w.message) for w in result.warnings],
            "digest": result.digest,
            "batch": (batch.created_count, batch.skipped_count, batch.error_rows, batch.warning_count),
            "written": sorted(
                Hazard.objects.filter(import_batch_id=batch.pk).values_list("location", "description", "due_on")
            ),
            "ids": result.ids == sorted(Hazard.objects.filter(import_batch_id=batch.pk).values_list("pk", flat=True)),
        }
        transaction.set_rollback(True)
    return answer


def test_written_as_checked_it_writes_skips_and_warns_as_a_whole_file_checked_first(county, monkeypatch):
    monkeypatch.setattr(ledger_import, "_CHECK_SLICE", 2)
    monkeypatch.setattr(ledger_import, "_COPY_SLICE", 2)
    streamed = _imported(county, as_checked=True, only_valid_rows=True)
    whole = _imported(county, as_checked=False)
    assert streamed == whole
    assert streamed["created"] == 4 and streamed["ids"]
    assert [row for row, _ in streamed["skipped"]] == [7, 9]  # line 4 repeats line 1; line 6 is in the ledger
    assert sorted({row for row, *_ in streamed["errors"]}) == [6, 8, 11]


def test_the_previews_digest_holds_for_a_write_that_checks_as_it_writes(county, monkeypatch):
    monkeypatch.setattr(ledger_import, "_CHECK_SLICE", 2)
    preview = hazards_import(
        actor=county.mine1_officer, mine=county.mine1, upload=_file(), only_valid_rows=True, dry_run=True
    )
    result = hazards_import(
        actor=county.mine1_officer,
        mine=county.mine1,
        upload=_file(),
        only_valid_rows=True,
        expect_digest=preview.digest,
    )
    assert result.created == preview.created == 5  # no line in the ledger before: line 6 too


def test_a_rule_broken_in_a_later_part_refuses_the_whole_file_and_lists_every_error(county, monkeypatch):
    monkeypatch.setattr(ledger_import, "_CHECK_SLICE", 2)
    lines = [_line(n, f"{n}号工作面", "顶板离层") for n in range(1, 7)]
    lines[1] = _line(2, "2号工作面", "顶板离层", due=DAY - dt.timedelta(days=1))  # in the first part
    lines[5] = _line(6, "6号工作面", "顶板离层", due=DAY - dt.timedelta(days=2))  # in the last
    with pytest.raises(ImportRejected) as refused:
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(lines))
    assert sorted({e.row for e in refused.value.errors}) == [5, 9]
    assert not Hazard.objects.exists() and not ImportBatch.objects.exists()


def test_a_ledger_whose_rows_query_while_they_are_written_fails_loudly_and_writes_nothing(county, monkeypatch):
    import hazards.services.ledger_import as hazard_import

    build = hazard_import._row_to_hazard

    def querying(values, **options):
        ImportBatch.objects.count()  # what a row's build may not do while the rows before it are stored
        return build(values, **options)

    monkeypatch.setattr(hazard_import, "_row_to_hazard", querying)
    with pytest.raises(Exception, match="a query while insert_rows"):
        hazards_import(
            actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload([_line(1, "2401工作面", "片帮")])
        )
    assert not Hazard.objects.exists()
