"""Shared ticket machinery and the foundation API, measured on PostgreSQL.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_bench_core \\
        .venv/bin/python bench/core.py [--tickets 2000] [--threads 8]

Uses itsm.settings_test (for the test-only ticket type in tests/ticketapp), migrates the
database named by DATABASE_URL (created if missing), and prints:
  - create_ticket throughput, serial and from N threads (numbering under contention);
  - update_ticket and add_comment latency (p50/p95);
  - timeline() time and query count for a ticket with 500 activity entries;
  - /api/v1/users/me/ and /api/v1/groups/?page_size=200 latency and query counts.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings_test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itsm_bench_core")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def ensure_database():
    import psycopg2

    db = connection.settings_dict
    admin = psycopg2.connect(dbname="postgres", user=db["USER"], password=db["PASSWORD"] or None,
                             host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    admin.close()
    call_command("migrate", verbosity=0)


def percentiles(samples):
    samples = sorted(samples)
    return (statistics.median(samples) * 1000, samples[int(len(samples) * 0.95) - 1] * 1000, samples[-1] * 1000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    ensure_database()

    from rest_framework.test import APIClient

    from accounts.models import ApiToken, Team
    from accounts.roles import Role
    from accounts.services import upsert_user
    from core.choices import Channel
    from core.selectors import timeline
    from core.services import add_comment, create_ticket, update_ticket
    from tests.ticketapp.models import CaseTicket

    agent = upsert_user("bench.agent", role=Role.AGENT, teams=["Bench Team"])
    requester = upsert_user("bench.user", role=Role.END_USER)
    print(f"database: {connection.settings_dict['NAME']} on PostgreSQL {connection.pg_version}")

    # 1. creation, serial
    started = time.perf_counter()
    for index in range(args.tickets):
        create_ticket(CaseTicket, actor=agent, channel=Channel.API, title=f"serial {index}", requester=requester)
    serial = time.perf_counter() - started
    print(f"create_ticket serial: {args.tickets} in {serial:.2f}s = {args.tickets / serial:.0f}/s")

    # 2. creation from threads (each its own connection): the sequence row serialises them
    per_thread = args.tickets // args.threads
    before = CaseTicket.objects.count()

    def worker():
        for index in range(per_thread):
            create_ticket(CaseTicket, actor=agent, channel=Channel.API, title=f"thread {index}")
        connections.close_all()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(args.threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    parallel = time.perf_counter() - started
    created = CaseTicket.objects.count() - before
    numbers = sorted(int(n[3:]) for n in CaseTicket.objects.values_list("number", flat=True))
    gapless = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    print(f"create_ticket {args.threads} threads: {created} in {parallel:.2f}s = {created / parallel:.0f}/s; "
          f"numbers unique and gapless: {gapless and len(set(numbers)) == len(numbers)}")

    # 3. update and comment latency
    ticket = CaseTicket.objects.order_by("-id").first()
    connection.queries_log.clear()
    samples = []
    for index in range(200):
        started = time.perf_counter()
        ticket, _diff = update_ticket(ticket, actor=agent, channel=Channel.WEB, expected_version=ticket.version,
                                      changes={"title": f"update {index}"})
        samples.append(time.perf_counter() - started)
    print("update_ticket p50 %.1f ms, p95 %.1f ms, max %.1f ms" % percentiles(samples))
    samples = []
    for index in range(300):
        started = time.perf_counter()
        add_comment(ticket, actor=agent, channel=Channel.WEB, body=f"note {index}", internal=index % 3 == 0)
        samples.append(time.perf_counter() - started)
    print("add_comment p50 %.1f ms, p95 %.1f ms, max %.1f ms" % percentiles(samples))

    # 4. timeline of a busy ticket (200 updates + 300 comments)
    samples = []
    for _ in range(20):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            items = timeline(ticket, include_internal=True)
            samples.append(time.perf_counter() - started)
    print(f"timeline ({len(items)} items, {len(queries)} queries) p50 %.1f ms, p95 %.1f ms, max %.1f ms"
          % percentiles(samples))

    # 5. foundation API
    Team.objects.bulk_create([Team(name=f"Bench team {index:03d}", manager=agent) for index in range(200)],
                             ignore_conflicts=True)
    for team in Team.objects.filter(name__startswith="Bench team"):
        team.members.add(agent, requester)
    _token, key = ApiToken.issue(agent, name="bench")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    for path in ("/api/v1/users/me/", "/api/v1/groups/?page_size=200"):
        client.get(path)
        samples = []
        for _ in range(50):
            started = time.perf_counter()
            response = client.get(path)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(f"GET {path} ({len(queries)} queries) p50 %.1f ms, p95 %.1f ms, max %.1f ms" % percentiles(samples))


if __name__ == "__main__":
    main()
