"""Change benchmark: schedule-conflict detection for a change touching 50 CIs, with 10,000
scheduled changes on the benchmark CMDB (100,000 CIs / 300,000 relationships), PostgreSQL.

    .venv/bin/python bench/changes.py [--skip-seed] [--runs 25]

Seeds `manage.py seed_demo --only cmdb changes --cis 100000 --relationships 300000
--changes 10000` into DATABASE_URL (default: a PostgreSQL database named itsm_bench_chg,
created if missing), tops the calendar up to 10,000 changes holding a slot (scheduled or
implementing), runs ANALYZE, then measures for changes touching 50 random CIs:
  * conflict detection proper (`changes.conflicts.detect`: the other-changes query and the
    freeze query) with the change's downstream business services already stamped, as they
    are once its risk has been assessed / when it is re-checked: p50 / p95 / max;
  * the same over a 7-day window (hundreds of overlapping candidates);
  * the downstream-impact walk (`downstream_impact`, one recursive query) that stamps them,
    walk + detection together (what scheduling or "Re-check conflicts" runs), and the CMDB's
    own `business_services_impacted` on the same 50 CIs;
  * query counts.
Figures are recorded in bench/changes.md.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itsm_bench_chg"
TARGET_ACTIVE = 10_000


def stats(samples):
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return f"p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms, max {samples[-1]:.1f} ms"


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/4")
    ensure_database(url)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    if not args.skip_seed:
        started = time.perf_counter()
        subprocess.run([python, "manage.py", "seed_demo", "--only", "cmdb", "changes", "--cis", "100000",
                        "--relationships", "300000", "--changes", "10000"], cwd=ROOT, check=True)
        print(f"seed: {time.perf_counter() - started:.0f} s")

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from changes import conflicts
    from changes.choices import ACTIVE_WINDOW_STATES
    from changes.demo import bulk_create_changes
    from changes.models import Change
    from cmdb.models import ConfigurationItem, Relationship

    rng = random.Random(20261122)
    now = timezone.now()
    active = Change.objects.filter(state__in=ACTIVE_WINDOW_STATES).count()
    if active < TARGET_ACTIVE:
        requesters = list(User.objects.values_list("pk", flat=True)[:20])
        pool = list(ConfigurationItem.objects.order_by("?").values_list("pk", flat=True)[:300])
        while active < TARGET_ACTIVE:
            bulk_create_changes(TARGET_ACTIVE - active, rng=rng, now=now, requester_ids=requesters, ci_pool=pool,
                                scheduled_share=0.97)
            active = Change.objects.filter(state__in=ACTIVE_WINDOW_STATES).count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"CIs {ConfigurationItem.objects.count()}, relationships {Relationship.objects.count()}, "
          f"changes {Change.objects.count()} ({active} scheduled or implementing)")

    ci_ids = list(ConfigurationItem.objects.values_list("pk", flat=True))
    # A change touching 50 random CIs, in a busy part of the calendar (30 days out, 4 hours).
    cases = []
    for _ in range(args.runs):
        cis = rng.sample(ci_ids, 50)
        start = now + timedelta(days=rng.randint(5, 120), hours=rng.randint(0, 23))
        cases.append((cis, start))

    from cmdb.graph import business_services_impacted

    walk_ms, detect_ms, wide_ms, found, wide_found, impact_sizes = [], [], [], [], [], []
    total_ms, graph_ms = [], []
    for index, (cis, start) in enumerate(cases):
        elapsed, impact = timed(lambda: conflicts.downstream_impact(cis))
        walk_ms.append(elapsed)
        impact_sizes.append((impact.ci_count, len(impact.services)))
        end = start + timedelta(hours=4)
        conflicts.detect(change_id=0, ci_ids=cis, services=impact.services, start=start, end=end)  # warm
        elapsed, result = timed(lambda: conflicts.detect(change_id=0, ci_ids=cis, services=impact.services,
                                                         start=start, end=end))
        detect_ms.append(elapsed)
        found.append(len(result))
        elapsed, result = timed(lambda: conflicts.detect(change_id=0, ci_ids=cis, services=impact.services,
                                                         start=start, end=start + timedelta(days=7)))
        wide_ms.append(elapsed)
        wide_found.append(len(result))
        # What scheduling / "Re-check conflicts" does: the services walk, then detection.
        elapsed, result = timed(lambda: conflicts.detect(change_id=0, ci_ids=cis,
                                                         services=conflicts.downstream_impact(cis).services,
                                                         start=start, end=end))
        total_ms.append(elapsed)
        graph_ms.append(timed(lambda: business_services_impacted(cis))[0])
    with CaptureQueriesContext(connection) as ctx:
        cis, start = cases[0]
        conflicts.detect(change_id=0, ci_ids=cis, services=impact_sizes and conflicts.downstream_impact(cis).services,
                         start=start, end=start + timedelta(hours=4))
    small = [rng.sample(ci_ids, 1) for _ in range(args.runs)]
    small_ms = [timed(lambda c=c: conflicts.downstream_impact(c))[0] for c in small]

    print(f"conflict detection, 50 CIs, 4-hour window: {stats(detect_ms)}; "
          f"conflicts found median {statistics.median(found):.0f} (max {max(found)})")
    print(f"conflict detection, 50 CIs, 7-day window:  {stats(wide_ms)}; "
          f"conflicts found median {statistics.median(wide_found):.0f} (max {max(wide_found)})")
    print(f"queries for one detection (impact walk + changes + freezes): {len(ctx.captured_queries)}")
    print(f"downstream impact walk, 50 CIs:  {stats(walk_ms)}; downstream CIs median "
          f"{statistics.median(s for s, _ in impact_sizes):.0f}, services median "
          f"{statistics.median(n for _, n in impact_sizes):.0f}")
    print(f"downstream impact walk, 1 CI:    {stats(small_ms)}")
    print(f"services walk + detection, 50 CIs, 4-hour window: {stats(total_ms)}")
    print(f"cmdb.graph.business_services_impacted, 50 CIs: {stats(graph_ms)}")


if __name__ == "__main__":
    main()
