"""The GIN index behind known-error and problem search, and the documents of existing rows.

PostgreSQL only: SQLite searches with icontains and keeps the column empty.
"""

from django.db import migrations

DOCUMENT_SQL = """
    setweight(to_tsvector('simple', coalesce(number, '') || ' ' || coalesce(title, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(workaround, '') || ' ' || coalesce(root_cause, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(description, '') || ' ' || coalesce(analysis_notes, '')), 'C')
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Desk list ?search=, the known-error database and incident matching: search_vector @@ query.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS problem_search_gin ON problems_problem USING GIN (search_vector)"
    )
    schema_editor.execute(f"UPDATE problems_problem SET search_vector = {DOCUMENT_SQL} WHERE search_vector IS NULL")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS problem_search_gin")


class Migration(migrations.Migration):
    dependencies = [("problems", "0003_search_vector")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
