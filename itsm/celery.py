import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import celeryd_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")

app = Celery("itsm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work. Each entry names a task that is safe to run twice. The apps' entries in
# settings.CELERY_BEAT_SCHEDULE are kept: assigning beat_schedule here would otherwise drop them.
app.conf.beat_schedule = {
    **settings.CELERY_BEAT_SCHEDULE,
    # A sweep that waited longer than its interval is dropped: the next one catches up once.
    "sla-sweep": {"task": "sla.tasks.sweep", "schedule": 15.0, "options": {"expires": 14.0}},
    # The outbox sweep: delivers what no on-commit wake-up reached (broker down, worker lost).
    "outbox-deliver": {"task": "core.tasks.deliver_outbox", "schedule": 5.0, "options": {"expires": 4.0}},
    "incidents-auto-close": {"task": "incidents.tasks.auto_close_resolved", "schedule": 3600.0},
    # Knowledge articles past their review date: flagged, owners mailed (once per review date).
    "knowledge-review-due": {"task": "knowledge.tasks.flag_due_reviews", "schedule": 3600.0},
    # Monthly service reports for the month just ended in each organisation's time zone: hourly
    # on the 1st and 2nd (UTC), so every zone's 1st is covered; existing reports are skipped.
    "reports-monthly": {"task": "reports.tasks.generate_monthly_reports",
                        "schedule": crontab(minute=20, day_of_month="1,2")},
    # The manager dashboard's pre-aggregated figures (issue 16); a late run is dropped, the next catches up.
    "dashboards-refresh": {"task": "dashboards.tasks.refresh", "schedule": 600.0, "options": {"expires": 540.0}},
    # Webhooks out: sends what no after-fan-out wake-up reached, and the retries that came due.
    "webhooks-send": {"task": "webhooks.tasks.send_webhooks", "schedule": 5.0, "options": {"expires": 4.0}},
}



@celeryd_init.connect
def _worker_database_timeouts(**_kwargs):
    """Workers sweep SLA clocks and the outbox in batches that may legitimately run longer than
    a web request may, and wait behind a web request's row lock rather than fail: their own,
    longer limits (DB_WORKER_*; settings.py). Runs in the worker's main process before any
    connection is opened, so every pool process inherits it."""
    from django.conf import settings
    from django.db import connections

    from itsm.dbtimeouts import with_timeouts

    with_timeouts(settings.DATABASES["default"], statement_ms=settings.DB_WORKER_STATEMENT_TIMEOUT_MS,
                  lock_ms=settings.DB_WORKER_LOCK_TIMEOUT_MS)
    connections.close_all()
