"""A real Celery worker and beat (subprocesses) against Redis and the test PostgreSQL database:
one breach is escalated exactly once, even when sweeps and escalation tasks are redelivered."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from core.choices import AuditAction, Channel
from core.models import AuditEntry
from sla.choices import ClockKind, EventKind
from sla.models import ClockEvent, EscalationRun, SLAClock
from sla.tests.factories import make_definition
from tests.database_url import database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True),
              pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def _env():
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itsm.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3"),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "DEBUG": "false",
    }


def _wait(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def test_worker_and_beat_escalate_one_breach_exactly_once(tmp_path, agent, end_user):
    from incidents import services

    # given a 24×7 definition whose response target (1 min) was missed 10 s ago
    make_definition("Integration SLA", calendar=None, targets={3: (1, 600)}, warning_thresholds=[50],
                    rules=[{"threshold": 100, "kind": "response", "action": "work_note", "message": "breach!"},
                           {"threshold": 100, "kind": "response", "action": "raise_priority"}])
    incident = services.open_incident(actor=agent, channel=Channel.WEB, title="VPN down", caller=end_user,
                                      impact=2, urgency=2, now=timezone.now() - dt.timedelta(seconds=70))
    clock = SLAClock.objects.get(object_id=incident.pk, kind=ClockKind.RESPONSE)
    env = _env()
    subprocess.run([CELERY, "-A", "itsm", "purge", "-f"], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=30)
    started = time.monotonic()
    worker_log = open(tmp_path / "worker.log", "w")
    beat_log = open(tmp_path / "beat.log", "w")
    worker = subprocess.Popen(
        [CELERY, "-A", "itsm", "worker", "-c", "2", "-l", "info", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-n", f"sla-test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT)
    beat = subprocess.Popen(
        [CELERY, "-A", "itsm", "beat", "-l", "info", "-s", str(tmp_path / "beat-schedule"), "--max-interval", "1"],
        cwd=ROOT, env=env, stdout=beat_log, stderr=subprocess.STDOUT)
    try:
        # when beat's sweep finds it (first tick after 15 s) and the worker escalates; the wait is
        # generous because a worker and beat starting on a loaded 2-core CI machine took over 35 s
        done = _wait(lambda: EscalationRun.objects.filter(clock=clock, done_at__isnull=False).count() == 2, 90)
        assert done, (tmp_path / "worker.log").read_text()[-3000:]
        print(f"escalated {time.monotonic() - started:.1f}s after starting the worker")
        # and every task is delivered again (a redelivery, a second beat, an impatient operator)
        from itsm.celery import app

        for _ in range(3):
            app.send_task("sla.tasks.sweep")
            app.send_task("sla.tasks.run_escalations", args=[[clock.pk]])
        time.sleep(3)
    finally:
        _stop(beat)
        _stop(worker)
        worker_log.close()
        beat_log.close()
    # then the breach is recorded once, at its true instant, and escalated once per rule
    breach = ClockEvent.objects.get(clock=clock, kind=EventKind.BREACH)
    assert breach.at == clock.started_at + dt.timedelta(minutes=1)
    assert ClockEvent.objects.filter(clock=clock, kind=EventKind.WARNING).count() == 1
    escalated = AuditEntry.objects.for_object(incident).filter(action=AuditAction.ESCALATED)
    # one row per rule, plus the field rows of the priority change it made
    assert sorted(escalated.filter(field__in=["work_note", "raise_priority"]).values_list("field", flat=True)) == [
        "raise_priority", "work_note"]
    assert escalated.filter(field="priority").count() == 1
    incident.refresh_from_db()
    assert incident.priority == 2
    assert "sla.tasks.sweep" in (tmp_path / "worker.log").read_text()
