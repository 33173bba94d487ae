"""The shared shape of a ledger import: all good rows or nothing, bad rows reported, re-imports skipped.

Each ledger says how to read its columns, check a row across cells and build a model instance; this module does
the rest the same way for every ledger.
"""

import datetime as dt
import functools
import hashlib
import itertools
import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction

from .errors import DomainError, InvalidState, NotFound, NotPermitted
from .excel import MissingColumns, RowError, check_workbook_file, paused_gc, read_table, read_workbook_or_csv


@dataclass
class ImportWarning:
    """A row the user should look at before confirming: one that will be imported (a date outside the campaign, a
    major hazard that will suspend the mine, a line already closed in the file, a 班组 the roster will create), or one
    skipped as already in the ledger where the file says otherwise (a person on the roster under another post)."""

    row: int
    column: str
    kind: str
    message: str
    #: a preview's own (spec.preview_warn): what it tells before the confirm, which the write itself does not work
    #: out again (the 疑似重大隐患 of a line, raised as a finding once the import has committed)
    preview_only: bool = False

    def as_dict(self):
        return {"row": self.row, "column": self.column, "kind": self.kind, "message": self.message}


#: what a warning is about
OUTSIDE_CAMPAIGN, SUSPENDS_MINE, ALREADY_CLOSED = "outside_campaign", "suspends_mine", "closed"


def campaign_warning(number, column, day, current, what_day):
    """A warning when `day` (a row's date, called `what_day`) is outside the campaign running now (`current`, with
    `starts_on`, `ends_on` and `name`), or outside every campaign when none runs; else None."""
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        from django.utils import timezone

        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    if current is None:
        return ImportWarning(
            number, column, OUTSIDE_CAMPAIGN, f"{what_day} {day:%Y-%m-%d} 不在正在开展的专项整治期间内。"
        )
    if current.starts_on <= day <= current.ends_on:
        return None
    return ImportWarning(
        number,
        column,
        OUTSIDE_CAMPAIGN,
        f"{what_day} {day:%Y-%m-%d} 不在本次专项整治期间"
        f"（{current.starts_on:%Y-%m-%d} 至 {current.ends_on:%Y-%m-%d}），请确认是否为往年台账。",
    )


#: why a row is skipped
IN_LEDGER, IN_FILE = "in_ledger", "in_file"
SKIP_MESSAGES = {IN_LEDGER: "已在本矿台账中，跳过", IN_FILE: "与文件中前面的行重复，跳过"}


@dataclass
class SkippedRow:
    row: int
    reason: str  # IN_LEDGER or IN_FILE

    @property
    def message(self):
        return SKIP_MESSAGES[self.reason]

    def as_dict(self):
        return {"row": self.row, "reason": self.reason, "message": self.message}


@dataclass
class ImportResult:
    created: int = 0  # written (or, in a preview, to be written)
    skipped: int = 0  # already in the ledger, or repeated in the file
    total_rows: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    skipped_rows: list = field(default_factory=list)
    rows: list = field(default_factory=list, repr=False)  # the rows to create, as field → value
    row_numbers: list = field(default_factory=list, repr=False)  # their Excel row numbers, in the same order
    ids: list = field(default_factory=list, repr=False)
    batch_id: int | None = None
    dry_run: bool = False
    #: the columns as read: field → header as the file spells it; the headers mapped by hand (header → field)
    headers: dict = field(default_factory=dict)
    mapping: dict = field(default_factory=dict)
    sheet_headers: list = field(default_factory=list)
    digest: str = ""  # what this plan would write (plan_digest): the confirm of a preview must find the same
    columns: list = field(default_factory=list, repr=False)  # the ledger's (field, label, required)
    preview_fields: tuple = ()  # what the preview shows of each row to create
    preview_labels: list = field(default_factory=list)
    preview_rows: list = field(default_factory=list, repr=False)  # (row number, [cell as shown]) of the first rows
    notes: list = field(default_factory=list)  # what the write did besides the rows, in Chinese (the units it created)

    @property
    def error_rows(self):
        return len({e.row for e in self.errors})

    @property
    def kept_warnings(self):
        """The warnings the import keeps (its batch's 提醒): a preview's own (`ImportWarning.preview_only`) left out, so
        the preview's count and the result's agree."""
        return [w for w in self.warnings if not w.preview_only]

    @property
    def preview_only_warnings(self):
        return [w for w in self.warnings if w.preview_only]

    def as_dict(self):
        """The answer of an import that wrote its rows (counts, as the one-call API always gave them)."""
        return {
            "created": self.created,
            "skipped": self.skipped,
            "total_rows": self.total_rows,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            "mapping": self.mapping,
            "batch": self.batch_id,
        }

    def as_preview_dict(self):
        """The answer of a dry run: each row to create, skipped, in error or warned about, by its Excel row number;
        the counts beside them."""
        return {
            "dry_run": True,
            "total_rows": self.total_rows,
            "created_count": self.created,
            "skipped_count": self.skipped,
            "error_rows": self.error_rows,
            "created": [
                {"row": number, **{name: _json_value(row.get(name)) for name in self.preview_fields}}
                for number, row in zip(self.row_numbers, self.rows, strict=True)
            ],
            "skipped": [s.as_dict() for s in self.skipped_rows],
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            "mapping": self.mapping,
            "columns": dict(self.headers),
        }


def _json_value(value):
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


PREVIEW_ROWS = 20  # rows to create shown in the page's preview table


def _shown(model_field, value):
    """A value as the preview table shows it: a choice by its Chinese label, a time in local time."""
    from django.utils import timezone

    if value is None or value == "":
        return ""
    if model_field is not None and model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


class ImportRejected(DomainError):
    """The file has bad rows and the user did not ask to import only the good ones: nothing was written."""

    def __init__(self, errors, total_rows):
        bad = len({e.row for e in errors})
        super().__init__(
            f"共 {total_rows} 行数据，其中 {bad} 行有错误，未导入任何数据。请改正后重新导入，或选择只导入正确的行。"
        )
        self.errors = errors
        self.total_rows = total_rows


class AlreadyImported(InvalidState):
    """Another confirm of the same kept file (a double tap, a request the network sent again) has written it."""

    def __init__(self):
        super().__init__("该文件已经导入（“确认导入”可能点了两次）：请在导入记录中查看。")


