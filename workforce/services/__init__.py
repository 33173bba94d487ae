from .positioning import positioning_import, positioning_import_undo
from .roster import person_create, person_update, work_unit_create
from .roster_import import roster_batch_notes, roster_import, roster_import_undo
from .special_period import dangerous_work_in, dispatch_handover_record, zero_shift_plan_create
from .training import certificate_record, training_scores_record, training_session_record

__all__ = [
    "certificate_record",
    "dangerous_work_in",
    "dispatch_handover_record",
    "person_create",
    "person_update",
    "positioning_import",
    "positioning_import_undo",
    "roster_batch_notes",
    "roster_import",
    "roster_import_undo",
    "training_scores_record",
    "training_session_record",
    "work_unit_create",
    "zero_shift_plan_create",
]
