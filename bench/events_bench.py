"""Event ingest benchmark (issue 15): gunicorn, two client processes, dedupe checked.

    .venv/bin/python bench/events_bench.py [--seconds 20] [--batch 1] [--storm 10000] [--workers 2]

Uses DATABASE_URL (default: a PostgreSQL database named itsm_bench_events, created and migrated
if missing). Builds 10 business services with 20 CIs each (the service depends_on each CI), an
incident rule that opens incidents for critical alerts, and an agent's API token; starts
gunicorn (`--workers` processes × 4 threads, DEBUG off, request log discarded) and then:

1. **sustained**: two client processes POST events for `--seconds` (keep-alive connections,
   `--batch` events per request: 1 sends the single-event body, more a JSON list), each event
   one of 200 fingerprints firing again (the common path; both clients cycle through all of
   them, half a cycle apart, so they update the same alerts concurrently), and report events/s and the
   per-request latency p50/p95/max;
2. **storm**: after a reset, the two clients send `--storm` critical events over the 200 CIs
   (first events of each fingerprint arrive concurrently from both clients) and the script
   checks: alerts open = 200, sum of counts = events sent, incidents opened ≤ 10 (one per service).
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import ensure_database, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itsm_bench_events"
SERVICES, PER_SERVICE = 10, 20


def build():
    from accounts.models import ApiToken
    from accounts.roles import Role
    from accounts.services import upsert_user
    from cmdb.models import ConfigurationItem, Relationship
    from cmdb.tests.factories import make_ci
    from monitoring.models import IncidentRule

    agent = upsert_user("bench_events", role=Role.AGENT, email="bench-events@example.com", password="x-pass-1234")
    _token, key = ApiToken.issue(agent, name="bench")
    if not ConfigurationItem.objects.filter(name="bench-ev-svc-0").exists():
        for s in range(SERVICES):
            service = make_ci(f"bench-ev-svc-{s}", "business_service")
            for c in range(PER_SERVICE):
                ci = make_ci(f"bench-ev-{s}-{c}", "server")
                Relationship.objects.create(source=service, target=ci, type="depends_on")
    IncidentRule.objects.get_or_create(name="bench critical", defaults={"min_severity": "critical", "impact": 1,
                                                                        "urgency": 1})
    return key


def reset():
    from django.db import connection

    from incidents.models import Incident

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE monitoring_event, monitoring_alert RESTART IDENTITY")
    return Incident.objects.filter(channel="monitoring").count()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port, workers, url):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "itsm.settings", "DEBUG": "0",
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers), "GUNICORN_THREADS": "4"}
    process = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "itsm/gunicorn.conf.py", "itsm.wsgi",
                                "--access-logfile", "/dev/null", "--error-logfile", "/tmp/bench-events-gunicorn.log",
                                "--log-level", "warning"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def event(i, rng, severity="critical"):
    s, c = divmod(i % (SERVICES * PER_SERVICE), PER_SERVICE)
    return {"source": "bench", "ci": f"bench-ev-{s}-{c}", "node": f"bench-ev-{s}-{c}", "check": "cpu",
            "severity": severity, "status": "firing", "fingerprint": f"bench:{s}:{c}",
            "message": "CPU above 95%", "labels": {"job": "node", "value": str(rng.randint(95, 100))}}


def client(index, port, key, seconds, batch, total, out):
    rng = random.Random(index)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
    # Both clients cycle through all 200 fingerprints, half a cycle apart: the same alerts are
    # updated (and first opened) by both at once, which is what dedupe must survive.
    latencies, sent, errors, i = [], 0, 0, index * (SERVICES * PER_SERVICE // 2)
    started = time.perf_counter()
    while True:
        if total is not None and sent >= total:
            break
        if total is None and time.perf_counter() - started >= seconds:
            break
        size = batch if total is None else min(batch, total - sent)
        items = [event(i + k, rng) for k in range(size)]
        i += size
        body = json.dumps(items if batch > 1 else items[0])
        t0 = time.perf_counter()
        conn.request("POST", "/api/v1/events/", body=body, headers=headers)
        response = conn.getresponse()
        answer = response.read()
        latencies.append(time.perf_counter() - t0)
        if response.status != 202:
            errors += 1
            print("error", response.status, answer[:300], file=sys.stderr)
        sent += size
    out.put((sent, errors, latencies, time.perf_counter() - started))


def run_clients(port, key, *, seconds=None, batch=1, total=None, clients=2):
    queue = multiprocessing.Queue()
    share = None if total is None else total // clients
    processes = [multiprocessing.Process(target=client, args=(n, port, key, seconds, batch, share, queue))
                 for n in range(clients)]
    for p in processes:
        p.start()
    results = [queue.get() for _ in processes]
    for p in processes:
        p.join()
    sent = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    latencies = sorted(x for r in results for x in r[2])
    elapsed = max(r[3] for r in results)
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0
    return {"events": sent, "requests": len(latencies), "errors": errors, "seconds": round(elapsed, 2),
            "events_per_s": round(sent / elapsed, 1), "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(p95, 1), "max_ms": round(latencies[-1] * 1000, 1)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--storm", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url, os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3"))
    key = build()
    reset()
    port = free_port()
    server = start_gunicorn(port, args.workers, url)
    try:
        from django.db.models import Sum

        from incidents.models import Incident
        from monitoring.models import Alert

        # Warm-up: every fingerprint opened once (the sustained phase measures the repeat path).
        run_clients(port, key, total=SERVICES * PER_SERVICE, batch=1)
        sustained = run_clients(port, key, seconds=args.seconds, batch=args.batch)
        print("sustained", json.dumps(sustained))
        before = reset()
        storm = run_clients(port, key, total=args.storm, batch=args.batch)
        alerts = Alert.objects.filter(state="open")
        opened = Incident.objects.filter(channel="monitoring").count() - before
        check = {"alerts_open": alerts.count(), "count_sum": alerts.aggregate(n=Sum("count"))["n"],
                 "incidents_opened": opened,
                 "alerts_per_incident": sorted(alerts.values_list("incident_id", flat=True).distinct().count()
                                               for _ in [0])}
        print("storm", json.dumps(storm), json.dumps(check))
        ok = check["alerts_open"] == SERVICES * PER_SERVICE and check["count_sum"] == storm["events"] \
            and opened <= SERVICES and storm["errors"] == 0
        print("dedupe and storm grouping hold" if ok else "FAILED: dedupe or storm grouping")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
