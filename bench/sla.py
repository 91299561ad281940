"""SLA sweep benchmark against PostgreSQL and Redis.

    .venv/bin/python bench/sla.py [--idle 1000000] [--breaching 10000] [--workers 2] [--concurrency 2]

Uses DATABASE_URL (default: a PostgreSQL database named itsm_bench_sla, created and migrated
if missing) and CELERY_BROKER_URL (default redis://127.0.0.1:6379/3). Measures
  1. one sweep over `--idle` running clocks of which none is due (target: < 50 ms);
  2. `--breaching` clocks breaching at once: two Celery worker processes (subprocesses) sweep
     and escalate them all (target: < 60 s), and no breach or escalation is recorded twice.
Figures are recorded in bench/sla.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import ensure_database, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itsm_bench_sla"
DEFAULT_BROKER = "redis://127.0.0.1:6379/3"


def reset(definition_name):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE sla_escalationrun, sla_clockevent, sla_slaclock RESTART IDENTITY CASCADE")
        cursor.execute("DELETE FROM incidents_incident WHERE number LIKE 'BENCH%%'")
        cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER USER")  # append-only trigger
        cursor.execute("DELETE FROM core_auditentry WHERE object_repr LIKE 'BENCH%%'")
        cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER USER")


def make_definition():
    from django.contrib.contenttypes.models import ContentType

    from incidents.models import Incident
    from sla.models import EscalationRule, SLADefinition, SLATarget

    definition, created = SLADefinition.objects.get_or_create(
        name="Bench SLA (24×7)", defaults={"ticket_type": ContentType.objects.get_for_model(Incident)})
    if created:
        SLATarget.objects.create(definition=definition, priority=3, response_minutes=60, resolution_minutes=240)
        EscalationRule.objects.create(definition=definition, threshold=100, action="work_note",
                                      message="Bench: breached")
    return definition


def insert_idle_clocks(definition, count):
    """`count` running clocks on synthetic tickets, all due between 1 h and 25 h from now."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from incidents.models import Incident

    content_type = ContentType.objects.get_for_model(Incident)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO sla_slaclock (content_type_id, object_id, definition_id, kind, state, priority,
                target_minutes, started_at, segment_started_at, due_at, next_check_at, elapsed_business_seconds,
                warnings_sent, created_at)
            SELECT %s, 900000000 + g, %s, 'resolution', 'running', 3, 240, now(), now(),
                   now() + interval '25 hours', now() + interval '1 hour' + (g %% 86400) * interval '1 second',
                   0, '[]'::jsonb, now()
            FROM generate_series(1, %s) AS g
            """,
            [content_type.pk, definition.pk, count],
        )
        cursor.execute("ANALYZE sla_slaclock")
    return time.perf_counter() - started


def measure_idle_sweep(runs=50):
    from django.db import connection
    from django.utils import timezone

    from sla import sweep as sla_sweep

    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        settled = sla_sweep.sweep(now=timezone.now())
        timings.append((time.perf_counter() - started) * 1000)
        assert settled == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM sla_slaclock WHERE state = 'running' AND next_check_at <= now() "
            "ORDER BY next_check_at LIMIT 500 FOR UPDATE OF sla_slaclock SKIP LOCKED")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    timings.sort()
    return {"p50": statistics.median(timings), "p95": timings[int(len(timings) * 0.95) - 1], "max": timings[-1],
            "plan": plan}


def insert_breaching(definition, count):
    """`count` incidents whose resolution clock breached a minute ago (warnings already sent)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from incidents.models import Incident

    caller, _ = User.objects.get_or_create(username="bench-caller", defaults={"email": "bench@example.com"})
    now = timezone.now()
    incidents = Incident.objects.bulk_create(
        [Incident(number=f"BENCH{i:07d}", title=f"BENCH incident {i}", caller=caller, priority=3, impact=2,
                  urgency=2, state="in_progress", created_at=now, updated_at=now) for i in range(count)],
        batch_size=2000)
    content_type = ContentType.objects.get_for_model(Incident)
    ids = [i.pk for i in incidents]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO sla_slaclock (content_type_id, object_id, definition_id, kind, state, priority,
                target_minutes, started_at, segment_started_at, due_at, next_check_at, elapsed_business_seconds,
                warnings_sent, created_at)
            SELECT %s, id, %s, 'resolution', 'running', 3, 240, now() - interval '241 minutes',
                   now() - interval '241 minutes', now() - interval '1 minute', now() - interval '1 minute', 0,
                   '[50, 75, 90]'::jsonb, now()
            FROM unnest(%s::bigint[]) AS id
            """,
            [content_type.pk, definition.pk, ids],
        )
        cursor.execute("ANALYZE sla_slaclock")
    return ids


def start_workers(count, concurrency, env, log_dir):
    celery = str(Path(sys.executable).with_name("celery"))
    subprocess.run([celery, "-A", "itsm", "purge", "-f"], cwd=ROOT, env=env, check=True, capture_output=True)
    workers = []
    for n in range(count):
        log = open(log_dir / f"bench-sla-worker{n}.log", "w")
        workers.append((subprocess.Popen(
            [celery, "-A", "itsm", "worker", "-c", str(concurrency), "-l", "warning", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "-n", f"bench-sla-{n}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log))
    return workers


def stop_workers(workers):
    import signal

    for process, _log in workers:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process, log in workers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def measure_breach_storm(definition, count, workers, concurrency):
    from django.db import connection
    from django.db.models import Count

    from core.models import AuditEntry
    from itsm.celery import app
    from sla.models import ClockEvent, EscalationRun, SLAClock

    ids = insert_breaching(definition, count)
    env = {**os.environ}
    log_dir = ROOT / "var"
    log_dir.mkdir(exist_ok=True)
    processes = start_workers(workers, concurrency, env, log_dir)
    try:
        time.sleep(4)  # let the workers connect
        started = time.perf_counter()
        # Two sweeps at once (as two beats or a redelivery would): SKIP LOCKED splits the work.
        for _ in range(workers):
            app.send_task("sla.tasks.sweep")
        breached_at = done_at = None
        deadline = started + 180
        while time.perf_counter() < deadline:
            breached = SLAClock.objects.filter(object_id__in=ids, breached_at__isnull=False).count()
            if breached == count and breached_at is None:
                breached_at = time.perf_counter() - started
            done = EscalationRun.objects.filter(done_at__isnull=False).count()
            if done >= count:
                done_at = time.perf_counter() - started
                break
            time.sleep(0.5)
        # Redeliver everything once more: nothing may happen twice.
        app.send_task("sla.tasks.sweep")
        for i in range(0, len(ids), 500):
            clock_ids = list(SLAClock.objects.filter(object_id__in=ids[i:i + 500]).values_list("id", flat=True))
            app.send_task("sla.tasks.run_escalations", args=[clock_ids])
        time.sleep(5)
    finally:
        stop_workers(processes)
    connection.close()
    breaches = ClockEvent.objects.filter(kind="breach").count()
    duplicate_breaches = (ClockEvent.objects.filter(kind="breach").values("clock").annotate(n=Count("id"))
                          .filter(n__gt=1).count())
    escalations = AuditEntry.objects.filter(action="escalated", field="work_note", object_repr__startswith="BENCH")
    duplicate_escalations = escalations.values("object_id").annotate(n=Count("id")).filter(n__gt=1).count()
    return {"breached_s": breached_at, "escalated_s": done_at, "breach_events": breaches,
            "duplicate_breaches": duplicate_breaches, "escalations": escalations.count(),
            "duplicate_escalations": duplicate_escalations,
            "runs": EscalationRun.objects.count(), "runs_done": EscalationRun.objects.filter(done_at__isnull=False).count()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--idle", type=int, default=1_000_000)
    parser.add_argument("--breaching", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    broker = os.environ.get("CELERY_BROKER_URL", DEFAULT_BROKER)
    ensure_database(url)
    setup_django(url, broker)
    definition = make_definition()
    reset(definition.name)
    print(f"database {url}, broker {broker}")
    seconds = insert_idle_clocks(definition, args.idle)
    print(f"inserted {args.idle:,} running clocks (none due) in {seconds:.1f}s")
    idle = measure_idle_sweep()
    print(f"idle sweep over {args.idle:,} clocks: p50 {idle['p50']:.2f} ms, p95 {idle['p95']:.2f} ms, "
          f"max {idle['max']:.2f} ms")
    print(idle["plan"])
    storm = measure_breach_storm(definition, args.breaching, args.workers, args.concurrency)
    print(f"{args.breaching:,} clocks breaching at once, {args.workers} workers × {args.concurrency}: "
          f"all breaches recorded after {storm['breached_s']}s, all escalated after {storm['escalated_s']}s")
    print(f"breach events {storm['breach_events']:,} (duplicates {storm['duplicate_breaches']}), escalation runs "
          f"{storm['runs']:,} done {storm['runs_done']:,}, work notes {storm['escalations']:,} "
          f"(duplicates {storm['duplicate_escalations']})")


if __name__ == "__main__":
    main()
