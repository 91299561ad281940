from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("incidents", "0006_narrow_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="service_down",
            field=models.BooleanField(db_default=False, default=False, verbose_name="service down"),
        ),
    ]
