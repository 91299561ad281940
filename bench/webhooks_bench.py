"""Webhooks out benchmark (issue 15) against PostgreSQL, Redis, two real Celery workers and a real
HTTP receiver on 127.0.0.1 (webhooks/tests/receiver.py, a threaded http.server in this process).

    .venv/bin/python bench/webhooks_bench.py [--events 10000] [--records 100] [--workers 2]
                                             [--down-events 2000] [--down-minutes 10]

Uses DATABASE_URL (default: a database itsm_bench_webhooks, created and migrated if missing) and
CELERY_BROKER_URL (default redis://127.0.0.1:6379/2).

1. Throughput: `--events` events about `--records` incidents (published in one transaction as
   `incident.bench`, after the incidents were opened quietly) fan out to one subscription and
   are sent by `--workers` worker processes. Measured from the first wake-up to the last body
   received; then the receiver's log is checked: every webhook-id once (duplicates counted),
   every signature valid (standardwebhooks), each incident's events in publication order.
2. Receiver down: `--down-events` events while nothing listens on the port, for `--down-minutes`
   simulated minutes; then it listens again and must get everything, in order per incident.
   Time is simulated, not waited: each simulated minute moves every owed delivery's
   next_attempt_at, created_at and the subscription's failing_since one minute into the past
   (what a minute of waiting does to them), then wakes the workers, which retry whatever is due
   with the real backoff (5 s doubling, capped, jittered). Real waiting would take 10+ minutes.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import ensure_database, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itsm_bench_webhooks"
DEFAULT_BROKER = "redis://127.0.0.1:6379/2"
EVENT = "incident.bench"


def reset():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE webhooks_webhookdelivery, webhooks_subscription, core_delivery, core_outboxevent "
                       "RESTART IDENTITY CASCADE")


def incidents(count):
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import upsert_user
    from core import events
    from core.choices import Channel
    from incidents.models import Incident
    from incidents.services import open_incident

    agent = User.objects.filter(username="bench_webhooks").first() or upsert_user(
        "bench_webhooks", role=Role.AGENT, email="bench_webhooks@example.com", password="x-bench-1234")
    made = list(Incident.objects.filter(title__startswith="Webhook bench ").order_by("id")[:count])
    with events.quiet():
        while len(made) < count:
            made.append(open_incident(actor=agent, channel=Channel.SYSTEM, title=f"Webhook bench {len(made)}",
                                      caller=agent, impact=2, urgency=2))
    return made


def subscribe(url):
    from accounts.models import User
    from core.choices import Channel
    from webhooks import services

    owner = User.objects.get(username="bench_webhooks")
    return services.save_subscription(None, actor=owner, channel=Channel.SYSTEM,
                                      fields={"url": url, "events": ["incident.*"], "name": "bench"})


def publish(records, count, offset=0):
    from django.db import transaction

    from core import events, outbox

    outbox.use_waker(None)  # the workers are woken by hand below
    started = time.perf_counter()
    with transaction.atomic():
        items = [(records[n % len(records)], {"n": offset + n}) for n in range(count)]
        for i in range(0, count, 1000):
            events.publish_many(EVENT, items[i:i + 1000])
    return time.perf_counter() - started


def start_workers(count, log_dir):
    workers = []
    for index in range(count):
        log_path = log_dir / f"bench-webhooks-worker-{index}.log"
        log = open(log_path, "w")
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("celery")), "-A", "itsm", "worker", "-c", "1", "-l", "info",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n",
             f"bench-webhooks-{index}-{os.getpid()}@%h"],
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
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wake(workers):
    from itsm.celery import app

    for _ in range(workers):
        app.send_task("core.tasks.deliver_outbox")
        app.send_task("webhooks.tasks.send_webhooks")


def owed():
    from webhooks.models import WebhookDelivery

    return WebhookDelivery.objects.filter(state__in=["pending", "failed"]).count()


def fanned_out_all(expected):
    from core.models import Delivery

    return not Delivery.objects.filter(handler="webhooks.fanout").exclude(state="delivered").exists()


def check(receiver, secret, expected_ids=None):
    """Duplicates, bad signatures, and whether each incident's events arrived in publication order."""
    from standardwebhooks.webhooks import Webhook

    verifier = Webhook(secret)
    with receiver.lock:
        received = list(receiver.received)
    seen, duplicates, bad, out_of_order = set(), 0, 0, 0
    last = defaultdict(int)
    for headers, body in received:
        try:
            verifier.verify(body, headers)
        except Exception:  # noqa: BLE001 - counted, reported
            bad += 1
        webhook_id = headers["webhook-id"]
        if webhook_id in seen:
            duplicates += 1
            continue
        seen.add(webhook_id)
        payload = json.loads(body)
        number, event_id = payload["data"]["number"], payload["event"]["id"]
        if event_id < last[number]:
            out_of_order += 1
        last[number] = event_id
    missing = len(expected_ids - seen) if expected_ids is not None else None
    return {"received": len(received), "distinct": len(seen), "duplicates": duplicates, "bad_signatures": bad,
            "out_of_order": out_of_order, "missing": missing}


