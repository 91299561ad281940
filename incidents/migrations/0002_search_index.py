"""The GIN index behind full-text search."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [
        # Full-text search on the agent desk and ?search= in the API: search_vector @@ query.
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS inc_search_gin ON incidents_incident USING GIN (search_vector)",
            "DROP INDEX IF EXISTS inc_search_gin",
            elidable=False,
        ),
    ]
