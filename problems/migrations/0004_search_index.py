"""The GIN index behind known-error and problem search, and the documents of existing rows."""

from django.db import migrations

DOCUMENT_SQL = """
    setweight(to_tsvector('simple', coalesce(number, '') || ' ' || coalesce(title, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(workaround, '') || ' ' || coalesce(root_cause, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(description, '') || ' ' || coalesce(analysis_notes, '')), 'C')
"""


class Migration(migrations.Migration):
    dependencies = [("problems", "0003_search_vector")]

    operations = [
        # Desk list ?search=, the known-error database and incident matching: search_vector @@ query.
        migrations.RunSQL(
            [
                "CREATE INDEX IF NOT EXISTS problem_search_gin ON problems_problem USING GIN (search_vector)",
                f"UPDATE problems_problem SET search_vector = {DOCUMENT_SQL} WHERE search_vector IS NULL",
            ],
            "DROP INDEX IF EXISTS problem_search_gin",
            elidable=False,
        ),
    ]