def throughput(args, receiver, records, subscription):
    from webhooks.models import WebhookDelivery

    published = publish(records, args.events)
    print(f"published {args.events:,} events about {len(records)} incidents in one transaction: {published:.2f}s")
    started = time.perf_counter()
    wake(args.workers)
    elapsed = None
    ticks = 0
    while time.perf_counter() - started < 300:
        if fanned_out_all(args.events) and owed() == 0 and WebhookDelivery.objects.count() >= args.events:
            elapsed = time.perf_counter() - started
            break
        time.sleep(0.2)
        ticks += 1
        if ticks % 25 == 0:
            wake(args.workers)  # what beat does every 5 s (webhooks-send, outbox-deliver)
    wake(args.workers)  # a duplicate wake-up (a beat tick): nothing may be sent twice
    time.sleep(2)
    ids = set(WebhookDelivery.objects.values_list("webhook_id", flat=True))
    result = check(receiver, subscription.secret, ids)
    latencies = sorted(WebhookDelivery.objects.exclude(latency_ms=None).values_list("latency_ms", flat=True))
    from django.db.models import Count

    print("deliveries by state: " + ", ".join(f"{row['state']} {row['n']}" for row in
                                              WebhookDelivery.objects.values("state").annotate(n=Count("id"))))
    return elapsed, result, latencies


def receiver_down(args, receiver, records, subscription):
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from webhooks.models import Subscription, WebhookDelivery

    receiver.stop()
    receiver.received.clear()
    before = set(WebhookDelivery.objects.values_list("webhook_id", flat=True))
    publish(records[: max(1, len(records) // 5)], args.down_events, offset=args.events)
    minute = timedelta(minutes=1)

    def one_minute_passes():
        # Only rows not yet due move (what is due stays due): an UPDATE of every owed row would
        # lock them, and the workers' claims skip locked rows. A batch in flight, claimed in the
        # last seconds, keeps its lease (moving it would hand it to the other worker mid-send).
        now = timezone.now()
        WebhookDelivery.objects.filter(state__in=["pending", "failed"], next_attempt_at__gt=now).exclude(
            last_attempt_at__gte=now - timedelta(seconds=5)).update(
            next_attempt_at=F("next_attempt_at") - minute, created_at=F("created_at") - minute)
        Subscription.objects.filter(failing_since__isnull=False).update(failing_since=F("failing_since") - minute)
        wake(args.workers)
        time.sleep(1.0)

    wake(args.workers)
    time.sleep(2)
    for _ in range(args.down_minutes):
        one_minute_passes()
    attempts_while_down = sum(WebhookDelivery.objects.filter(state__in=["pending", "failed"])
                              .values_list("attempts", flat=True))
    heads_failed = WebhookDelivery.objects.filter(state="failed").count()
    subscription.refresh_from_db()
    print(f"receiver down {args.down_minutes} simulated minutes: {owed():,} owed, {heads_failed} failing heads "
          f"(one per incident), {attempts_while_down} attempts made, subscription active={subscription.active}")
    receiver.start()
    started = time.perf_counter()
    simulated = 0
    while owed() and time.perf_counter() - started < 300:
        one_minute_passes()
        simulated += 1
    elapsed = time.perf_counter() - started
    ids = set(WebhookDelivery.objects.values_list("webhook_id", flat=True)) - before
    result = check(receiver, subscription.secret, ids)
    subscription.refresh_from_db()
    return elapsed, simulated, result, subscription, timezone.now()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--down-events", type=int, default=2_000)
    parser.add_argument("--down-minutes", type=int, default=10)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    broker = os.environ.get("CELERY_BROKER_URL", DEFAULT_BROKER)
    os.environ["WEBHOOKS_ALLOW_LOOPBACK"] = "1"  # the receiver is on this host (workers inherit it)
    ensure_database(url)
    setup_django(url, broker)
    from webhooks.tests.receiver import Receiver

    reset()
    receiver = Receiver()
    records = incidents(args.records)
    subscription = subscribe(receiver.url)
    log_dir = ROOT / "var"
    log_dir.mkdir(exist_ok=True)
    workers = start_workers(args.workers, log_dir)
    try:
        elapsed, result, latencies = throughput(args, receiver, records, subscription)
        ok = elapsed is not None and elapsed < 60 and result["missing"] == 0 and result["out_of_order"] == 0
        rate = f"{args.events / elapsed:,.0f}/s" if elapsed else "n/a"
        print(f"{args.workers} workers: all {args.events:,} delivered in {elapsed:.2f}s ({rate})" if elapsed
              else "not all delivered within 300 s")
        print("receiver: " + ", ".join(f"{k} {v}" for k, v in result.items()))
        if latencies:
            print(f"request latency: p50 {latencies[len(latencies) // 2]} ms, "
                  f"p95 {latencies[int(len(latencies) * 0.95)]} ms")
        if args.down_events:
            down_elapsed, simulated, down, subscription, _now = receiver_down(args, receiver, records, subscription)
            print(f"back up: everything owed delivered after {simulated} more simulated minutes, "
                  f"{down_elapsed:.1f}s real; subscription active={subscription.active}")
            print("receiver: " + ", ".join(f"{k} {v}" for k, v in down.items()))
            ok = ok and down["missing"] == 0 and down["out_of_order"] == 0 and subscription.active
    finally:
        stop_workers(workers)
        receiver.stop()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
