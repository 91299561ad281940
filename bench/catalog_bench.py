"""Service catalog and request fulfilment latency (issue 13), in-process with Django's test Client.

Targets at 1,000 catalog items, 200,000 requests and 600,000 tasks:
- the portal catalog page and item search p95 < 100 ms;
- submitting a request (validation, approval plan, tasks) p95 < 150 ms;
- the agents' task queue p95 < 100 ms with a constant number of queries.

Usage (after seeding, see bench/README.md, "Issue 13"):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_h13bench \\
        .venv/bin/python bench/catalog_bench.py [--runs 60] [--keep]

Every page and API scenario is probed first and reported as "not available" when its URL answers
404 (the portal and desk pages land separately; --portal-catalog, --portal-search, --task-queue
and --task-queue-api name other URLs). The service scenarios (fulfilment.services.submit_request)
and the query-level stand-ins always run. Submissions are rolled back unless --keep, so the data
stays at its seeded size. DEBUG stays off; queries are counted with CaptureQueriesContext.
"""

import argparse
import json
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import ApiToken, User  # noqa: E402
from catalog import demo as catalog_demo  # noqa: E402
from catalog import selectors  # noqa: E402
from catalog.models import CatalogItem, Category  # noqa: E402
from fulfilment import services  # noqa: E402
from fulfilment import inbox  # noqa: E402
from fulfilment.choices import LIVE_TASK_STATES, OPEN_TASK_STATES  # noqa: E402
from fulfilment.filtersets import QUEUE_COUNT_CAP  # noqa: E402
from fulfilment.models import Request, RequestItem, Task  # noqa: E402

SEARCH_TERMS = ["노트북", "VPN", "계정", "monitor", "방화벽", "메일", "access card", "소프트웨어 설치", "Wi-Fi", "출입"]


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class Rollback(Exception):
    pass


def timed(call, runs, *, rollback):
    """p50/p95/max of `call(i)`, and the queries of one more call."""
    def once(i):
        if not rollback:
            return call(i)
        try:
            with transaction.atomic():
                result = call(i)
                raise Rollback
        except Rollback:
            return result

    for i in range(3):  # warm up connections, caches, plans
        once(i)
    timings, cpu = [], []
    for i in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        once(i)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        once(runs)
    return {"p50": statistics.median(timings), "p95": percentile(timings, 95), "max": max(timings),
            "queries": len(queries.captured_queries),
            "sql": sum(float(q["time"]) for q in queries.captured_queries) * 1000, "cpu": statistics.median(cpu)}


def get(client, urls, headers=None):
    headers = headers or {}

    def call(i):
        url = urls[i % len(urls)]
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return response
    return call


def available(client, url, headers=None):
    """(answers 200, what it answered): a page that fails is reported, not measured."""
    try:
        status = client.get(url, **(headers or {})).status_code
    except Exception as exc:  # noqa: BLE001 (a page that raises is a finding, not the end of the run)
        return False, f"error {type(exc).__name__}: {str(exc)[:80]}"
    return status == 200, f"HTTP {status}"


class World:
    def __init__(self):
        self.requester = User.objects.filter(username="enduser").first() or User.objects.filter(
            groups__name="end_user", manager__isnull=False).first()
        self.agent = User.objects.get(username="agent")
        self.specs = catalog_demo.specs_by_name()
        self.items = {}
        for name in ("Monitor", "New laptop", "New desktop PC", "VPN access", "Keyboard, mouse or headset"):
            item = (CatalogItem.objects.orderable_by(self.requester).filter(name__startswith=f"{name} (").first()
                    or CatalogItem.objects.get(name=name))
            self.items[name] = item
        from core import pickers

        self.people = list(pickers.get("person").options(self.requester).values_list("pk", flat=True)[:20])
        self.cis = list(pickers.get("ci").options(self.requester).values_list("pk", flat=True)[:20])
        import random

        self.rng = random.Random(13)

    def line(self, name):
        answers = catalog_demo.sample_answers(self.specs[name], self.rng, users=self.people, cis=self.cis,
                                              today=timezone.localdate())
        return services.OrderLine(catalog_item=self.items[name], answers=answers, quantity=1)


