"""CMDB benchmark: impact analysis on a 100,000-CI / 300,000-relationship estate in PostgreSQL.

    .venv/bin/python bench/cmdb.py [--cis 100000] [--relationships 300000] [--samples 500]

Seeds `manage.py seed_demo --only cmdb` into DATABASE_URL (default: a PostgreSQL database
named itsm_bench_cmdb, created if missing), then measures
  * depth-5 downstream impact (the recursive CTE, and the CTE plus loading the CIs) over
    random CIs: p50 / p95 / max;
  * the query count (and time) of the agent CI list page for 10 and 100 rows.
Figures are recorded in bench/cmdb.md.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itsm_bench_cmdb"


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cis", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=300_000)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--depth", type=int, default=5)
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")
    ensure_database(url)
    env = {**os.environ, "DATABASE_URL": url}
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    started = time.perf_counter()
    subprocess.run([python, "manage.py", "seed_demo", "--only", "cmdb", "--cis", str(args.cis),
                    "--relationships", str(args.relationships)], cwd=ROOT, env=env, check=True)
    seed_seconds = time.perf_counter() - started

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from accounts.roles import Role
    from accounts.services import upsert_user
    from cmdb import graph
    from cmdb.models import ConfigurationItem, Relationship

    with connection.cursor() as cursor:
        # What autovacuum would have done by now on a live system: statistics and visibility map.
        cursor.execute("VACUUM ANALYZE cmdb_configurationitem")
        cursor.execute("VACUUM ANALYZE cmdb_relationship")
    cis, rels = ConfigurationItem.objects.count(), Relationship.objects.count()
    ids = list(ConfigurationItem.objects.values_list("pk", flat=True))
    rng = random.Random(7)
    sample = rng.sample(ids, min(args.samples, len(ids)))

    for ci_id in sample[:20]:  # warm the cache the way a running server would be
        graph.impact_distances([ci_id], "downstream", args.depth)
    cte_ms, full_ms, sizes = [], [], []
    for ci_id in sample:
        t0 = time.perf_counter()
        distances = graph.impact_distances([ci_id], "downstream", args.depth)
        t1 = time.perf_counter()
        graph.impact_of([ci_id], "downstream", args.depth)
        t2 = time.perf_counter()
        cte_ms.append((t1 - t0) * 1000)
        full_ms.append((t2 - t1) * 1000)
        sizes.append(len(distances))
    set_ms = []
    for offset in range(0, 100, 10):
        t0 = time.perf_counter()
        graph.impact_distances(sample[offset:offset + 10], "downstream", args.depth)
        set_ms.append((time.perf_counter() - t0) * 1000)

    # Business services behind a change-sized set of CIs (what the changes app stamps), and the
    # network devices, whose downstream is the widest since servers depend on their switches.
    services_ms, services_found = [], []
    for offset in range(0, 250, 50):
        t0 = time.perf_counter()
        services_found.append(len(graph.business_services_impacted(sample[offset:offset + 50])))
        services_ms.append((time.perf_counter() - t0) * 1000)
    devices = list(ConfigurationItem.objects.filter(ci_class__slug="network_device").values_list("pk", flat=True))
    widest = max(devices, key=lambda pk: len(graph.impact_distances([pk], "downstream", args.depth)))
    deep = {}
    for depth in (5, 10, 20):
        t0 = time.perf_counter()
        reached = len(graph.impact_distances([widest], "downstream", depth))
        deep[depth] = (reached, (time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    widest_services = len(graph.business_services_impacted([widest]))
    widest_services_ms = (time.perf_counter() - t0) * 1000

    agent = upsert_user("bench-agent", role=Role.AGENT, email="bench@example.com", password="bench-pass-2026")
    client = Client()
    client.force_login(agent)
    counts = {}
    with override_settings(ALLOWED_HOSTS=["*"]):
        client.get("/cmdb/?page_size=10")
        for size in (10, 100):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(f"/cmdb/?page_size={size}")
                elapsed = (time.perf_counter() - t0) * 1000
            assert response.status_code == 200, response.status_code
            counts[size] = (len(ctx.captured_queries), elapsed)

    print(f"estate: {cis} CIs, {rels} relationships; seed {seed_seconds:.1f} s")
    print(f"downstream depth {args.depth}, {len(sample)} random CIs, reached CIs: mean {statistics.mean(sizes):.1f}, "
          f"max {max(sizes)}")
    for label, values in (("CTE only", cte_ms), ("CTE + load CIs", full_ms), ("set of 10 CIs", set_ms)):
        print(f"  {label:15s} p50 {percentile(values, .5):6.2f} ms  p95 {percentile(values, .95):6.2f} ms  "
              f"max {max(values):6.2f} ms")
    print(f"business_services_impacted, 50 random CIs (5 sets): p50 {statistics.median(services_ms):.1f} ms, "
          f"max {max(services_ms):.1f} ms; services found median {statistics.median(services_found):.0f}")
    for depth, (reached, elapsed) in deep.items():
        print(f"widest network device ({len(devices)} devices), depth {depth:2d}: {reached} CIs, {elapsed:.1f} ms")
    print(f"widest network device, business services: {widest_services} in {widest_services_ms:.1f} ms")
    for size, (queries, elapsed) in counts.items():
        print(f"CI list page, {size:3d} rows: {queries} queries, {elapsed:.0f} ms")


if __name__ == "__main__":
    main()