class PreviewChanged(InvalidState):
    """The ledger (or the file) changed between the preview and the confirm: nothing was written."""

    def __init__(self):
        super().__init__("预览之后台账已有变化（例如他人刚导入了其中的行），本次未导入任何数据。请重新预览后再确认。")


@dataclass(frozen=True)
class LedgerSpec:
    columns: list
    #: (row number, parsed values, headers as spelled in the file, the row's errors so far) → bool (row is
    #: consistent); the errors it finds are appended to that list
    check: Callable
    #: (parsed values) → the row to insert, as {field attname: value}, with its "fingerprint"
    build: Callable
    model: type
    what: str  # e.g. "隐患", for messages
    max_rows: int = 10_000
    accepts_csv: bool = False  # exports of other systems come as CSV too
    #: fields the build derives from another column (e.g. the fine from 处罚情况): field → that column's field
    derived_from: dict = field(default_factory=dict)
    #: the ledger (core.models.LedgerKind): batches and remembered mappings are kept per mine and kind
    kind: str = ""
    #: (row number, built row, headers) → [ImportWarning]: what the preview asks the user to look at
    warn: Callable | None = None
    #: (row number, built row, headers) → [ImportWarning] that only a preview (a dry run) works out: what tells the
    #: user something before confirming but costs more than the write itself (the 疑似重大隐患 matcher: ~0.2 ms a
    #: line, 2 s for 10,000), where the write does its own part after it commits (the findings)
    preview_warn: Callable | None = None
    #: (rows to create, their row numbers, headers) → [ImportWarning] about the file as a whole
    warn_all: Callable | None = None
    #: (ImportResult) → None: what the import writes after the rows (events, the mine's status, task progress)
    after_insert: Callable | None = None
    #: (the rows an undo deleted, as field → value) → None: the same figures computed again without them
    after_undo: Callable | None = None
    #: models pointing to the rows that the shared check (`touched_reason`) leaves to `undo_check`: what the import
    #: itself writes beside the rows (a leader's review owed, a 疑似重大隐患 finding), which is no sign of later work
    #: until `undo_check` says so, and what it judges in words of its own (the hazards' events)
    undo_owned: tuple = ()
    #: (ids) → a Chinese reason the batch cannot be undone, from the owned models, or None
    undo_check: Callable | None = None
    #: (ids) → None: delete what the import wrote beside the rows that would block their deletion
    undo_cleanup: Callable | None = None
    #: fields shown in the preview's table of rows to add (model field names, or keys of the built row that are not
    #: fields, labelled in `preview_labels`)
    preview_fields: tuple = ()
    preview_labels: dict = field(default_factory=dict)
    #: (parsed values) → the "fingerprint" the row's build will give it, told from its cells before its checks: a
    #: ledger that can tell it has its rows checked while they are written (`write_ledger`, on PostgreSQL), the
    #: database storing one part of the file while the next is checked; None: every row checked first
    fingerprint: Callable | None = None
    #: (mine, built rows) → the fingerprints of those already in the mine's ledger, for a model that keeps no
    #: `fingerprint` column (the roster knows a person by name and 工号); None: the model's `fingerprint` field
    existing: Callable | None = None
    #: ([(row number, built row)] skipped as already in the ledger, headers) → [ImportWarning]: where the ledger and
    #: the file disagree about a row the import leaves as it is (a person on the roster under another post)
    warn_existing: Callable | None = None
    #: (ImportResult, batch) → None: inside the write, before the rows go in: what they need created first (the
    #: roster's new 车间/班组), written with `import_batch` = the batch so that an undo finds them
    before_insert: Callable | None = None
    #: models of what `before_insert` creates beside the rows (pointing to the batch by `import_batch`): an undo
    #: removes those nothing else uses and nobody edited since, and keeps the others
    created_beside: tuple = ()


@functools.cache
def _bounded_fields(model):
    """The model's plain fields (no relations) by name and attname: those whose validators hold the bounds. Once a
    model: an import asks twice a row."""
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


#: the kinds of value whose equality is identity of what the validators say (no 1 == 1.0 == True, no
#: Decimal("100") == Decimal("100.000") that a field's decimal places tell apart): a column of them is judged by its
#: distinct values as they are; any other value by its kind and its text
_EXACT_KINDS = frozenset((str, dt.date, dt.datetime, type(None)))
_TEXT_KINDS = frozenset((str, type(None)))


def _verdict_key(value):
    return value if value.__class__ in _EXACT_KINDS else (value.__class__, str(value))


def bound_errors(model, number, values, headers, *, derived_from=None, seen=None):
    """The cells of row `number` (field → value) that break their model field's validators, as RowErrors: see
    `bound_errors_by_row`."""
    return bound_errors_by_row(model, [(number, values)], headers, derived_from=derived_from, seen=seen).get(number, [])


def bound_errors_by_row(model, rows, headers, *, derived_from=None, seen=None):
    """{row number: [RowError]} for the cells of `rows` ([(row number, {field: value})]) that break their model
    field's validators, i.e. the bounds of core.bounds (dates, numbers, lengths), under the column's header as the
    file spells it; a row's errors in its columns' order.

    The importers run the same validators as the forms and the API, so a row is refused for what a form would
    refuse, with the same Chinese message. Judged a column at a time, once for each distinct value: a ledger repeats
    its dates, units and people over thousands of rows, and a column whose values all pass (the usual case) costs
    a set of its values and no work a row. `seen` ({} kept by the caller over one file) remembers each field's
    verdict on a value between calls."""
    fields = _bounded_fields(model)
    seen = {} if seen is None else seen
    by_row = {}
    dicts = [values for _, values in rows]
    names = [name for name in dict.fromkeys(itertools.chain.from_iterable(dicts)) if name in fields]
    for name in names:
        model_field = fields[name]
        column = list(map(operator.methodcaller("get", name), dicts))
        kinds = set(map(type, column))
        exact = kinds <= _EXACT_KINDS
        if exact:
            keys, judged = column, dict.fromkeys(column)  # each value its own key
        else:
            # One value of each distinct key (values of one key are interchangeable for the validators).
            keys = list(map(_verdict_key, column))
            judged = dict(zip(keys, column, strict=True))
        judged.pop(None, None)
        judged.pop("", None)
        limit = _length_limit(model_field)
        if limit is not None and kinds <= _TEXT_KINDS and max(map(len, judged), default=0) <= limit:
            continue  # a text column within its field's length: no value of it to judge one by one
        failing = {}
        for key, value in judged.items():
            message = _verdict(model_field, name, key, key if exact else value, seen)
            if message is not None:
                failing[key] = message
        if not failing:
            continue
        header = headers.get(name) or headers.get((derived_from or {}).get(name)) or str(model_field.verbose_name)
        for number, key in zip((number for number, _ in rows), keys, strict=True):
            message = failing.get(key)
            if message is not None:
                by_row.setdefault(number, []).append(RowError(number, header, message))
    return by_row


