"""Problem desk, known-error database and API latency, in-process with Django's test Client.

Usage (after seeding, see bench/problems.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_bench_prb \
        .venv/bin/python bench/problems.py [--runs 50]

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

from accounts.models import ApiToken, User  # noqa: E402
from incidents.models import Incident  # noqa: E402
from problems.models import Problem  # noqa: E402
from problems.selectors import matching_known_errors  # noqa: E402

SEARCH_TERMS = ["VPN", "printer", "tunnelling", "pattern", "index", "timeout", "Outlook search", "gateway"]


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarise(timings, queries):
    return {"p50": statistics.median(timings), "p95": percentile(timings, 95), "max": max(timings),
            "queries": queries}


def measure(client, urls, runs, headers=None):
    headers = headers or {}
    for url in urls[:3]:  # warm up connections, caches, plans
        client.get(url, **headers)
    timings = []
    for i in range(runs):
        url = urls[i % len(urls)]
        started = time.perf_counter()
        response = client.get(url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    with CaptureQueriesContext(connection) as queries:
        client.get(urls[0], **headers)
    return summarise(timings, len(queries.captured_queries))


def measure_matching(incidents, runs):
    timings = []
    for i in range(runs):
        started = time.perf_counter()
        matching_known_errors(incidents[i % len(incidents)], limit=5)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        matching_known_errors(incidents[0], limit=5)
    return summarise(timings, len(queries.captured_queries))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    settings.DEBUG = False

    agent = User.objects.get(username="agent")
    _, key = ApiToken.issue(agent, name="bench")
    api_headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    numbers = list(Problem.objects.order_by("?").values_list("number", flat=True)[:20])
    incidents = list(Incident.objects.exclude(configuration_item=None).order_by("?")[:20]) \
        or list(Incident.objects.order_by("?")[:20])

    web = Client()
    web.force_login(agent)
    api = Client()

    scenarios = {
        "desk list (25 rows)": (web, ["/problems/"], None),
        "desk list filtered (state, known error)": (web, ["/problems/?state=known_error&known_error=true",
                                                          "/problems/?state=new&state=investigation"], None),
        "desk list search": (web, [f"/problems/?search={t}" for t in SEARCH_TERMS], None),
        "desk record page": (web, [f"/problems/{Problem.objects.get(number=n).pk}/" for n in numbers[:10]], None),
        "known-error database search": (web, [f"/problems/known-errors/?q={t}" for t in SEARCH_TERMS], None),
        "known-error suggestions fragment": (
            web, [f"/problems/known-errors/suggest/{i.pk}/" for i in incidents], {"HTTP_HX_REQUEST": "true"}),
        "API list (100 rows)": (api, ["/api/v1/problems/?page_size=100"], api_headers),
        "API detail by number": (api, [f"/api/v1/problems/{n}/" for n in numbers], api_headers),
        "API known-error search": (api, [f"/api/v1/problems/known-errors/?search={t}" for t in SEARCH_TERMS],
                                   api_headers),
    }
    total = Problem.objects.count()
    known = Problem.objects.known_errors().count()
    print(f"{total} problems, {known} published known errors, {Incident.objects.count()} incidents, "
          f"{args.runs} runs per scenario")
    print(f"{'scenario':45} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    for name, (client, urls, headers) in scenarios.items():
        result = measure(client, urls, args.runs, headers)
        print(f"{name:45} {result['p50']:8.1f} {result['p95']:8.1f} {result['max']:8.1f} {result['queries']:8d}")
    result = measure_matching(incidents, args.runs)
    print(f"{'matching_known_errors(incident) direct':45} {result['p50']:8.1f} {result['p95']:8.1f} "
          f"{result['max']:8.1f} {result['queries']:8d}")


if __name__ == "__main__":
    main()
