"""Outbox benchmark against PostgreSQL and Redis.

    .venv/bin/python bench/outbox.py [--events 10000] [--workers 2] [--concurrency 1]

Uses DATABASE_URL (default: a PostgreSQL database named itsm_bench_outbox, created and migrated
if missing) and CELERY_BROKER_URL (default redis://127.0.0.1:6379/2). Publishes `--events`
events in one transaction (one delivery each to a handler that inserts a row keyed by the
delivery id), then starts `--workers` real Celery worker processes (subprocesses), wakes the
dispatcher once per worker and measures until every delivery is delivered
(target: 10,000 in < 30 s with two workers), then checks that no delivery was handled twice.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import ensure_database, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itsm_bench_outbox"
DEFAULT_BROKER = "redis://127.0.0.1:6379/2"


def reset():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_delivery, core_outboxevent RESTART IDENTITY CASCADE")
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_outbox_seen (delivery_id bigint NOT NULL, worker int)")
        cursor.execute("TRUNCATE bench_outbox_seen")


def publish(count):
    from django.db import transaction

    from accounts.models import Team
    from bench import outbox_handler
    from core import events, outbox

    team, _ = Team.objects.get_or_create(name="Bench outbox")
    outbox.use_waker(None)  # the workers are woken below, after they are up
    started = time.perf_counter()
    with transaction.atomic():
        for i in range(0, count, 1000):
            events.publish_many(outbox_handler.EVENT, [(team, {"n": n}) for n in range(i, min(count, i + 1000))])
    return time.perf_counter() - started


def start_workers(count, concurrency, log_dir):
    workers = []
    for index in range(count):
        log_path = log_dir / f"bench-outbox-worker-{index}.log"
        log = open(log_path, "w")
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("celery")), "-A", "itsm", "worker", "-c", str(concurrency),
             "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--include", "bench.outbox_handler", "-n", f"bench-outbox-{index}-{os.getpid()}@%h"],
            cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
        workers.append((process, log, log_path))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if all("ready." in path.read_text() for _p, _l, path in workers):
            return workers
        time.sleep(0.2)
    raise SystemExit("workers did not start: " + workers[0][2].read_text()[-2000:])


def stop_workers(workers):
    for process, _log, _path in workers:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process, log, _path in workers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def deliver(count, workers, concurrency):
    from django.db import connection

    from core.choices import DeliveryState
    from core.models import Delivery
    from itsm.celery import app

    log_dir = ROOT / "var"
    log_dir.mkdir(exist_ok=True)
    processes = start_workers(workers, concurrency, log_dir)
    try:
        started = time.perf_counter()
        for _ in range(workers * concurrency):  # one wake-up per worker process: they split the work
            app.send_task("core.tasks.deliver_outbox")
        elapsed = None
        while time.perf_counter() - started < 300:
            if not Delivery.objects.filter(state=DeliveryState.PENDING).exists():
                elapsed = time.perf_counter() - started
                break
            time.sleep(0.1)
        # Wake the dispatchers again (a beat tick, a duplicate message): nothing may happen twice.
        for _ in range(workers):
            app.send_task("core.tasks.deliver_outbox")
        time.sleep(3)
    finally:
        stop_workers(processes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT delivery_id) FROM bench_outbox_seen")
        handled, distinct = cursor.fetchone()
        cursor.execute("SELECT worker, count(*) FROM bench_outbox_seen GROUP BY worker ORDER BY 2 DESC")
        split = cursor.fetchall()
    delivered = Delivery.objects.filter(state=DeliveryState.DELIVERED).count()
    return {"elapsed": elapsed, "handled": handled, "distinct": distinct, "delivered": delivered, "split": split}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    broker = os.environ.get("CELERY_BROKER_URL", DEFAULT_BROKER)
    ensure_database(url)
    setup_django(url, broker)
    reset()
    published = publish(args.events)
    print(f"published {args.events:,} events (one delivery each) in one transaction: {published:.2f}s")
    result = deliver(args.events, args.workers, args.concurrency)
    elapsed = result["elapsed"]
    rate = f"{args.events / elapsed:,.0f}/s" if elapsed else "n/a"
    print(f"{args.workers} workers × {args.concurrency}: all {args.events:,} delivered in "
          f"{elapsed:.2f}s ({rate})" if elapsed else "not all delivered within 300 s")
    print(f"handler calls {result['handled']:,}, distinct deliveries {result['distinct']:,} "
          f"(duplicates {result['handled'] - result['distinct']}), delivered rows {result['delivered']:,}")
    print("split per worker process: " + ", ".join(f"{n:,}" for _pid, n in result["split"]))
    ok = elapsed is not None and elapsed < 30 and result["handled"] == result["distinct"] == args.events
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