@functools.cache
def _length_limit(model_field):
    """The longest text the field's validators let through when a length is all they bound (a CharField's max_length,
    core.bounds.text_at_most), else None: a column of texts none longer than that needs no validator run a value."""
    validators = model_field.validators
    if validators and all(type(v) is MaxLengthValidator for v in validators):
        return min(v.limit_value for v in validators)
    return None


def _verdict(model_field, name, key, value, seen):
    """The first message of the field's validators on `value` (None: within its bounds), remembered in `seen`."""
    remembered = (name, key)
    if remembered in seen:
        return seen[remembered]
    message = None
    if _of_field_type(model_field, value):
        try:
            model_field.run_validators(value)
        except ValidationError as exc:
            # One message a cell: a figure far too large also breaks the column's digits, which says no more.
            message = exc.messages[0]
    seen[remembered] = message
    return message


@dataclass
class PreparedLedger:
    """A file read, nothing written yet: what `write_ledger` inserts. Its rows checked (`candidates`), or their checks
    left to the write (`checks`: read_ledger's `defer_checks`)."""

    result: ImportResult
    candidates: list | None = None  # (Excel row number, the row to insert)
    checks: "RowChecks | None" = None


def check_mapping(spec, mapping):
    """A mapping as given (sheet header → field name), checked against the ledger's fields: {} when none. Raises
    DomainError (a 400) for a mapping that is not an object of texts, names a field the ledger does not have, or
    maps two headers to one field."""
    if mapping in (None, ""):
        return {}
    if isinstance(mapping, str):
        try:
            mapping = json.loads(mapping)
        except ValueError:
            raise DomainError(
                '列对应（mapping）不是有效的 JSON，应写作 {"表头": "字段名"}。', field="mapping"
            ) from None
    if not isinstance(mapping, dict):
        raise DomainError('列对应（mapping）应为 JSON 对象：{"表头": "字段名"}。', field="mapping")
    fields = {c.field: c.label for c in spec.columns}
    seen = {}
    for header, name in mapping.items():
        if not isinstance(name, str) or not str(header).strip():
            raise DomainError("列对应（mapping）的表头和字段名都应为文字。", field="mapping")
        if name not in fields:
            allowed = "、".join(fields)
            raise DomainError(
                f"列对应中的字段“{name}”不是{_ledger_name(spec)}的字段，可选：{allowed}。", field="mapping"
            )
        if name in seen:
            raise DomainError(
                f"列“{seen[name]}”和“{header}”都对应到了“{fields[name]}”，一个项目只能对应一列。", field="mapping"
            )
        seen[name] = header
    if len(mapping) > len(fields):
        raise DomainError("列对应（mapping）的项数超过了台账的字段数。", field="mapping")
    return {str(header).strip(): name for header, name in mapping.items()}


def _ledger_name(spec):
    from .models import LedgerKind

    return LedgerKind(spec.kind).label if spec.kind else f"{spec.what}台账"


def remembered_mapping(*, spec, mine):
    """The mapping this mine taught for this ledger (applied to its next files), or {}."""
    from .models import ImportMapping

    if not spec.kind or mine is None:
        return {}
    row = ImportMapping.objects.filter(mine=mine, kind=spec.kind).values_list("mapping", flat=True).first()
    return dict(row or {})


def remember_mapping(*, spec, mine, mapping, actor):
    """Keep `mapping` (header → field) for the mine's next file of this ledger; an empty one forgets."""
    from .models import ImportMapping

    if not spec.kind:
        return
    if mapping:
        ImportMapping.objects.update_or_create(
            mine=mine, kind=spec.kind, defaults={"mapping": mapping, "updated_by": actor}
        )
    else:
        ImportMapping.objects.filter(mine=mine, kind=spec.kind).delete()


def read_ledger(*, spec, upload, only_valid_rows, mapping=None, must_have=(), reject=True, defer_checks=False):
    """Read and check the file, outside any transaction: parsing may take seconds and must not hold a write lock
    (SQLite locks the whole database; PostgreSQL would hold row locks). Raises ImportRejected for bad rows unless
    `only_valid_rows` or not `reject` (a preview lists them instead); MissingColumns when a required column is not
    recognised. `mapping`: sheet header → field, for the headers the synonyms do not know.

    `defer_checks`: the rows' own checks (`RowChecks`) are left to the write, which runs them as it writes the rows
    (`write_ledger`), unless the cells already condemn the file (a cell that could not be read or breaks its bound,
    with `only_valid_rows` not asked for): then they run here, and the file is refused before any transaction."""
    columns = [(c.field, c.label, c.required) for c in spec.columns]
    try:
        if spec.accepts_csv:
            table = read_workbook_or_csv(
                upload,
                spec.columns,
                max_rows=spec.max_rows,
                max_bytes=settings.UPLOAD_MAX_BYTES,
                mapping=mapping,
                must_have=must_have,
            )
        else:
            check_workbook_file(upload, max_bytes=settings.UPLOAD_MAX_BYTES)
            table = read_table(upload, spec.columns, max_rows=spec.max_rows, mapping=mapping, must_have=must_have)
    except MissingColumns as exc:
        exc.columns = columns  # what the page offers to map by hand
        raise
    result = ImportResult(
        total_rows=len(table.rows),
        errors=list(table.errors),
        headers=dict(table.headers),
        mapping=dict(table.mapped_by_hand),
        sheet_headers=list(table.sheet_headers),
        columns=columns,
        preview_fields=spec.preview_fields,
    )
    if not table.rows:
        raise DomainError(f"文件中没有找到任何{spec.what}数据行。")
    checks = RowChecks(spec, table, result)
    if defer_checks and (only_valid_rows or not (result.errors or checks.cell_errors)):
        return PreparedLedger(result=result, checks=checks)
    candidates = checks.run(table.rows)
    checks.finish()
    if result.errors and reject and not only_valid_rows:
        raise ImportRejected(result.errors, result.total_rows)
    return PreparedLedger(result=result, candidates=candidates)