def service_scenarios(world, rollback):
    def submit(names):
        return lambda i: services.submit_request(world.requester, lines=[world.line(n) for n in names])

    def catalog_home(i):
        # What a catalog home reads: the categories with their orderable item counts, the popular items.
        orderable = CatalogItem.objects.orderable_by(world.requester)
        categories = list(Category.objects.active().filter(parent=None).order_by("order"))
        popular = list(orderable.select_related("category").order_by("-times_ordered")[:8])
        return categories, popular

    def item_search(i):
        # catalog.selectors.search_items: what the portal's search and the API's ?search= call.
        return list(selectors.search_items(world.requester, SEARCH_TERMS[i % len(SEARCH_TERMS)])[:20])

    teams = list(world.agent.teams.values_list("pk", flat=True)) if hasattr(world.agent, "teams") else []
    if not teams:
        from accounts.models import Team

        teams = list(Team.objects.filter(members=world.agent).values_list("pk", flat=True))

    def task_queue(i):
        # What the desk's "my groups" tab reads (fulfilment.views.TaskListView): a count capped at
        # 1,000, the page's ids from the partial index, then its 25 rows.
        queue = Task.objects.filter(assignment_group__in=teams, state__in=sorted(LIVE_TASK_STATES))
        count = min(queue.order_by()[:QUEUE_COUNT_CAP + 1].count(), QUEUE_COUNT_CAP)
        ids = list(queue.order_by("created_at", "id").values_list("pk", flat=True)[:25])
        rows = (Task.objects.filter(pk__in=ids)
                .select_related("request", "request_item__catalog_item", "assignment_group", "assigned_to"))
        return count, list(rows)

    def approvals_inbox(i):
        return inbox.pending(world.agent)

    return {
        "submit_request: 1 item, no approval (1 task opened)": (submit(["Monitor"]), True),
        "submit_request: 1 item, line manager approval (plan snapshot)": (submit(["New laptop"]), True),
        "submit_request: cart of 3 (approvals + tasks)": (
            submit(["Keyboard, mouse or headset", "VPN access", "New desktop PC"]), True),
        "query level: catalog home (categories, 8 popular orderable items)": (catalog_home, False),
        "catalog.selectors.search_items: orderable matches, 20 rows": (item_search, False),
        "query level: task queue, my groups' unfinished tasks, capped count + 25 ids + rows": (task_queue, False),
        "fulfilment.inbox.pending (the agent's requests awaiting decision: the inbox page and its tab)": (
            approvals_inbox, False),
        "fulfilment.inbox.count (the navigation's badge on every desk page, the tab's count)": (
            lambda i: inbox.count(world.agent), False),
    }


