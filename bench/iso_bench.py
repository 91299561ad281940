"""Issue 18: ISO/IEC 20000-1 readiness view p95 and the evidence pack build (all clauses, 12 months,
25 records per clause) against a database seeded with a million incidents.

Usage (after seeding, see bench/incidents.md; the same database serves):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_bench_inc \
        .venv/bin/python bench/iso_bench.py [--runs 40] [--sample 25] [--months 12]

Prints the readiness page and API p50/p95 (in-process Django test Client, DEBUG off), the pack's
build time, its size, and the process's resident memory before, during (peak, sampled every 50 ms)
and after the build: "memory flat" means the peak does not grow with the number of records.
"""

import argparse
import datetime as dt
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from core.choices import Channel  # noqa: E402
from incidents.models import Incident  # noqa: E402
from iso import services  # noqa: E402


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(client, url, runs, **headers):
    for _ in range(3):
        client.get(url, **headers)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    return (f"{url:<28} p50 {percentile(timings, 50):7.1f} ms  p95 {percentile(timings, 95):7.1f} ms  "
            f"max {max(timings):7.1f} ms  queries {len(queries)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--sample", type=int, default=25)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    setup_test_environment()
    settings.DEBUG = False
    manager = User.objects.filter(groups__name=Role.MANAGER).order_by("id").first()
    print(f"incidents: {Incident.objects.count():,}  load average: {os.getloadavg()}")
    client = Client()
    client.force_login(manager)
    print(measure(client, "/iso/", args.runs))
    print(measure(client, "/iso/", args.runs, HTTP_ACCEPT_LANGUAGE="ko"))
    print(measure(client, "/api/v1/iso/clauses/", args.runs))
    print(measure(client, "/iso/clauses/8.6.1/", max(5, args.runs // 4)))

    today = timezone.localdate()
    start = today - dt.timedelta(days=round(args.months * 30.44))
    pack = services.request_pack(actor=manager, channel=Channel.SCRIPT if hasattr(Channel, "SCRIPT") else Channel.WEB,
                                 clauses=[], period_start=start, period_end=today, sample_size=args.sample,
                                 seed="bench-2026", language="ko")
    peak = {"rss": rss_mb()}
    before = peak["rss"]
    running = True

    def sample_rss():
        while running:
            peak["rss"] = max(peak["rss"], rss_mb())
            time.sleep(0.05)

    watcher = threading.Thread(target=sample_rss, daemon=True)
    watcher.start()
    started = time.perf_counter()
    pack = services.build(pack.pk)
    elapsed = time.perf_counter() - started
    running = False
    watcher.join()
    records = sum(len(ids) for by_type in pack.sample.values() for ids in by_type.values())
    print(f"evidence pack {pack} all clauses {start}..{today} sample {args.sample}: state {pack.state}, "
          f"{elapsed:.1f} s, {pack.size_bytes / 1024:.0f} KiB, {records} records sampled; "
          f"RSS before {before:.0f} MiB, peak {peak['rss']:.0f} MiB, after {rss_mb():.0f} MiB")
    if pack.error:
        print(pack.error)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
