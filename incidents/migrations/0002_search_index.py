"""The GIN index behind full-text search, PostgreSQL only (SQLite searches with icontains)."""

from django.db import migrations


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Full-text search on the agent desk and ?search= in the API: search_vector @@ query.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS inc_search_gin ON incidents_incident USING GIN (search_vector)"
    )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS inc_search_gin")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(create_gin_index, drop_gin_index, elidable=False)]
