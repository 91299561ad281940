"""PostgreSQL-only indexes for conflict detection, kept out of `Change.Meta` so the embedded
SQLite database migrates too.

* a partial GiST index on `tstzrange(planned_start, planned_end)` for the scheduled and
  implementing changes ("windows overlap" is a range overlap, `&&`);
* the GIN index on `impacted_services` (created by 0001) leaves the model state: it stays in
  PostgreSQL, and the plain index SQLite made of it is dropped;
* `impacted_services` becomes `changes.fields.IdArrayField`: still `bigint[]` on PostgreSQL
  (no SQL), a JSON list in a text column on SQLite.
"""

from django.db import migrations, models

import changes.fields

ACTIVE_STATES = ("implement", "scheduled")


def _table(apps):
    return apps.get_model("changes", "Change")._meta.db_table


def create_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(_table(apps))
    states = ", ".join(f"'{s}'" for s in ACTIVE_STATES)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS changes_window_range_gist ON {table} "
        f"USING gist (tstzrange(planned_start, planned_end)) WHERE state IN ({states})"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS changes_impacted_services_gin ON {table} USING gin (impacted_services)"
    )


def drop_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS changes_window_range_gist")


def drop_portable_copy_of_gin(apps, schema_editor):
    """0001 declared the GIN index; other backends made a useless plain index of it."""
    if schema_editor.connection.vendor == "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS changes_impacted_services_gin")


class Migration(migrations.Migration):

    dependencies = [
        ('changes', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name='change', name='changes_impacted_services_gin'),
            ],
            database_operations=[
                migrations.RunPython(drop_portable_copy_of_gin, migrations.RunPython.noop),
            ],
        ),
        migrations.AlterField(
            model_name='change',
            name='impacted_services',
            field=changes.fields.IdArrayField(base_field=models.BigIntegerField(), blank=True, default=list,
                                              editable=False, size=None),
        ),
        migrations.RunPython(create_postgres_indexes, drop_postgres_indexes),
    ]
