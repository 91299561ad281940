"""Dashboard latency at the issue-16 size (1,000,000 incidents, 200,000 requests), in-process with
Django's test Client, and the time the manager figures take to refresh.

Usage (after seeding, see bench/README.md "Issue 16: dashboards"):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_h16dash_big \
        .venv/bin/python bench/dashboards_bench.py [--runs 60] [--refreshes 3]

The manager dashboard reads the snapshot the Celery beat task writes (dashboards.tasks.refresh);
the script refreshes it first (timed) and then measures page views. The agent and lead
dashboards are live: measured for the busiest agent and the lead of the busiest group.
Prints p50/p95/max per dashboard and the SQL queries per request.
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

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from accounts import roles  # noqa: E402
from accounts.models import Team, User  # noqa: E402
from dashboards import manager  # noqa: E402
from fulfilment.models import Request  # noqa: E402
from incidents.choices import OPEN_STATES  # noqa: E402
from incidents.models import Incident  # noqa: E402


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(client, url, runs):
    assert client.get(url).status_code == 200, url  # warm: session, caches, plans
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return timings, len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--refreshes", type=int, default=3)
    parser.add_argument("--nav-runs", type=int, default=5,
                        help="page views with the desk menu's approvals badge counted (its own cost, see README)")
    args = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]

    incidents, requests = Incident.objects.count(), Request.objects.count()
    print(f"size: {incidents:,} incidents, {requests:,} requests")

    refreshes = []
    for _ in range(args.refreshes):
        snapshot = manager.refresh()
        refreshes.append(snapshot.duration_ms)
    print(f"manager refresh: {', '.join(f'{ms / 1000:.1f} s' for ms in refreshes)} "
          f"(median {statistics.median(refreshes) / 1000:.1f} s)")

    mgr = next(u for u in User.objects.filter(groups__name=roles.Role.MANAGER).order_by("pk"))
    busiest_agent = (Incident.objects.filter(state__in=OPEN_STATES, assigned_to__isnull=False).order_by()
                     .values("assigned_to").annotate(n=Count("pk")).order_by("-n").first())
    agent = User.objects.get(pk=busiest_agent["assigned_to"])
    busiest_team = (Incident.objects.filter(state__in=OPEN_STATES).order_by().values("assignment_group")
                    .annotate(n=Count("pk")).order_by("-n").first())
    team = Team.objects.get(pk=busiest_team["assignment_group"])
    lead = team.manager or mgr
    if team.manager is None:
        team.manager = lead
        team.save(update_fields=["manager"])
    print(f"agent {agent} ({busiest_agent['n']} open incidents), lead {lead} of {team} "
          f"({busiest_team['n']} open incidents)")

    pages = (("manager", mgr, "/dashboards/manager/"), ("lead", lead, "/dashboards/lead/"),
             ("agent", agent, "/dashboards/agent/"))
    # The desk menu's "My approvals" badge (core.approvals, on every desk page) asks each approval
    # source; at this size the requests' source alone takes seconds for a manager who is the
    # fallback approver of 18,000 requests. That is the menu's cost on every desk page, not the
    # dashboard's: measured separately, with the sources answering nothing for the main figures.
    from core import approvals

    sources = dict(approvals._sources)
    approvals._sources.clear()
    try:
        for label, user, url in pages:
            client = Client()
            client.force_login(user)
            timings, queries = measure(client, url, args.runs)
            print(f"{label:8} p50 {statistics.median(timings):6.1f} ms  p95 {percentile(timings, 95):6.1f} ms  "
                  f"max {max(timings):6.1f} ms  queries {queries}  (menu approvals badge not counted)")
    finally:
        approvals._sources.update(sources)
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        timings, queries = measure(client, url, args.nav_runs)
        print(f"{label:8} with the menu's approvals badge: p50 {statistics.median(timings):6.1f} ms  "
              f"max {max(timings):6.1f} ms  queries {queries}")


if __name__ == "__main__":
    main()