class RowChecks:
    """The checks of a file's rows: its cells against their bounds, at once for the whole file (here), then each
    row's own (`spec.check`), its build and its built row's bounds, a part of the rows at a time (`run`): the whole
    file before a preview or a write, or a part after another while a write stores the parts before it.

    The cells are checked against their bounds first, even when another cell of the row failed, so one pass reports
    everything; what the row's checks and build make of them (a time joined to its date, a fine read from 处罚情况) is
    checked once built. A row's errors: those of its reading, its cells', its checks', then its built row's."""

    def __init__(self, spec, table, result):
        self.spec, self.table, self.result = spec, table, result
        self.seen = {}  # (field, value) → its validators' verdict, for this file (bound_errors_by_row)
        self.cell_errors = bound_errors_by_row(spec.model, table.rows, table.headers, seen=self.seen)
        self.read_errors = {}
        for error in table.errors:
            self.read_errors.setdefault(error.row, []).append(error)

    @property
    def rows(self):
        """The file's rows as read: [(Excel row number, parsed values)]."""
        return self.table.rows

    def run(self, rows):
        """The rows to insert among `rows` (some of `self.rows`, in order), as [(row number, built row)]; the errors
        found join the result's."""
        spec, table, errors = self.spec, self.table, self.result.errors
        built = []
        for number, values in rows:
            cell_errors = self.cell_errors.get(number)
            if cell_errors:
                errors.extend(cell_errors)
            # The row's checks are given the row's own errors so far (cells that could not be read or broke a bound),
            # and what they add joins the file's: given the whole file's, each row's look at them made a file of many
            # bad rows quadratic (24 s for 10,000 lines with a wrong date each).
            row_errors = [*self.read_errors.get(number, ()), *(cell_errors or ())]
            known = len(row_errors)
            consistent = spec.check(number, values, table.headers, row_errors)
            errors.extend(row_errors[known:])
            if not consistent or cell_errors or number in table.bad_rows:
                continue
            built.append((number, spec.build(values)))
        # A built value that is the parsed one passed above; judged again, it passes again (remembered in `seen`).
        built_errors = bound_errors_by_row(
            spec.model, built, table.headers, derived_from=spec.derived_from, seen=self.seen
        )
        for row_errors in built_errors.values():
            errors.extend(row_errors)
        return [(number, row) for number, row in built if number not in built_errors]

    def finish(self):
        """Once every row has run: the errors in the file's order (stable: within a row, as found)."""
        self.result.errors.sort(key=lambda e: e.row)


def plan_ledger(*, spec, mine, prepared, preview=False):
    """Sort the prepared rows into those to create and those skipped (already in the mine's ledger, or repeated in
    the file), and the warnings on the rows to create (with `spec.preview_warn`'s for a `preview`). Reads only;
    inside a write transaction when it is the write's plan, so what it finds is what gets written."""
    candidates = prepared.candidates
    if spec.existing is not None:
        existing = set(spec.existing(mine, [row for _, row in candidates]))
    else:
        existing = _existing_fingerprints(spec.model, mine, [row["fingerprint"] for _, row in candidates])
    planner = Planner(spec, prepared.result, existing, preview=preview)
    for number, row in candidates:
        planner.add(number, row)
    return planner.finish()


class Planner:
    """Which checked rows an import creates, a row at a time: a row already in the mine's ledger (its fingerprint
    in `existing`) or repeated in the file (the first one counts) is skipped; each row to create gets its warnings
    (`spec.warn`, and `spec.preview_warn`'s for a `preview`). `finish` adds the warnings about the file as a whole and
    writes the plan into the result (its rows, skipped rows, warnings, digest and preview). One plan for a whole file
    (`plan_ledger`) and for a write that plans its rows as they are checked (`write_ledger`)."""

    def __init__(self, spec, result, existing, *, preview=False):
        self.spec, self.result, self.existing, self.preview = spec, result, existing, preview
        self.in_file = set()
        self.new, self.numbers, self.skipped, self.in_ledger, self.warnings = [], [], [], [], []

    def add(self, number, row):
        """Whether the row is to be created."""
        fingerprint = row["fingerprint"]
        if fingerprint in self.existing:
            self.skipped.append(SkippedRow(number, IN_LEDGER))
            self.in_ledger.append((number, row))
            return False
        if fingerprint in self.in_file:
            self.skipped.append(SkippedRow(number, IN_FILE))  # the same line twice in one file counts once
            return False
        self.in_file.add(fingerprint)
        self.new.append(row)
        self.numbers.append(number)
        spec, headers = self.spec, self.result.headers
        if spec.warn is not None:
            self.warnings.extend(spec.warn(number, row, headers))
        if self.preview and spec.preview_warn is not None:
            for warning in spec.preview_warn(number, row, headers):
                warning.preview_only = True
                self.warnings.append(warning)
        return True

    def finish(self):
        spec, result, new, numbers, warnings = self.spec, self.result, self.new, self.numbers, self.warnings
        if spec.warn_all is not None:
            warnings.extend(spec.warn_all(new, numbers, result.headers))
        if spec.warn_existing is not None and self.in_ledger:
            warnings.extend(spec.warn_existing(self.in_ledger, result.headers))
        warnings.sort(key=lambda w: w.row)  # stable: a row's warnings in the order they were found
        result.rows, result.row_numbers, result.skipped_rows, result.warnings = new, numbers, self.skipped, warnings
        result.created, result.skipped = len(new), len(self.skipped)
        result.digest = plan_digest(result)
        model_fields = {f.attname: f for f in spec.model._meta.concrete_fields}
        result.preview_labels = [
            spec.preview_labels.get(name) or str(model_fields[name].verbose_name) for name in spec.preview_fields
        ]
        result.preview_rows = [
            (number, [_shown(model_fields.get(name), row.get(name)) for name in spec.preview_fields])
            for number, row in zip(numbers[:PREVIEW_ROWS], new[:PREVIEW_ROWS], strict=True)
        ]
        return result


