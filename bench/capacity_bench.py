"""Capacity (issue 17, item 5): the CI page with a year of daily metrics, p95 < 150 ms.

Builds (once, kept) a production server "bench-capacity-<per_day>" with four metrics (CPU, memory,
disk, licences) and a year of readings, `--per-day` per metric per day (1: daily points, the
target's size; 24: hourly; 1440: minute-level ingest), through capacity.demo.build (the services,
thresholds applied). Then measures, in process with Django's test Client as a signed-in agent:
the CI page (cmdb detail with the capacity panel: daily rollup in SQL, forecast by numpy), the
API's daily rollup of one metric, and the capacity report. DEBUG stays off; queries are counted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_hcapdev .venv/bin/python bench/capacity_bench.py \\
        [--per-day 1] [--runs 60]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from capacity import demo  # noqa: E402
from capacity.models import Metric, MetricSample  # noqa: E402
from cmdb.models import CIClass, ConfigurationItem  # noqa: E402
from core import events  # noqa: E402


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def build(per_day, actor):
    name = f"bench-capacity-{per_day}"
    ci = ConfigurationItem.objects.filter(name=name).first()
    if ci is not None and Metric.objects.filter(ci=ci).count() == len(demo.PROFILES):
        return ci, False
    server = CIClass.objects.get_or_create(slug="server", defaults={"name": "Server"})[0]
    ci = ci or ConfigurationItem.objects.create(name=name, ci_class=server, environment="production")
    started = time.perf_counter()
    with events.quiet():
        demo.build(ci, actor=actor, days=365, now=timezone.now(), per_day=per_day, seed=17)
    print(f"built {MetricSample.objects.filter(metric__ci=ci).count():,} samples in {time.perf_counter() - started:.1f} s")
    return ci, True


def measure(client, url, runs):
    client.get(url)  # warm: templates, connection
    timings, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(context)
    return statistics.median(timings), percentile(timings, 95), queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-day", type=int, default=1)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    setup_test_environment()
    agent = User.objects.filter(is_superuser=True).first() or User.objects.filter(is_staff=True).first()
    ci, _built = build(args.per_day, agent)
    samples = MetricSample.objects.filter(metric__ci=ci).count()
    client = Client()
    client.force_login(agent)
    metric = Metric.objects.filter(ci=ci).order_by("key").first()
    print(f"CI {ci.name}: {Metric.objects.filter(ci=ci).count()} metrics, {samples:,} samples; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print("| scenario | median | p95 | queries |\n| --- | --- | --- | --- |")
    bare = (ConfigurationItem.objects.filter(capacity_metrics__isnull=True, ci_class=ci.ci_class).exclude(pk=ci.pk).first()
            or ConfigurationItem.objects.create(name="bench-capacity-none", ci_class=ci.ci_class, environment="production"))
    for label, url in (("CI page without metrics (baseline: the CMDB page alone)", bare.get_absolute_url()),
                       (f"CI page `/cmdb/cis/{{id}}/` ({args.per_day}/day)", ci.get_absolute_url()),
                       ("`GET /api/v1/capacity/metrics/{id}/daily/`", f"/api/v1/capacity/metrics/{metric.pk}/daily/"),
                       ("`/capacity/` report", "/capacity/")):
        median, p95, queries = measure(client, url, args.runs)
        print(f"| {label} | {median:.1f} ms | {p95:.1f} ms | {queries} |")


if __name__ == "__main__":
    main()
