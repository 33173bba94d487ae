# 匿名举报 is a "tipoff" in code, so that "report" means 报送 alone. Renaming keeps every row (the table is renamed
# with the model); the related name on the bureau follows.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("violations", "0007_row_version"),
    ]

    operations = [
        migrations.RenameModel(old_name="AnonymousReport", new_name="Tipoff"),
        migrations.AlterField(
            model_name="tipoff",
            name="bureau",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tipoffs",
                to="accounts.organization",
                verbose_name="受理单位",
            ),
        ),
    ]