def http_scenarios(args, world):
    portal, desk, api_user, api_agent = Client(), Client(), Client(), Client()
    portal.force_login(world.requester)
    desk.force_login(world.agent)
    user_headers = {"HTTP_AUTHORIZATION": f"Token {ApiToken.issue(world.requester, name='bench')[1]}"}
    agent_headers = {"HTTP_AUTHORIZATION": f"Token {ApiToken.issue(world.agent, name='bench')[1]}"}
    groups = list(world.agent.teams.values_list("pk", flat=True)) if hasattr(world.agent, "teams") else []
    searches = [args.portal_search.format(q=term) for term in SEARCH_TERMS]
    gets = {
        "portal catalog page": (portal, [args.portal_catalog], None),
        "portal item search": (portal, searches, None),
        "desk task queue (my groups)": (desk, [args.task_queue], None),
        # The same page over other row counts: its query count must not move.
        "desk task queue (all open)": (desk, [args.task_queue.replace("my_groups", "open")], None),
        "desk task queue (mine)": (desk, [args.task_queue.replace("my_groups", "mine")], None),
        "desk task queue (unassigned)": (desk, [args.task_queue.replace("my_groups", "unassigned")], None),
        # The requests waiting for the agent's decision (the approvals inbox's request source).
        "desk task queue (awaiting my approval)": (
            desk, [args.task_queue.replace("my_groups", "awaiting_approval")], None),
        "API catalog/items/?search=": (api_user, [f"/api/v1/catalog/items/?search={t}" for t in SEARCH_TERMS],
                                       user_headers),
        "API tasks/ open, one group, 25 rows": (
            api_agent, [args.task_queue_api.format(group=g) for g in groups or [1]], agent_headers),
        "API tasks/ default list (newest first), 25 rows": (api_agent, ["/api/v1/tasks/?page_size=25"],
                                                           agent_headers),
        "API tasks/ one group, any state": (
            api_agent, [f"/api/v1/tasks/?assignment_group={g}&page_size=25" for g in groups or [1]], agent_headers),
        "API tasks/ assigned to the agent, in progress": (
            api_agent, [f"/api/v1/tasks/?assigned_to={world.agent.pk}&state=in_progress&page_size=25"],
            agent_headers),
    }
    result = {}
    for name, (client, urls, headers) in gets.items():
        ok, status = available(client, urls[0], headers)
        result[name] = (get(client, urls, headers), False) if ok else status
    item = world.items["New laptop"]

    def post_request(i):
        line = world.line("New laptop")
        response = api_user.post("/api/v1/requests/", data=json.dumps(
            {"catalog_item": item.pk, "answers": line.answers, "quantity": 1}), content_type="application/json",
            **user_headers)
        assert response.status_code == 201, (response.status_code, response.content[:300])
        return response
    with transaction.atomic():
        try:
            probe = f"HTTP {api_user.post('/api/v1/requests/', data=json.dumps({'catalog_item': item.pk, 'answers': world.line('New laptop').answers}), content_type='application/json', **user_headers).status_code}"  # noqa: E501
        except Exception as exc:  # noqa: BLE001
            probe = f"error {type(exc).__name__}: {str(exc)[:80]}"
        transaction.set_rollback(True)
    result["API POST requests/ (1 item, line manager)"] = (post_request, True) if probe == "HTTP 201" else probe
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="commit the submitted requests (default: roll back)")
    parser.add_argument("--portal-catalog", default="/portal/catalog/")
    parser.add_argument("--portal-search", default="/portal/catalog/search/?q={q}")
    parser.add_argument("--task-queue", default="/requests/tasks/?queue=my_groups")
    parser.add_argument("--task-queue-api", default="/api/v1/tasks/?state=open&assignment_group={group}&page_size=25")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    import logging

    logging.disable(logging.INFO)  # the request log's line per request would bury the table
    setup_test_environment()
    settings.DEBUG = False

    world = World()
    print(f"{CatalogItem.objects.count():,} catalog items, {Request.objects.count():,} requests, "
          f"{RequestItem.objects.count():,} requested items, {Task.objects.count():,} tasks "
          f"({Task.objects.filter(state__in=sorted(OPEN_TASK_STATES)).count():,} open); {args.runs} runs per "
          f"scenario; {os.cpu_count()} CPUs, load average before {os.getloadavg()[0]:.1f}")
    print("| scenario | p50 ms | p95 ms | max ms | queries | SQL ms | Python CPU ms (median) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    scenarios = {**http_scenarios(args, world), **service_scenarios(world, not args.keep)}
    for name, entry in scenarios.items():
        if not isinstance(entry, tuple):
            print(f"| {name} | not measured ({entry}) | | | | | |")
            continue
        call, writes = entry
        result = timed(call, args.runs, rollback=writes and not args.keep)
        print(f"| {name} | {result['p50']:.1f} | {result['p95']:.1f} | {result['max']:.1f} | {result['queries']} "
              f"| {result['sql']:.1f} | {result['cpu']:.1f} |")
    print(f"load average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
