from .bulletins import bulletin_create, bulletin_mark_read, bulletin_publish, bulletin_update
from .ledger_import import violations_import, violations_import_undo
from .redlines import red_line_items_from_xlsx, red_line_list_publish
from .repeat import mentoring_step_record, repeat_offenders_escalate
from .tipoffs import (
    not_handled_reason,
    tipoff_escalate,
    tipoff_handle,
    tipoff_lookup,
    tipoff_submit,
    tipoff_to_hazard,
    tipoff_to_violation,
)
from .violations import (
    backtrack_record,
    violation_accountability_record,
    violation_create,
    violation_mark_typical,
    violation_update,
)

__all__ = [
    "not_handled_reason",
    "tipoff_escalate",
    "tipoff_handle",
    "tipoff_lookup",
    "tipoff_submit",
    "tipoff_to_hazard",
    "tipoff_to_violation",
    "backtrack_record",
    "bulletin_create",
    "bulletin_mark_read",
    "bulletin_publish",
    "bulletin_update",
    "mentoring_step_record",
    "red_line_items_from_xlsx",
    "red_line_list_publish",
    "repeat_offenders_escalate",
    "violation_accountability_record",
    "violation_create",
    "violation_mark_typical",
    "violation_update",
    "violations_import",
    "violations_import_undo",
]