def _existing_fingerprints(model, mine, fingerprints):
    """Which of `fingerprints` the mine's ledger already holds. On PostgreSQL the file's fingerprints go as one list
    (`_as_array`): an `__in` of 10,000 values costs the ORM a placeholder each, a tenth of a second."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return set(model.objects.filter(mine=mine, fingerprint__in=fingerprints).values_list("fingerprint", flat=True))
    qn = connection.ops.quote_name
    mine_column = qn(model._meta.get_field("mine").column)
    column = qn(model._meta.get_field("fingerprint").column)
    array, param = _as_array(fingerprints, "text")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {qn(model._meta.db_table)} WHERE {mine_column} = %s AND {column} = ANY({array})",
            [mine.pk, param],
        )
        return {value for (value,) in cursor.fetchall()}


def _as_array(values, sql_type):
    """A PostgreSQL array of `values` (ids, hex digests) as SQL and its one parameter: the values joined by commas and
    split again by the server. The driver quotes a Python list one element at a time and the server parses the
    literal back — three quarters of the time of the fingerprint query of a 10,000-row file. A list whose values hold
    a comma themselves goes as a list."""
    values = [str(value) for value in values]
    joined = ",".join(values)
    if joined.count(",") != max(len(values) - 1, 0) or not values:
        return f"%s::{sql_type}[]", values
    return f"string_to_array(%s, ',')::{sql_type}[]", joined


def plan_digest(result):
    """What a plan would write and leave out, as one hash: a confirm writes what its preview showed, or nothing."""
    plan = {
        "create": [[n, row["fingerprint"]] for n, row in zip(result.row_numbers, result.rows, strict=True)],
        "skip": [[s.row, s.reason] for s in result.skipped_rows],
        "errors": sorted({e.row for e in result.errors}),
    }
    return hashlib.sha256(json.dumps(plan, sort_keys=True).encode()).hexdigest()


def write_ledger(*, spec, mine, prepared, actor=None, file_name="", expect_digest=None, only_valid_rows=False):
    """Insert the planned rows as one batch. Run inside the caller's (short) transaction.

    Rows whose checks were left to the write (`prepared.checks`) are checked a part at a time while the parts before
    are written: the database stores and indexes a part (COPY, its server on the other core) while this process checks
    the next, where checking the whole file first left the one idle while the other worked. The plan is the same
    (`Planner`, a row at a time in the file's order); a file that turns out to have bad rows (`only_valid_rows` not
    asked for) or a plan that differs from its preview's (`expect_digest`) is refused once its rows are checked, and
    the caller's transaction takes back what was written."""
    from .models import ImportBatch

    streamed = prepared.checks is not None
    if streamed:
        result = prepared.result
    else:
        result = plan_ledger(spec=spec, mine=mine, prepared=prepared)
        if expect_digest is not None and result.digest != expect_digest:
            raise PreviewChanged()
    batch = None
    if spec.kind:
        batch = ImportBatch.objects.create(
            kind=spec.kind,
            mine=mine,
            created_by=actor if getattr(actor, "pk", None) else None,
            file_name=(file_name or "")[:200],
            total_rows=result.total_rows,
            created_count=result.created,
            skipped_count=result.skipped,
            error_rows=result.error_rows,
            warning_count=len(result.warnings),
            mapping=result.mapping,
        )
        result.batch_id = batch.pk
    if streamed:
        result.ids = _write_as_checked(
            spec=spec, mine=mine, checks=prepared.checks, batch=batch, only_valid_rows=only_valid_rows
        )
        prepared.checks.finish()
        if result.errors and not only_valid_rows:
            raise ImportRejected(result.errors, result.total_rows)
        if expect_digest is not None and result.digest != expect_digest:
            raise PreviewChanged()
        if batch is not None:
            ImportBatch.objects.filter(pk=batch.pk).update(
                created_count=result.created,
                skipped_count=result.skipped,
                error_rows=result.error_rows,
                warning_count=len(result.warnings),
            )
    else:
        if batch is not None:
            for row in result.rows:
                row["import_batch_id"] = batch.pk
        if spec.before_insert is not None and result.rows:
            spec.before_insert(result, batch)
        result.ids = insert_rows(spec.model, result.rows)
    if hasattr(spec.model, "history") and result.ids:
        by_batch = batch is not None and _has_batch(spec.model)
        record_history(spec.model, result.ids, actor, import_batch_id=batch.pk if by_batch else None)
    result.created = len(result.ids)
    return result


def writes_as_checked(spec, *, dry_run=False):
    """Whether an import of `spec` checks its rows while it writes them (`write_ledger`): on PostgreSQL (COPY), for
    a ledger whose rows' fingerprints are told by their cells (`spec.fingerprint`: which rows the ledger already
    holds is looked up before the first is written) and that writes nothing before them (`before_insert`)."""
    from django.db import connection

    return (
        not dry_run
        and connection.vendor == "postgresql"
        and spec.fingerprint is not None
        and spec.existing is None
        and spec.before_insert is None
    )


#: rows checked at a time while the rows before them are written
_CHECK_SLICE = 500


def _write_as_checked(*, spec, mine, checks, batch, only_valid_rows):
    """Check, plan and insert the file's rows a part at a time (write_ledger); the ids inserted, in order. The rows the
    mine's ledger already holds are looked up once, by the fingerprints of the file's cells (`spec.fingerprint`).

    Once a row is in error and only good rows were not asked for, the file will be refused: the rest is checked for
    its errors (the answer lists them all) but not sent."""
    result = checks.result
    bad = checks.table.bad_rows
    told = {spec.fingerprint(values) for number, values in checks.rows if number not in bad}
    planner = Planner(spec, result, _existing_fingerprints(spec.model, mine, list(told)))
    batch_id = batch.pk if batch is not None else None

    def planned():
        rows = checks.rows
        for start in range(0, len(rows), _CHECK_SLICE):
            created = []
            for number, row in checks.run(rows[start : start + _CHECK_SLICE]):
                if row["fingerprint"] not in told:
                    raise RuntimeError(f"{spec.what}: spec.fingerprint disagrees with the built row of row {number}")
                if planner.add(number, row):
                    if batch_id is not None:
                        row["import_batch_id"] = batch_id
                    created.append(row)
            yield created if only_valid_rows or not result.errors else []

    ids = insert_rows(spec.model, planned(), count=len(checks.rows))
    planner.finish()
    return ids


