"""Demo service reports: the last 12 months of every demo organisation, generated from the demo's
tickets after the SLA sweep has settled their breaches (a finisher, so the breaches are in).
Older months approved and distributed by the demo manager, last month left as a draft for the
manager to approve. Labels render in Korean or English; the records' own names are the demo's.
Idempotent: an existing report is left as it is."""

from __future__ import annotations

import datetime as dt

from accounts.models import Organisation, User
from core.choices import Channel
from reports import rules, services
from reports.choices import ReportKind, ReportState
from reports.models import ServiceReport

MONTHS = 12


def seed(ctx):
    """Nothing yet: the reports need the SLA finisher's breaches (see finish)."""


def finish(ctx):
    manager = User.objects.filter(username="manager").first()
    made = 0
    for organisation in Organisation.objects.order_by("pk"):
        last = rules.previous_month(ctx.now, organisation.time_zone)
        for back in range(MONTHS - 1, -1, -1):
            month = _shift(last, -back)
            if ServiceReport.objects.filter(kind=ReportKind.MONTHLY, period_start=month,
                                            organisation=organisation, service=None).exists():
                continue
            generated_at = _at(rules.next_month(month), organisation.time_zone, hour=1)
            if back == 0:
                generated_at = min(generated_at, ctx.now)
            report = services.generate(organisation=organisation, month=month, actor=None, channel=Channel.SYSTEM,
                                       now=generated_at)
            made += 1
            if back == 0 or manager is None:
                continue
            services.approve(report, actor=manager, channel=Channel.SYSTEM,
                             now=generated_at + dt.timedelta(days=2))
            report.refresh_from_db()
            services.distribute(report, actor=manager, channel=Channel.SYSTEM,
                                recipients=[f"it-liaison@{organisation.code}.example.com", "manager@example.com"],
                                now=generated_at + dt.timedelta(days=3))
    ctx.log(f"  reports: {made} monthly service reports "
            f"({ServiceReport.objects.filter(state=ReportState.DISTRIBUTED).count()} distributed)")


def _shift(first_day, months):
    index = first_day.year * 12 + first_day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _at(day, time_zone, hour=0):
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(time_zone))
