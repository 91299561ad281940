"""Incident desk and API latency with a million incidents, in-process with Django's test Client.

Usage (after seeding, see bench/incidents.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_bench_inc \
        .venv/bin/python bench/incidents.py [--runs 50]

Prints p50/p95/max per scenario and the number of SQL queries per request. DEBUG stays off;
queries are counted with CaptureQueriesContext on one extra request per scenario.
"""

import argparse
import os
import statistics
import sys
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

from accounts.models import ApiToken, Team, User  # noqa: E402
from incidents.models import Incident  # noqa: E402

SEARCH_TERMS = ["VPN", "메일", "그룹웨어 메일", "printer", "ERP 배치", "비밀번호", "monitor", "인증서"]


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(client, urls, runs, headers=None):
    headers = headers or {}
    for url in urls[:3]:  # warm up connections, caches, plans
        client.get(url, **headers)
    timings, cpu = [], []
    for i in range(runs):
        url = urls[i % len(urls)]
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    sql_ms = []
    for url in urls[:5]:
        with CaptureQueriesContext(connection) as queries:
            client.get(url, **headers)
        sql_ms.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    return {
        "p50": statistics.median(timings), "p95": percentile(timings, 95), "max": max(timings),
        "queries": len(queries.captured_queries), "sql": statistics.median(sql_ms),
        "cpu": statistics.median(cpu),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    settings.DEBUG = False

    total = Incident.objects.count()
    agent = User.objects.get(username="agent")
    _, key = ApiToken.issue(agent, name="bench")
    api_headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    groups = [pk for pk in Team.objects.order_by("pk").values_list("pk", flat=True)
              if Incident.objects.filter(assignment_group=pk, state="in_progress").exists()]

    web = Client()
    web.force_login(agent)
    api = Client()

    scenarios = {
        "agent queue page (my groups, open, 25 rows)": (web, ["/incidents/?queue=my_groups"], None),
        "agent queue page (all open, sorted by priority)": (web, ["/incidents/?queue=open"], None),
        "API ?state=in_progress&assignment_group=N (25 rows)": (
            api, [f"/api/v1/incidents/?state=in_progress&assignment_group={g}&page_size=25" for g in groups],
            api_headers),
        "API full-text ?search= (25 rows)": (
            api, [f"/api/v1/incidents/?search={t}&page_size=25" for t in SEARCH_TERMS], api_headers),
        "agent queue full-text search (all incidents)": (
            web, [f"/incidents/?queue=all&search={t}" for t in SEARCH_TERMS], None),
    }
    print(f"{total:,} incidents, {connection.vendor}, {args.runs} requests per scenario, "
          f"{os.cpu_count()} CPUs, load average before {os.getloadavg()[0]:.1f}")
    print("| scenario | p50 ms | p95 ms | max ms | queries | SQL ms (median) | Python CPU ms (median) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (client, urls, headers) in scenarios.items():
        result = measure(client, urls, args.runs, headers)
        print(f"| {name} | {result['p50']:.1f} | {result['p95']:.1f} | {result['max']:.1f} | {result['queries']} "
              f"| {result['sql']:.1f} | {result['cpu']:.1f} |")
    print(f"load average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
