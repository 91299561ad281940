"""The partial GiST index on `tstzrange(planned_start, planned_end)` for the scheduled and
implementing changes: conflict detection's "windows overlap" is a range overlap (`&&`).

An expression index, so it is SQL here rather than a `Change.Meta` entry.
"""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS changes_window_range_gist ON changes_change
USING gist (tstzrange(planned_start, planned_end)) WHERE state IN ('implement', 'scheduled')
"""


class Migration(migrations.Migration):

    dependencies = [
        ('changes', '0001_initial'),
    ]

    operations = [
        migrations.RunSQL(CREATE, "DROP INDEX IF EXISTS changes_window_range_gist"),
    ]
