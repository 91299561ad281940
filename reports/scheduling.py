"""Which monthly reports are due: per organisation, the month just ended in its time zone."""

from __future__ import annotations

import logging

from django.utils import timezone

from accounts.models import Organisation
from core.choices import Channel
from core.exceptions import DomainError
from reports import rules, services
from reports.choices import ReportKind
from reports.models import ServiceReport

log = logging.getLogger(__name__)


def generate_due(now=None) -> list[int]:
    """Generate the all-services report of every organisation whose previous month (in its own
    zone) has no report yet; ids of the reports made. Safe to run twice: an existing report,
    draft or published, is left as it is (a draft is regenerated only on demand)."""
    now = now or timezone.now()
    made = []
    for organisation in Organisation.objects.order_by("pk"):
        month = rules.previous_month(now, organisation.time_zone)
        exists = ServiceReport.objects.filter(kind=ReportKind.MONTHLY, period_start=month,
                                              organisation=organisation, service=None).exists()
        if exists:
            continue
        try:
            made.append(services.generate(organisation=organisation, month=month, actor=None,
                                          channel=Channel.SYSTEM, now=now).pk)
        except DomainError as refusal:  # a concurrent run made it first
            log.info("report for %s %s not generated: %s", organisation.code, month, refusal)
    return made
