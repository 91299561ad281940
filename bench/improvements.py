"""Improvement register latency (issue 16, item 3), in-process.

Inserts N items (default 50,000: far more than a register ever holds) spread over twelve months,
twenty organisations and every state and source type, then measures:
- improvements.selectors.improvement_summary (what dashboards and monthly reports call), for the
  whole register and for one organisation, with its query count;
- the desk list /improvements/ (filtered and not) and GET /api/v1/improvements/ as an agent.
Everything runs in a transaction rolled back at the end (nothing stays).

Usage (on a migrated database of its own):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_h16imp_bench \\
        .venv/bin/python bench/improvements.py [--items 50000] [--runs 40]
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Organisation  # noqa: E402
from accounts.roles import Role  # noqa: E402
from accounts.services import upsert_user  # noqa: E402
from core.models import NumberSequence  # noqa: E402
from improvements import scoring  # noqa: E402
from improvements.choices import ImprovementState, SourceType  # noqa: E402
from improvements.models import Improvement  # noqa: E402
from improvements.selectors import improvement_summary  # noqa: E402


class Rollback(Exception):
    pass


def timed(func, runs):
    samples, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            func()
            samples.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], queries


def seed(count, rng):
    now = timezone.now()
    organisations = [Organisation.objects.get_or_create(code=f"BENCH{n:02d}", defaults={"name": f"Bench org {n}"})[0]
                     for n in range(20)]
    owner = upsert_user("bench-imp-agent", role=Role.AGENT, email="bench-imp@example.com", password="x")
    first = NumberSequence.allocate("IMP", count)
    states, sources = ImprovementState.values, SourceType.values
    rows = []
    for n in range(count):
        created = now - timedelta(days=rng.randrange(365), minutes=rng.randrange(1440))
        scores = (rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5))
        state = rng.choice(states)
        closed = state in {"closed_effective", "closed_ineffective", "rejected", "cancelled"}
        rows.append(Improvement(
            number=NumberSequence.format("IMP", first + n), title=f"Bench improvement {n}", state=state,
            source_type=rng.choice(sources), organisation=rng.choice(organisations), owner=owner,
            benefit=scores[0], effort=scores[1], risk=scores[2], priority=scoring.priority(*scores),
            due_date=(created + timedelta(days=45)).date(), created_at=created, updated_at=created,
            closed_at=created + timedelta(days=30) if closed else None,
            result_value=1 if state == "closed_effective" else None,
            result_date=(created + timedelta(days=30)).date() if state == "closed_effective" else None,
            verified_by=owner if state == "closed_effective" else None))
    Improvement.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE improvements_improvement")
    return owner, organisations


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    setup_test_environment()
    rng = random.Random(16)
    try:
        with transaction.atomic():
            started = time.perf_counter()
            owner, organisations = seed(args.items, rng)
            print(f"seeded {args.items} items in {time.perf_counter() - started:.1f} s")
            now = timezone.now()
            start, end = (now - timedelta(days=30)).replace(day=1), now
            client = Client()
            client.force_login(owner)
            client.get("/improvements/")  # warm caches
            scenarios = {
                "improvement_summary (whole register)": lambda: improvement_summary(start=start, end=end),
                "improvement_summary (one organisation)":
                    lambda: improvement_summary(start=start, end=end, organisation=organisations[3]),
                "GET /improvements/": lambda: client.get("/improvements/"),
                "GET /improvements/?source_type=complaint&state=proposed":
                    lambda: client.get("/improvements/?source_type=complaint&state=proposed"),
                "GET /api/v1/improvements/": lambda: client.get("/api/v1/improvements/"),
                "GET /api/v1/improvements/?owner=&state=in_progress":
                    lambda: client.get(f"/api/v1/improvements/?owner={owner.pk}&state=in_progress"),
            }
            print("| scenario | p50 | p95 | queries |\n| --- | --- | --- | --- |")
            for name, func in scenarios.items():
                p50, p95, queries = timed(func, args.runs)
                print(f"| {name} | {p50:.1f} ms | {p95:.1f} ms | {queries} |")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
