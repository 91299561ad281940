"""Ship the default CI classes with their attribute schemas (the data lives in cmdb.defaults,
which also restores them after a test flushes the database)."""

from django.db import migrations

from cmdb.defaults import DEFAULT_CLASSES, create_classes


def remove_classes(apps, schema_editor):
    CIClass = apps.get_model("cmdb", "CIClass")
    CIClass.objects.filter(slug__in=[c[0] for c in DEFAULT_CLASSES], cis__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cmdb", "0001_initial")]

    operations = [migrations.RunPython(create_classes, remove_classes)]
