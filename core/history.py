"""The audit trail of one object as people read it: who, when, and which fields went from what to what."""

HISTORY_TYPES = {"+": "创建", "~": "修改", "-": "删除"}


def _display(record, field_name, value):
    field = record.instance_type._meta.get_field(field_name)
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if value in (None, ""):
        return "（空）"
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else value
    return value


def history_rows(obj, *, limit=50):
    """Newest first. Two queries: the records (with their users) and nothing per row but relation labels."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None and record.history_type == "~":
            for change in record.diff_against(older, excluded_fields=["row_version"]).changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append(
                    {
                        "field": str(field.verbose_name),
                        "old": _display(record, change.field, change.old),
                        "new": _display(record, change.field, change.new),
                    }
                )
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user.display_name if record.history_user else "系统",
                "type": HISTORY_TYPES.get(record.history_type, record.history_type),
                "changes": changes,
            }
        )
    return rows
