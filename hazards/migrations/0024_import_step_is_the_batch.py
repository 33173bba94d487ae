"""An imported line's first step in its 处理记录 ("台账导入") is shown from its import batch (who, when, which file)
rather than stored as one event a line: the events the imports wrote before go, and come back if this is undone."""

from django.db import migrations

IMPORT_EVENT = "台账导入"


def forget_import_events(apps, schema_editor):
    apps.get_model("hazards", "HazardEvent").objects.filter(action=IMPORT_EVENT).delete()


def write_import_events(apps, schema_editor):
    # The status a line came in with: the one its first change of state left, or the one it still has.
    schema_editor.execute(
        "INSERT INTO hazards_hazardevent (hazard_id, action, from_status, to_status, note, actor_id, at) "
        "SELECT h.id, %s, '', COALESCE((SELECT e.from_status FROM hazards_hazardevent e WHERE e.hazard_id = h.id "
        "AND e.from_status <> '' ORDER BY e.at, e.id LIMIT 1), h.status), '', b.created_by_id, b.created_at "
        "FROM hazards_hazard h JOIN core_importbatch b ON b.id = h.import_batch_id",
        [IMPORT_EVENT],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0023_drop_level_status_index"),
        ("core", "0001_import_batches_mappings_pending"),
    ]

    operations = [migrations.RunPython(forget_import_events, write_import_events)]
