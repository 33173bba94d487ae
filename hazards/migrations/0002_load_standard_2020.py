from django.db import migrations

from hazards.standards import load_standard, read_standard


def load(apps, schema_editor):
    load_standard(
        read_standard(),
        HazardStandard=apps.get_model("hazards", "HazardStandard"),
        MajorHazardCategory=apps.get_model("hazards", "MajorHazardCategory"),
    )


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
