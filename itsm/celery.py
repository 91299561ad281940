import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")

app = Celery("itsm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work. Each entry names a task that is safe to run twice.
app.conf.beat_schedule = {
    # A sweep that waited longer than its interval is dropped: the next one catches up once.
    "sla-sweep": {"task": "sla.tasks.sweep", "schedule": 15.0, "options": {"expires": 14.0}},
    # The outbox sweep: delivers what no on-commit wake-up reached (broker down, worker lost).
    "outbox-deliver": {"task": "core.tasks.deliver_outbox", "schedule": 5.0, "options": {"expires": 4.0}},
    "incidents-auto-close": {"task": "incidents.tasks.auto_close_resolved", "schedule": 3600.0},
}
