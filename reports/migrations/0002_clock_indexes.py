"""Indexes on the SLA clock table for the monthly service report's queries (reports.snapshot).

The month's breaches are read by their breach instant, and SLA attainment counts clocks by the
instant of their outcome (breach or met stop): without these, PostgreSQL walks every incident
of the organisation and probes its clocks (5 s at 120,000 incidents per organisation). Kept in
this app, which asks the questions, as raw SQL so the SLA models' state is untouched.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("sla", "0003_config_versions")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reports_clock_breached_idx ON sla_slaclock (breached_at) "
            "WHERE breached_at IS NOT NULL",
            "DROP INDEX IF EXISTS reports_clock_breached_idx",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reports_clock_outcome_idx ON sla_slaclock "
            "((COALESCE(breached_at, stopped_at))) WHERE state <> 'cancelled'",
            "DROP INDEX IF EXISTS reports_clock_outcome_idx",
        ),
    ]
