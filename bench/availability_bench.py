"""Availability and public-sector SLA evaluation speed (issue 17).

Target: availability and the public-SLA evaluation for 500 services over a month with 100,000
incidents and 10,000 outages: < 2 s per month for all services.

Builds the data in one transaction (500 business services, 100,000 incidents and 10,000
outages in November 2026 KST, 20 non-overlapping outages per service, a third of them planned,
incidents spread over the services with 40 CIs and 8 categories so recurrences exist), measures
  - availability.selectors.availability_by_service for all 500 services (the month, one SQL),
  - publicsla.selectors.evaluate for a grade-1 contract covering all 500 services,
and rolls everything back (unless --keep).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_havaildev \\
        .venv/bin/python bench/availability_bench.py [--runs 20]
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from availability import rules, selectors  # noqa: E402
from availability.models import Outage  # noqa: E402
from cmdb.models import CIClass, ConfigurationItem  # noqa: E402
from cmdb.choices import BUSINESS_SERVICE_SLUG  # noqa: E402
from incidents.models import Category, Incident  # noqa: E402
from publicsla import selectors as psla_selectors  # noqa: E402
from publicsla import services as psla_services  # noqa: E402

MONTH = dt.date(2026, 11, 1)


class Rollback(Exception):
    pass


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))]


def build(n_services, n_incidents, n_outages):
    start, end = rules.month_bounds(MONTH)
    minutes = int((end - start).total_seconds() // 60)
    service_class, _ = CIClass.objects.get_or_create(slug=BUSINESS_SERVICE_SLUG,
                                                     defaults={"name": "Business service"})
    server_class, _ = CIClass.objects.get_or_create(slug="server", defaults={"name": "Server"})
    services = ConfigurationItem.objects.bulk_create(
        ConfigurationItem(name=f"bench-service-{i:04d}", ci_class=service_class) for i in range(n_services))
    cis = ConfigurationItem.objects.bulk_create(
        ConfigurationItem(name=f"bench-ci-{i:04d}", ci_class=server_class) for i in range(40))
    categories = [Category.objects.get_or_create(slug=f"bench-category-{i}", defaults={"name": f"bench {i}"})[0]
                  for i in range(8)]
    caller = User.objects.filter(is_active=True).order_by("pk").first()
    batch = []
    for i in range(n_incidents):
        batch.append(Incident(
            number=f"BNC{i:07d}", title="bench", caller=caller, state="resolved",
            service=services[i % n_services], configuration_item=cis[(i * 7) % 40],
            category=categories[i % 8], created_at=start + dt.timedelta(minutes=(i * 37) % minutes),
            resolved_at=start + dt.timedelta(minutes=(i * 37) % minutes + 90)))
        if len(batch) == 5000:
            Incident.objects.bulk_create(batch)
            batch = []
    Incident.objects.bulk_create(batch)
    per_service = n_outages // n_services
    slot = minutes // per_service
    outages = []
    for s_index, service in enumerate(services):
        for k in range(per_service):
            begin = start + dt.timedelta(minutes=k * slot + (s_index % 50))
            outages.append(Outage(service=service, start=begin, end=begin + dt.timedelta(minutes=15 + s_index % 60),
                                  planned=k % 3 == 0, source="manual"))
    Outage.objects.bulk_create(outages, batch_size=5000)
    return services


def measure(label, func, runs):
    timings = []
    with CaptureQueriesContext(connection) as queries:
        func()
    count = len(queries)
    for _ in range(runs):
        began = time.perf_counter()
        func()
        timings.append((time.perf_counter() - began) * 1000)
    print(f"| {label} | {statistics.median(timings):.0f} ms | {percentile(timings, 95):.0f} ms | {count} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--outages", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    try:
        with transaction.atomic():
            began = time.perf_counter()
            services = build(args.services, args.incidents, args.outages)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE availability_outage; ANALYZE incidents_incident;")
            print(f"built in {time.perf_counter() - began:.1f} s")
            manager = User.objects.filter(is_superuser=True).first() or User.objects.order_by("pk").first()
            from accounts import roles
            if not roles.is_manager(manager):
                manager = next(u for u in User.objects.all() if roles.is_manager(u))
            contract = psla_services.create_contract(actor=manager, channel="system", name="bench contract",
                                                     system_grade=1, monthly_amount=100_000_000, services=services)
            contract = psla_selectors.contracts_queryset().get(pk=contract.pk)
            ids = [s.pk for s in services]
            start, end = rules.month_bounds(MONTH)
            later = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)
            print("| measured | p50 | p95 | queries |\n| --- | --- | --- | --- |")
            measure(f"availability_by_service, {len(ids)} services, one month",
                    lambda: selectors.availability_by_service(start, end, ids, now=later), args.runs)
            measure(f"publicsla evaluate, one contract over {len(ids)} services",
                    lambda: psla_selectors.evaluate(contract, MONTH, now=later), args.runs)

            def both():
                selectors.availability_by_service(start, end, ids, now=later)
                psla_selectors.evaluate(contract, MONTH, now=later)

            measure("both together (the month for all services)", both, args.runs)
            sheet = psla_selectors.evaluate(contract, MONTH, now=later)
            print(f"check: availability {sheet['availability_percent']} %, {len(sheet['restore_delays'])} late, "
                  f"recurrence {next(i['value'] for i in sheet['indicators'] if i['kind'] == 'recurrence')} %")
            print(f"load average after: {os.getloadavg()}")
            if not args.keep:
                raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