def import_ledger(
    *,
    spec,
    mine,
    upload,
    only_valid_rows,
    actor=None,
    mapping=None,
    use_remembered_mapping=True,
    dry_run=False,
    file_name=None,
    expect_digest=None,
    pending=None,
):
    """Read and check the file first, outside any transaction; then, unless `dry_run`, write the rows as one batch,
    and whatever `spec.after_insert(result)` writes after them, in one short transaction. Returns the ImportResult.

    `mapping` (sheet header → field name) is the user's, checked (an unknown field or a header the file lacks is a
    400) and remembered for the mine's next file once the import is written; the mine's remembered mapping applies
    under it. `expect_digest`: the preview's `digest`; the write is refused (PreviewChanged) if it would differ.
    `pending`: the kept file (PendingImport) this confirm writes, let go in the write's transaction (`pending_claim`).
    Run with the cyclic garbage collector paused (core.excel.paused_gc): every row read is kept to the end."""
    with paused_gc():
        return _import_ledger(
            spec=spec,
            mine=mine,
            upload=upload,
            only_valid_rows=only_valid_rows,
            actor=actor,
            mapping=mapping,
            use_remembered_mapping=use_remembered_mapping,
            dry_run=dry_run,
            file_name=file_name,
            expect_digest=expect_digest,
            pending=pending,
        )


def _import_ledger(
    *,
    spec,
    mine,
    upload,
    only_valid_rows,
    actor,
    mapping,
    use_remembered_mapping,
    dry_run,
    file_name,
    expect_digest,
    pending,
):
    explicit = check_mapping(spec, mapping)
    remembered = remembered_mapping(spec=spec, mine=mine) if use_remembered_mapping else {}
    # A remembered header the user now maps to another field, or a field the user now maps from another header,
    # gives way to the user's mapping.
    mapped_fields = set(explicit.values())
    merged = {h: f for h, f in remembered.items() if f not in mapped_fields and h not in explicit}
    merged.update(explicit)
    prepared = read_ledger(
        spec=spec,
        upload=upload,
        only_valid_rows=only_valid_rows,
        mapping=merged,
        must_have=tuple(explicit),
        reject=not dry_run,
        defer_checks=writes_as_checked(spec, dry_run=dry_run),
    )
    if dry_run:
        result = plan_ledger(spec=spec, mine=mine, prepared=prepared, preview=True)
        result.dry_run = True
        return result
    try:
        with transaction.atomic():
            if pending is not None:
                pending_claim(pending)
            result = write_ledger(
                spec=spec,
                mine=mine,
                prepared=prepared,
                actor=actor,
                file_name=file_name if file_name is not None else getattr(upload, "name", ""),
                expect_digest=expect_digest,
                only_valid_rows=only_valid_rows,
            )
            if spec.after_insert is not None and result.ids:
                spec.after_insert(result)
            if explicit or (not use_remembered_mapping and remembered):
                remember_mapping(spec=spec, mine=mine, mapping=result.mapping, actor=actor)
    except IntegrityError:
        # Another import wrote some of the same rows (or units) between this one's plan and its insert: nothing of
        # this one was written, and a new preview shows what is left to add. Logged, in case it was something else.
        import logging

        logging.getLogger("imports").warning("import refused at its insert", exc_info=True)
        raise PreviewChanged() from None
    return result


# ---------------------------------------------------------------- a file between its preview and its confirm


