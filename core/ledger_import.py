"""The shared shape of a ledger import: all good rows or nothing, bad rows reported, re-imports skipped.

Each ledger says how to read its columns, check a row across cells and build a model instance; this module does
the rest the same way for every ledger.
"""

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .errors import DomainError
from .excel import RowError, check_workbook_file, read_table, read_workbook_or_csv


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0  # already in the ledger (a re-import of the same rows)
    total_rows: int = 0
    errors: list = field(default_factory=list)
    rows: list = field(default_factory=list, repr=False)  # the created rows, as field → value
    ids: list = field(default_factory=list, repr=False)

    def as_dict(self):
        return {
            "created": self.created,
            "skipped": self.skipped,
            "total_rows": self.total_rows,
            "errors": [e.as_dict() for e in self.errors],
        }


class ImportRejected(DomainError):
    """The file has bad rows and the user did not ask to import only the good ones: nothing was written."""

    def __init__(self, errors, total_rows):
        bad = len({e.row for e in errors})
        super().__init__(
            f"共 {total_rows} 行数据，其中 {bad} 行有错误，未导入任何数据。请改正后重新导入，或选择只导入正确的行。"
        )
        self.errors = errors
        self.total_rows = total_rows


@dataclass(frozen=True)
class LedgerSpec:
    columns: list
    #: (row number, parsed values, headers as spelled in the file, errors list) → bool (row is consistent)
    check: Callable
    #: (parsed values) → the row to insert, as {field attname: value}, with its "fingerprint"
    build: Callable
    model: type
    what: str  # e.g. "隐患", for messages
    max_rows: int = 10_000
    accepts_csv: bool = False  # exports of other systems come as CSV too
    #: fields the build derives from another column (e.g. the fine from 处罚情况): field → that column's field
    derived_from: dict = field(default_factory=dict)


def _bounded_fields(model):
    """The model's plain fields (no relations) by name and attname: those whose validators hold the bounds."""
    fields = {}
    for f in model._meta.concrete_fields:
        if not f.is_relation:
            fields[f.name] = fields[f.attname] = f
    return fields


def _of_field_type(model_field, value):
    """Whether `value` is already what the field stores: a time of day still waiting for its date, or a parsed
    choice, is checked once the row is built."""
    if isinstance(model_field, models.DateTimeField):
        return isinstance(value, dt.datetime)
    if isinstance(model_field, models.DateField):
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if isinstance(model_field, models.DecimalField | models.IntegerField | models.FloatField):
        return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if isinstance(model_field, models.CharField | models.TextField):
        return isinstance(value, str)
    return False


def bound_errors(model, number, values, headers, *, derived_from=None):
    """The cells of row `number` (field → value) that break their model field's validators, i.e. the bounds of
    core.bounds (dates, numbers, lengths), as RowErrors under the column's header as the file spells it.

    The importers run the same validators as the forms and the API, so a row is refused for what a form would
    refuse, with the same Chinese message."""
    fields = _bounded_fields(model)
    errors = []
    for name, value in values.items():
        model_field = fields.get(name)
        if model_field is None or value is None or value == "" or not _of_field_type(model_field, value):
            continue
        try:
            model_field.run_validators(value)
        except ValidationError as exc:
            column = headers.get(name) or headers.get((derived_from or {}).get(name)) or str(model_field.verbose_name)
            # One message a cell: a figure far too large also breaks the column's digits, which says nothing more.
            errors.append(RowError(number, column, exc.messages[0]))
    return errors


@dataclass
class PreparedLedger:
    """A file read and checked, nothing written yet: what `write_ledger` inserts."""

    result: ImportResult
    candidates: list


def read_ledger(*, spec, upload, only_valid_rows):
    """Read and check the file, outside any transaction: parsing may take seconds and must not hold a write lock
    (SQLite locks the whole database; PostgreSQL would hold row locks). Raises ImportRejected for bad rows unless
    `only_valid_rows`."""
    if spec.accepts_csv:
        table = read_workbook_or_csv(upload, spec.columns, max_rows=spec.max_rows, max_bytes=settings.UPLOAD_MAX_BYTES)
    else:
        check_workbook_file(upload, max_bytes=settings.UPLOAD_MAX_BYTES)
        table = read_table(upload, spec.columns, max_rows=spec.max_rows)
    result = ImportResult(total_rows=len(table.rows), errors=list(table.errors))
    if not table.rows:
        raise DomainError(f"文件中没有找到任何{spec.what}数据行。")
    candidates = []
    for number, values in table.rows:
        # The cells as parsed are checked against their bounds first, even when another cell failed, so one pass
        # reports everything; what the row's checks and build make of them (a time joined to its date, a fine read
        # from 处罚情况) is checked once built.
        as_parsed = dict(values)
        cell_errors = bound_errors(spec.model, number, as_parsed, table.headers)
        result.errors.extend(cell_errors)
        consistent = spec.check(number, values, table.headers, result.errors)
        if not consistent or cell_errors or number in table.bad_rows:
            continue
        row = spec.build(values)
        unchecked = {k: v for k, v in row.items() if not (k in as_parsed and as_parsed[k] is v)}
        built_errors = bound_errors(spec.model, number, unchecked, table.headers, derived_from=spec.derived_from)
        result.errors.extend(built_errors)
        if not built_errors:
            candidates.append(row)
    result.errors.sort(key=lambda e: e.row)  # stable: within a row, columns stay in file order
    if result.errors and not only_valid_rows:
        raise ImportRejected(result.errors, result.total_rows)
    return PreparedLedger(result=result, candidates=candidates)


