"""The audit trail of one object as people read it: who, when, and which fields went from what to what.

Every value is shown as the pages show it: a choice by its label, 是/否 for a yes/no field, dates and times in the
county's time zone, a related row by its name. A structured (JSON) field is described by the model, which knows what
its keys mean (`history_change_text(field_name, old, new)` on the object), else said to have changed: a raw
Python dict with English keys tells an officer nothing."""

import contextvars
import datetime as dt
from contextlib import contextmanager

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .concurrency import NOT_EDITS

#: the model whose deleted records' history a bulk change writes itself, in one statement (`history_written_in_bulk`)
_written_in_bulk = contextvars.ContextVar("history_written_in_bulk", default=None)


@contextmanager
def history_written_in_bulk(model):
    """Inside: deleting records of `model` (an AuditTrail model) writes no history row one record at a time — the
    caller writes them for the whole set in one statement (core.ledger_import.record_history: an import's undo of
    10,000 rows wrote 10,000 INSERTs, 17 s). Other models' records deleted meanwhile (a cascade) keep theirs."""
    token = _written_in_bulk.set(model)
    try:
        yield
    finally:
        _written_in_bulk.reset(token)


class AuditTrail(HistoricalRecords):
    """simple-history's copy of every version of a record, whose copies of the record's foreign keys are not indexed.

    A history table is read by the record's id (its history, the undo of an import, the archive), never by a copy
    of a foreign key — those copies are plain columns (no constraint, nothing cascades on them). An index on each was
    written at every save and every import for nothing: eight of the twelve indexes of the hazards' history, half of
    what writing a 10,000-row import's history cost. The record's id, the version's date and its author keep
    theirs.

    The author is a foreign key without a database constraint, as the copies are: a version outlives what it names,
    and its author is set by the code that wrote it, never by a user's input. Django still sets it to NULL if the
    user is deleted (users are deactivated, not deleted); the constraint's check ran once for every version written,
    a tenth of the commit of a 10,000-line import."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("user_db_constraint", False)
        super().__init__(*args, **kwargs)

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for field in fields.values():
            if field.is_relation:
                field.db_index = False
        return fields

    def pre_delete(self, instance, **kwargs):
        if type(instance) is not _written_in_bulk.get():
            super().pre_delete(instance, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if type(instance) is not _written_in_bulk.get():
            super().post_delete(instance, using=using, **kwargs)


HISTORY_TYPES = {"+": "创建", "~": "修改", "-": "删除"}
EMPTY = "（空）"


def display_value(field, value):
    """One stored value of `field` as a person reads it."""
    if value in (None, "") and not isinstance(field, models.BooleanField):
        return EMPTY
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return {True: "是", False: "否"}.get(value, EMPTY)
    if isinstance(field, models.DateTimeField):
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(field, models.DateField):
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return f"{value:%Y-%m-%d}"
    if isinstance(field, models.FileField):
        return "已上传文件"
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else "（已删除）"
    return str(value)


def _excluded(model):
    """Fields that change without anyone editing them (the counter, `updated_at`…): never listed as a change."""
    auto = {f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
    return sorted((NOT_EDITS | auto) & {f.name for f in model._meta.concrete_fields})


def _change(obj, field, old, new):
    if isinstance(field, models.JSONField):
        describe = getattr(obj, "history_change_text", None)
        text = (describe(field.name, old, new) if describe else None) or "已修改"
    else:
        text = f"{display_value(field, old)} → {display_value(field, new)}"
    return {"field": str(field.verbose_name), "text": text}


def history_rows(obj, *, limit=50):
    """Newest first. One query for the records with their users; a relation's label costs one when it changed."""
    model = obj._meta.model  # not type(obj): the signed-in user comes wrapped in a lazy object
    excluded = _excluded(model)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None and record.history_type == "~":
            for change in record.diff_against(older, excluded_fields=excluded).changes:
                field = model._meta.get_field(change.field)
                changes.append(_change(obj, field, change.old, change.new))
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user.display_name if record.history_user else "系统",
                "type": HISTORY_TYPES.get(record.history_type, record.history_type),
                "changes": changes,
            }
        )
    return rows