def pending_store(*, user, mine, kind, upload):
    """Keep the uploaded file on the server for the confirm; returns the PendingImport (its `token` goes into the
    page). The user's expired files, and any older than their lifetime, are removed on the way."""
    import secrets

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from .models import PENDING_LIFETIME, PendingImport

    pending_sweep()
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    pending = PendingImport(
        token=secrets.token_urlsafe(32),
        kind=kind,
        user=user,
        mine=mine,
        file_name=(getattr(upload, "name", "") or "")[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        expires_at=timezone.now() + PENDING_LIFETIME,
    )
    pending.file.save("pending.bin", ContentFile(data), save=False)
    pending.save()
    return pending


def pending_find(*, user, kind, token):
    """The file waiting for this user's confirm under `token` for ledger `kind`: NotFound (never another user's, and
    never once expired)."""
    from django.utils import timezone

    from .models import PendingImport

    pending = (
        PendingImport.objects.select_related("mine")
        .filter(token=str(token or "")[:64], kind=kind, user=user, expires_at__gt=timezone.now())
        .first()
    )
    if pending is None or not token:
        raise NotFound("预览已过期或不存在，请重新上传文件。")
    return pending


def pending_upload(pending):
    """The kept file, as an upload the import reads, after checking it is the one previewed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    try:
        with pending.file.open("rb") as stored:
            data = stored.read()
    except OSError:
        raise NotFound("预览已过期或不存在，请重新上传文件。") from None
    if hashlib.sha256(data).hexdigest() != pending.sha256:
        raise InvalidState("暂存的文件已损坏，请重新上传。")
    return SimpleUploadedFile(pending.file_name or "upload.xlsx", data)


def pending_claim(pending):
    """Inside an import's write transaction: the kept file it writes is let go with its rows, in one commit, or the
    import is refused (AlreadyImported) when another confirm of it let it go first. The row's delete is the lock: a
    second confirm sent meanwhile waits for the first to commit, then finds the file gone — never a moment where the
    rows are in and the file still waits, which a second confirm would take for a ledger changed since its preview."""
    deleted, _ = type(pending).objects.filter(pk=pending.pk).delete()
    if not deleted:
        raise AlreadyImported()
    transaction.on_commit(lambda: pending.file.delete(save=False), robust=True)


def pending_discard(pending):
    pending.file.delete(save=False)
    pending.delete()


def pending_sweep():
    """Remove the files whose confirm never came."""
    from django.utils import timezone

    from .models import PendingImport

    for pending in PendingImport.objects.filter(expires_at__lte=timezone.now())[:100]:
        pending_discard(pending)


# ---------------------------------------------------------------- undo


def touched_reason(spec, ids):
    """Why the rows `ids` are no longer as the import left them (edited, moved on, given files or child records),
    in Chinese, or None."""
    model = spec.model
    if not ids:
        return None
    noun = spec.what
    if any(f.name == "row_version" for f in model._meta.concrete_fields):
        changed = model.objects.filter(pk__in=ids).exclude(row_version=1).count()
        if changed:
            return f"该批导入的{noun}中有 {changed} 条在导入后已被修改或办理，不能撤销。"
    history = getattr(model, "history", None)
    if history is not None and history.model.objects.filter(id__in=ids).exclude(history_type="+").exists():
        return f"该批导入的{noun}在导入后已被修改，不能撤销。"
    for related, name in _pointing_to(model, skip=spec.undo_owned):
        if related._default_manager.filter(**{f"{name}__in": ids}).exists():
            what = related._meta.verbose_name
            return f"该批导入的{noun}在导入后已有{what}等后续记录，不能撤销。"
    if spec.undo_check is not None:
        return spec.undo_check(ids)
    return None


def _pointing_to(model, *, skip=()):
    """(model, field name) of every relation that points to `model`'s rows (foreign keys, many-to-many), but the
    audit trail's copies, the models in `skip` and links that declare `follows_import_undo` (a record the ledger's
    own rules wrote about the rows, such as the hazards that suspended a mine, which goes with them)."""
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete) or not relation.is_relation:
            continue
        related = relation.related_model
        if related in skip or _is_history_model(related) or _follows_import_undo(relation):
            continue
        yield related, relation.field.name


def _follows_import_undo(relation):
    # the link model itself (its foreign key to the rows), or a many-to-many kept in such a link model
    through = getattr(relation, "through", None)
    return any(getattr(m, "follows_import_undo", False) for m in (relation.related_model, through) if m is not None)


def _is_history_model(model):
    # simple-history's tables keep a copy of each row (and of the foreign keys to it, without a constraint).
    return any(f.name == "history_id" for f in model._meta.concrete_fields)


def _remove_created_beside(model, batch):
    """Delete what the batch created beside its rows (e.g. the roster's new units) that nothing points to any more and
    nobody edited since; keep the rest. Several rounds: a workshop is free once its new teams went. Returns how many
    rows went."""
    candidates = set(model.objects.filter(import_batch=batch).values_list("pk", flat=True))
    history = getattr(model, "history", None)
    if history is not None and candidates:
        candidates -= set(
            history.model.objects.filter(id__in=candidates).exclude(history_type="+").values_list("id", flat=True)
        )
    removed = 0
    while candidates:
        used = set()
        for related, name in _pointing_to(model):
            used |= set(related._default_manager.filter(**{f"{name}__in": candidates}).values_list(name, flat=True))
        free = candidates - used
        if not free:
            break
        model.objects.filter(pk__in=free).delete()
        removed += len(free)
        candidates = used & candidates
    return removed


def batch_for(*, user, kind, pk, lock=False):
    """The batch `pk` of ledger `kind` as `user` may see it; NotFound (a 404) otherwise."""
    from .models import ImportBatch

    queryset = ImportBatch.objects.visible_to(user).filter(kind=kind)
    if lock:
        queryset = queryset.select_for_update()
    batch = queryset.filter(pk=pk).first()
    if batch is None:
        raise NotFound("没有找到该导入批次。")
    return batch


def undo_batch(*, spec, batch, actor):
    """Delete exactly the batch's rows and what the import wrote after them, and compute again what depended on them
    (the mine's status, task progress); the batch is kept, marked 已撤销 with who and when. Refused (InvalidState,
    a 409) once it is older than a day or anything was done to its rows since. Runs in the caller's transaction,
    with the batch locked."""
    import logging

    from django.utils import timezone

    from .models import BatchStatus

    if not batch.may_be_undone_by(actor):
        raise NotPermitted("只有导入人或该煤矿（企业）的安全管理人员可以撤销本次导入。")
    if batch.is_undone:
        raise InvalidState("该批导入已撤销。")
    now = timezone.now()
    if not batch.within_undo_window:
        raise InvalidState("导入已超过 24 小时，不能撤销。如需删除其中的记录，请逐条处理。")
    queryset = spec.model.objects.filter(import_batch=batch)
    rows = list(queryset.values())
    ids = [row["id"] for row in rows]
    reason = touched_reason(spec, ids)
    if reason:
        raise InvalidState(reason)
    if spec.undo_cleanup is not None:
        spec.undo_cleanup(ids)
    if hasattr(spec.model, "history") and ids:
        # The audit trail's "deleted" record of each row, written for the batch in one statement, as its "created"
        # ones were (history_written_in_bulk: not one INSERT a row as the rows go).
        from .history import history_written_in_bulk

        record_history(spec.model, ids, actor, kind="-", import_batch_id=batch.pk if _has_batch(spec.model) else None)
        with history_written_in_bulk(spec.model):
            queryset.delete()
    else:
        queryset.delete()
    batch.removed_beside = [
        (str(model._meta.verbose_name), removed)
        for model in spec.created_beside
        if (removed := _remove_created_beside(model, batch))
    ]
    if spec.after_undo is not None:
        spec.after_undo(rows)
    batch.status, batch.undone_at, batch.undone_by = BatchStatus.UNDONE, now, actor
    batch.save(update_fields=["status", "undone_at", "undone_by"])
    logging.getLogger("imports").info(
        "import batch undone",
        extra={"batch": batch.pk, "kind": batch.kind, "mine": batch.mine_id, "rows": len(ids), "by": actor.pk},
    )
    return batch


def _has_batch(model):
    return any(f.name == "import_batch" for f in model._meta.concrete_fields)


def record_history(model, ids, actor, *, kind="+", import_batch_id=None):
    """The audit trail's record of each row of a batch created ("+") or deleted ("-"), attributed to whoever imported
    or undid it: the rows `ids`, found by their batch when `import_batch_id` is given (one range of an index, where
    10,000 ids are 10,000 look-ups).

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
    if import_batch_id is not None:
        parts = [(f"{qn(model._meta.get_field('import_batch').column)} = %s", [import_batch_id])]
    else:
        parts = (ids_in(connection, qn("id"), ids[start : start + 5000]) for start in range(0, len(ids), 5000))
    with connection.cursor() as cursor:
        for where, params in parts:
            cursor.execute(
                f"INSERT INTO {qn(history._meta.db_table)} ({column_list}, history_date, history_change_reason, "
                f"history_type, history_user_id) SELECT {column_list}, %s, NULL, %s, %s "
                f"FROM {qn(model._meta.db_table)} WHERE {where}",
                [now, kind, user_id, *params],
            )


def ids_in(connection, column, ids):
    """`column` among `ids`, as SQL and its parameters: one array on PostgreSQL (`_as_array`, not a placeholder an id
    for the driver to quote one by one), a list elsewhere."""
    if connection.vendor == "postgresql":
        array, param = _as_array(ids, "bigint")
        return f"{column} = ANY({array})", [param]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def insert_rows(model, rows, *, count=None):
    """Insert new rows given as {attname: value}; return their ids in order. Fields a row leaves out take their
    default (the time for auto_now fields). `rows`: a list, or an iterable of lists written as each comes (an
    import's rows checked while the ones before are stored: `write_ledger`), with `count` the most rows it may give.

    On PostgreSQL: ids are reserved from the table's sequence, then the rows go in with COPY, three times faster than
    INSERT … VALUES (the ORM's per-object work was most of an import's time). Elsewhere, bulk_create."""
    from django.db import connection
    from django.utils import timezone

    parts = None
    if not isinstance(rows, list):
        parts, count = rows, count or 0
    elif not rows:
        return []
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {
        f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        for f in fields
    }
    if connection.vendor != "postgresql":
        if parts is not None:
            rows = list(itertools.chain.from_iterable(parts))
        # A built row may carry what is not a column (the roster's unit names, a fingerprint the model does not keep).
        objects = model.objects.bulk_create(
            [model(**{**defaults, **{k: v for k, v in row.items() if k in defaults}}) for row in rows], batch_size=2000
        )
        return [o.pk for o in objects]
    if parts is None:
        count = len(rows)
        parts = (rows[start : start + _COPY_SLICE] for start in range(0, len(rows), _COPY_SLICE))
    table, pk = model._meta.db_table, model._meta.pk.column
    names = [f.attname for f in fields]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The sequence looked up once (MATERIALIZED): written inside nextval() it is looked up again for every id,
        # seven times the cost of the ids themselves. Ids a streamed part does not use are a gap, as a rollback's.
        cursor.execute(
            "WITH sequence AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS name) "
            "SELECT nextval(sequence.name) FROM sequence, generate_series(1, %s)",
            [table, pk, count],
        )
        ids = [value for (value,) in cursor.fetchall()]
        used = 0

        def lines():
            # Written a column at a time (its values' kinds looked at once, a whole column of plain text or numbers
            # turned to text without a call a value), then joined into lines: a value at a time was most of the
            # COPY's Python time. A part of the rows at a time, handed to the server as it is written: the server
            # stores and indexes one part while the next is written (the two on two cores), rather than waiting
            # for the whole text.
            nonlocal used
            for part in parts:
                for start in range(0, len(part), _COPY_SLICE):
                    piece = part[start : start + _COPY_SLICE]
                    if used + len(piece) > len(ids):
                        raise ValueError(f"insert_rows: more rows than count={count}")
                    columns = [list(map(str, ids[used : used + len(piece)]))]
                    used += len(piece)
                    for name in names:
                        columns.append(
                            _copy_column(list(map(operator.methodcaller("get", name, defaults[name]), piece)))
                        )
                    yield "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"

        columns = ", ".join(qn(c) for c in [pk, *(f.column for f in fields)])
        # What writes the parts may not query the database: the connection is busy with the COPY until its end.
        with connection.wrap_database_errors, connection.execute_wrapper(_no_query_during_copy):
            # a unique clash is an IntegrityError, as from bulk_create
            cursor.cursor.copy_expert(f"COPY {qn(table)} ({columns}) FROM STDIN", _Stream(lines()))
    return ids[:used]


def _no_query_during_copy(execute, sql, params, many, context):
    raise RuntimeError(f"a query while insert_rows' COPY is running (the rows' parts may not query): {sql[:200]}")


#: rows written into COPY's text at a time (insert_rows)
_COPY_SLICE = 1000


class _Stream:
    """A file to read from for psycopg2's copy_expert that writes its text only as it is read: each read() is the next
    part the generator `parts` yields, whatever size is asked (the driver sends what it is given), "" at the end."""

    def __init__(self, parts):
        self._parts = parts

    def read(self, size=-1):
        return next(self._parts, "")


#: what COPY's text format needs escaped in a value
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]").search


