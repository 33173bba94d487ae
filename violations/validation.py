"""The rules of one 三违 record, stated once: the service (and through it the page and the API) raises the first
problem, the Excel import reports every problem of every row (core.validation)."""

from core.validation import field_problems

#: the fields whose bounds (core.bounds, on the model fields) a record must keep: among them, not after today
CHECKED_FIELDS = (
    "occurred_on",
    "description",
    "fine",
    "suspension_days",
)


def violation_problems(violation):
    """Every rule a 三违 record breaks, as (field, message)."""
    return field_problems(violation, CHECKED_FIELDS)
