"""The shared shape of a ledger import: all good rows or nothing, bad rows reported, re-imports skipped.

Each ledger says how to read its columns, check a row across cells and build a model instance; this module does
the rest the same way for every ledger.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from .errors import DomainError
from .excel import check_workbook_file, read_table


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0  # already in the ledger (a re-import of the same rows)
    total_rows: int = 0
    errors: list = field(default_factory=list)
    objects: list = field(default_factory=list, repr=False)

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
    #: (parsed values) → unsaved instance with its `fingerprint` set
    build: Callable
    model: type
    what: str  # e.g. "隐患", for messages
    max_rows: int = 10_000


def import_ledger(*, spec, mine, upload, only_valid_rows, actor=None):
    """Run inside the caller's transaction. Returns an ImportResult whose `objects` were created."""
    check_workbook_file(upload, max_bytes=settings.UPLOAD_MAX_BYTES)
    table = read_table(upload, spec.columns, max_rows=spec.max_rows)
    result = ImportResult(total_rows=len(table.rows), errors=list(table.errors))
    if not table.rows:
        raise DomainError(f"文件中没有找到任何{spec.what}数据行。")
    candidates = []
    for number, values in table.rows:
        if spec.check(number, values, table.headers, result.errors) and number not in table.bad_rows:
            candidates.append(spec.build(values))
    result.errors.sort(key=lambda e: e.row)  # stable: within a row, columns stay in file order
    if result.errors and not only_valid_rows:
        raise ImportRejected(result.errors, result.total_rows)

    existing = set(
        spec.model.objects.filter(mine=mine, fingerprint__in=[c.fingerprint for c in candidates]).values_list(
            "fingerprint", flat=True
        )
    )
    new = []
    for obj in candidates:
        if obj.fingerprint in existing:
            result.skipped += 1
            continue
        existing.add(obj.fingerprint)  # the same line twice in one file counts once
        new.append(obj)
    if hasattr(spec.model, "history"):
        # Imported rows enter the audit trail too, attributed to whoever imported them.
        from simple_history.utils import bulk_create_with_history

        result.objects = bulk_create_with_history(new, spec.model, batch_size=1000, default_user=actor)
    else:
        result.objects = spec.model.objects.bulk_create(new, batch_size=1000)
    result.created = len(result.objects)
    return result
