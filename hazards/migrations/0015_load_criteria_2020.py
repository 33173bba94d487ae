from django.db import migrations

from hazards.standards import CRITERIA_2020, load_standard, read_standard


def load(apps, schema_editor):
    # Completes the 2020 version loaded by 0002 (same version: its categories keep their ids, hazards keep theirs)
    # with each category's article and its 80 situations; whether it is current is left as it is.
    HazardStandard = apps.get_model("hazards", "HazardStandard")
    current = HazardStandard.objects.filter(version="2020", is_current=True).exists()
    load_standard(
        read_standard(CRITERIA_2020),
        HazardStandard=HazardStandard,
        MajorHazardCategory=apps.get_model("hazards", "MajorHazardCategory"),
        MajorHazardItem=apps.get_model("hazards", "MajorHazardItem"),
        make_current=current or not HazardStandard.objects.exists(),
    )


class Migration(migrations.Migration):
    dependencies = [("hazards", "0014_major_hazard_items")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