#: kinds whose str() is their COPY text, with nothing to escape (bool is not int here: COPY wants t/f)
_PLAIN_TEXT_KINDS = frozenset((int, Decimal, dt.date, dt.datetime))
#: those of them whose equal values are the same value stored (not Decimal: 1.0 and 1.00 are equal, their scales not;
#: equal aware times in two time zones are one instant)
_ONE_TEXT_KINDS = frozenset((int, dt.date, dt.datetime))


def _copy_column(values):
    """One column's values in PostgreSQL's COPY text format (`_copy_value`), the usual columns without a call a value:
    text without a separator or a backslash as it is, numbers, dates and times by str, all NULL as \\N."""
    kinds = set(map(type, values))
    if kinds == {str} and not _COPY_SPECIAL("".join(values)):
        return values
    if len(kinds) == 1 and kinds <= _PLAIN_TEXT_KINDS:
        if kinds <= _ONE_TEXT_KINDS:
            # Each distinct value written once: a file's rows share a few dozen dates, one mine, one batch, one
            # creation time (str of a datetime, 10,000 times, was a tenth of the COPY's Python time).
            texts = {value: str(value) for value in set(values)}
            return list(map(texts.__getitem__, values))
        return list(map(str, values))
    if kinds == {type(None)}:
        return ["\\N"] * len(values)
    return list(map(_copy_value, values))


def _copy_value(value):
    """One value in PostgreSQL's COPY text format: \\N for NULL, backslash escapes for the separators."""
    if value is None:
        return "\\N"
    if value.__class__ is str:
        text = value
    elif isinstance(value, bool):
        return "t" if value else "f"
    else:
        text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text
