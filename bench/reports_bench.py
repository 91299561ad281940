"""Monthly service report benchmark: generating one report (< 10 s), and rendering its PDF and XLSX.

    DATABASE_URL=postgres://…/itsm_x .venv/bin/python bench/reports_bench.py [--clocks-per-incident 2] [--runs 3]

Run against a database seeded at a realistic size, e.g.
    manage.py seed_demo && manage.py seed_demo --only incidents --incidents 500000
Bulk-seeded incidents have no SLA clocks; the script gives every incident without one a met or
breached response and resolution clock (set-based, once) so the attainment and breach queries
read a realistic table. Then, for every organisation, it generates last month's report (a draft
regenerated in place; an approved one is regenerated in a rolled-back transaction) and renders
it as PDF (Korean) and XLSX. Figures go to bench/README.md ("Issue 16: monthly service reports").
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import ensure_database, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itsm_bench_reports"
DEFAULT_BROKER = "redis://127.0.0.1:6379/9"


def add_clocks():
    """One response and one resolution clock per incident that has none (about 1 in 8 breached)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from incidents.models import Incident
    from sla.models import SLADefinition

    definition = SLADefinition.objects.order_by("pk").first()
    content_type = ContentType.objects.get_for_model(Incident)
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")  # a one-off set-based insert of ~1M rows
        cursor.execute(
            """
            INSERT INTO sla_slaclock (content_type_id, object_id, definition_id, kind, state, priority,
                target_minutes, started_at, segment_started_at, due_at, stopped_at, breached_at,
                elapsed_business_seconds, warnings_sent, created_at)
            SELECT %(ct)s, i.id, %(definition)s, k.kind,
                   CASE WHEN i.id %% 8 = 0 THEN 'breached' ELSE 'met' END,
                   i.priority, k.minutes, i.created_at, i.created_at, i.created_at + k.minutes * interval '1 minute',
                   i.created_at + (k.minutes * CASE WHEN i.id %% 8 = 0 THEN 1.5 ELSE 0.5 END) * interval '1 minute',
                   CASE WHEN i.id %% 8 = 0 THEN i.created_at + k.minutes * interval '1 minute' END,
                   k.minutes * 60 * CASE WHEN i.id %% 8 = 0 THEN 1.5 ELSE 0.5 END, '[]'::jsonb, i.created_at
            FROM incidents_incident i
            CROSS JOIN (VALUES ('response', 60), ('resolution', 480)) AS k(kind, minutes)
            WHERE NOT EXISTS (SELECT 1 FROM sla_slaclock c WHERE c.content_type_id = %(ct)s AND c.object_id = i.id)
              AND i.created_at < now() - interval '1 day'
            """,
            {"ct": content_type.pk, "definition": definition.pk},
        )
        added = cursor.rowcount
        cursor.execute("ANALYZE sla_slaclock")
        cursor.execute("ANALYZE incidents_incident")
    return added, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-clocks", action="store_true")
    parser.add_argument("--cold", action="store_true",
                        help="without the earlier months' reports (the whole 12-month trend computed)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url, os.environ.get("CELERY_BROKER_URL", DEFAULT_BROKER))

    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Organisation
    from core.choices import Channel
    from incidents.models import Incident
    from reports import exports, rules, services
    from reports.choices import ReportState
    from reports.models import ServiceReport
    from sla.models import SLAClock

    if not args.no_clocks:
        added, seconds = add_clocks()
        print(f"clocks added: {added} in {seconds:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM incidents_incident")
        incidents = cursor.fetchone()[0]
    print(f"incidents: {incidents}, SLA clocks: {SLAClock.objects.count()}, organisations: "
          f"{Organisation.objects.count()}")

    class Rollback(Exception):
        pass

    timings, pdf_times, xlsx_times, sizes = [], [], [], []
    now = timezone.now()
    for organisation in Organisation.objects.order_by("pk"):
        month = rules.previous_month(now, organisation.time_zone)
        per_org = []
        for _run in range(args.runs):
            try:
                with transaction.atomic():
                    ServiceReport.objects.filter(period_start=month, organisation=organisation, service=None) \
                        .exclude(state=ReportState.DRAFT).update(state=ReportState.DRAFT)
                    if args.cold:
                        ServiceReport.objects.filter(organisation=organisation, period_start__lt=month).delete()
                    started = time.perf_counter()
                    report = services.generate(organisation=organisation, month=month, actor=None,
                                               channel=Channel.SYSTEM)
                    per_org.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    content, _t, _n = exports.render(report, "pdf", "ko")
                    pdf_times.append(time.perf_counter() - started)
                    sizes.append(len(content))
                    started = time.perf_counter()
                    exports.render(report, "xlsx", "ko")
                    xlsx_times.append(time.perf_counter() - started)
                    opened = report.snapshot["volumes"]["incidents"]["opened"]
                    raise Rollback
            except Rollback:
                pass
        timings += per_org
        print(f"{organisation.code:>14} {month:%Y-%m}: generate min {min(per_org):.2f} s, "
              f"max {max(per_org):.2f} s ({opened} incidents opened in the month)")
    print(f"generate one report: p50 {statistics.median(timings):.2f} s, max {max(timings):.2f} s "
          f"over {len(timings)} runs")
    print(f"PDF (ko): p50 {statistics.median(pdf_times) * 1000:.0f} ms, {statistics.median(sizes) // 1024} KiB; "
          f"XLSX: p50 {statistics.median(xlsx_times) * 1000:.0f} ms")
    if not args.cold:
        assert max(timings) < 10, "a report took 10 s or more"



if __name__ == "__main__":
    main()
