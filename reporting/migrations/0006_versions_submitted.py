from django.db import migrations


class Migration(migrations.Migration):
    """`Submission.version` counted the versions submitted: named for what it is (the API keeps `version`)."""

    dependencies = [
        ("reporting", "0005_row_version"),
    ]

    operations = [
        migrations.RenameField(model_name="submission", old_name="version", new_name="versions_submitted"),
        migrations.RenameField(model_name="historicalsubmission", old_name="version", new_name="versions_submitted"),
    ]
