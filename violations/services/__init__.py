from .bulletins import bulletin_create, bulletin_mark_read, bulletin_publish, bulletin_update
from .ledger_import import violations_import
from .redlines import red_line_items_from_xlsx, red_line_list_publish
from .reports import anonymous_report_handle, anonymous_report_lookup, anonymous_report_submit
from .violations import (
    backtrack_record,
    violation_accountability_record,
    violation_create,
    violation_mark_typical,
    violation_update,
)

__all__ = [
    "anonymous_report_handle",
    "anonymous_report_lookup",
    "anonymous_report_submit",
    "backtrack_record",
    "bulletin_create",
    "bulletin_mark_read",
    "bulletin_publish",
    "bulletin_update",
    "red_line_items_from_xlsx",
    "red_line_list_publish",
    "violation_accountability_record",
    "violation_create",
    "violation_mark_typical",
    "violation_update",
    "violations_import",
]
