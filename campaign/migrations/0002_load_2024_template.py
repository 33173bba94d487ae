from django.db import migrations

from campaign.template_data import load_campaign, read_template


def load(apps, schema_editor):
    Campaign = apps.get_model("campaign", "Campaign")
    data = read_template()
    if Campaign.objects.filter(code=data["code"]).exists():
        return
    names = ("Campaign", "Phase", "Deadline", "Requirement")
    load_campaign(data, models={n: apps.get_model("campaign", n) for n in names}, is_template=True)


def unload(apps, schema_editor):
    apps.get_model("campaign", "Campaign").objects.filter(code=read_template()["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [("campaign", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