def write_ledger(*, spec, mine, prepared, actor=None):
    """Insert the prepared rows not already in the mine's ledger. Run inside the caller's (short) transaction."""
    result, candidates = prepared.result, prepared.candidates
    existing = set(
        spec.model.objects.filter(mine=mine, fingerprint__in=[c["fingerprint"] for c in candidates]).values_list(
            "fingerprint", flat=True
        )
    )
    new = []
    for row in candidates:
        if row["fingerprint"] in existing:
            result.skipped += 1
            continue
        existing.add(row["fingerprint"])  # the same line twice in one file counts once
        new.append(row)
    result.rows, result.ids = new, insert_rows(spec.model, new)
    if hasattr(spec.model, "history") and result.ids:
        record_created_history(spec.model, result.ids, actor)
    result.created = len(result.ids)
    return result


def import_ledger(*, spec, mine, upload, only_valid_rows, actor=None, then=None):
    """Read and check the file first, outside any transaction; then write the rows, and whatever `then(result)`
    writes after them, in one short transaction. Returns the ImportResult."""
    prepared = read_ledger(spec=spec, upload=upload, only_valid_rows=only_valid_rows)
    with transaction.atomic():
        result = write_ledger(spec=spec, mine=mine, prepared=prepared, actor=actor)
        if then is not None:
            then(result)
    return result


def record_created_history(model, ids, actor):
    """The audit trail's "created" record of each imported row, attributed to whoever imported it.

    The same rows simple-history would write, copied inside the database in one statement instead of being built
    one Python object at a time: an import of 10,000 rows spends its time reading the file, not writing history."""
    from django.db import connection
    from django.utils import timezone

    history = model.history.model
    source_columns = {f.column for f in model._meta.concrete_fields}
    columns = [f.column for f in history._meta.concrete_fields if f.column in source_columns]
    qn = connection.ops.quote_name
    column_list = ", ".join(qn(c) for c in columns)
    now, user_id = timezone.now(), getattr(actor, "pk", None)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            part = ids[start : start + 5000]
            placeholders = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"INSERT INTO {qn(history._meta.db_table)} ({column_list}, history_date, history_change_reason, "
                f"history_type, history_user_id) SELECT {column_list}, %s, NULL, '+', %s "
                f"FROM {qn(model._meta.db_table)} WHERE {qn('id')} IN ({placeholders})",
                [now, user_id, *part],
            )


def insert_rows(model, rows):
    """Insert new rows given as {attname: value}; return their ids in order. Fields a row leaves out take their
    default (the time for auto_now fields).

    On PostgreSQL: ids are reserved from the table's sequence, then the rows go in with COPY, three times faster than
    INSERT … VALUES (the ORM's per-object work was most of an import's time). Elsewhere, bulk_create."""
    from django.db import connection
    from django.utils import timezone

    if not rows:
        return []
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {
        f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        for f in fields
    }
    if connection.vendor != "postgresql":
        objects = model.objects.bulk_create([model(**{**defaults, **row}) for row in rows], batch_size=2000)
        return [o.pk for o in objects]
    table, pk = model._meta.db_table, model._meta.pk.column
    names = [f.attname for f in fields]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, len(rows)]
        )
        ids = [value for (value,) in cursor.fetchall()]
        buffer = io.StringIO()
        for row_id, row in zip(ids, rows, strict=True):
            buffer.write(str(row_id))
            for name in names:
                buffer.write("\t")
                buffer.write(_copy_value(row.get(name, defaults[name])))
            buffer.write("\n")
        buffer.seek(0)
        columns = ", ".join(qn(c) for c in [pk, *(f.column for f in fields)])
        cursor.cursor.copy_expert(f"COPY {qn(table)} ({columns}) FROM STDIN", buffer)
    return ids


def _copy_value(value):
    """One value in PostgreSQL's COPY text format: \\N for NULL, backslash escapes for the separators."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text
