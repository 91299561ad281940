"""Issue 12, storage: the search document leaves the row (core.search, `row_index`).

An incident's own words (number, title, description) are searched through a GIN index on their
expression (inc_words_gin); `search_vector` keeps the whole document of incidents with public
comments only (NULL elsewhere, indexed by the partial inc_commented_gin). At 100,000 incidents
this takes ~21 MB of stored vectors out of the heap; see bench/README.md, "Issue 12, third round".
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

# A row's public comments (the documents are written by core.search; work notes never count).
_PUBLIC_COMMENTS = (
    "SELECT string_agg(c.body, ' ') FROM core_comment c WHERE c.object_id = i.id AND NOT c.internal "
    "AND c.content_type_id = (SELECT id FROM django_content_type WHERE app_label = 'incidents' "
    "AND model = 'incident')"
)

# Every row without public comments loses its stored document (rows with them keep theirs);
# dropped before the UPDATE so that the old index is not maintained row by row.
FORWARD = (
    "DROP INDEX IF EXISTS inc_search_gin;"
    f"UPDATE incidents_incident i SET search_vector = NULL WHERE search_vector IS NOT NULL "
    f"AND ({_PUBLIC_COMMENTS}) IS NULL;"
)

# Back to one stored document in every row (core.search's document of 0002–0008).
BACKWARD = (
    "UPDATE incidents_incident i SET search_vector = "
    "setweight(to_tsvector('simple', coalesce(i.number, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(i.title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(i.description, '')), 'B') || "
    f"setweight(to_tsvector('simple', coalesce(({_PUBLIC_COMMENTS}), '')), 'C') WHERE search_vector IS NULL;"
    "CREATE INDEX IF NOT EXISTS inc_search_gin ON incidents_incident USING GIN (search_vector);"
)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("incidents", "0008_incident_security"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD, elidable=False),
        migrations.AddIndex(
            model_name="incident",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector("number", "title", "description", config="simple"),
                name="inc_words_gin", fastupdate=False),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_vector__isnull", False)), fields=["search_vector"],
                name="inc_commented_gin"),
        ),
    ]
