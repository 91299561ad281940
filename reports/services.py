"""Use cases of service reports: generate (or regenerate a draft), approve, distribute.

Each takes the actor and the channel, runs in one transaction, writes the audit trail and
publishes an event (report.generated, report.approved, report.distributed); anything sent to
people hangs off those events in after-commit handlers, never here.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit, events
from core.choices import AuditAction
from core.exceptions import StaleVersion
from reports import rules, snapshot
from reports.choices import ReportKind, ReportState
from reports.models import ServiceReport


def generate(*, organisation, month, service=None, actor=None, channel, now=None):
    """The report of `organisation` (and `service`) for `month` (first day), frozen now.

    Refused (400, field "month") for a month that has not ended in the organisation's zone;
    refused (409) when the report exists and is approved or distributed; a draft is regenerated
    in place (its snapshot replaced, version increased).
    """
    now = now or timezone.now()
    time_zone = organisation.time_zone
    rules.check_month_ended(month, time_zone, now)
    with transaction.atomic():
        existing = (ServiceReport.objects.select_for_update()
                    .filter(kind=ReportKind.MONTHLY, period_start=month, organisation=organisation,
                            service=service).first())
        if existing is not None:
            rules.check_regenerate(existing.state)
        data = snapshot.build(organisation=organisation, service=service, month=month, now=now)
        if existing is None:
            report = ServiceReport(kind=ReportKind.MONTHLY, period_start=month, period_end=rules.month_end(month),
                                   organisation=organisation, service=service, time_zone=time_zone)
            action = AuditAction.CREATED
        else:
            report = existing
            report.version += 1
            action = AuditAction.UPDATED
        report.snapshot = data
        report.time_zone = time_zone
        report.generated_at = now
        report.generated_by = actor if getattr(actor, "pk", None) else None
        report.generation_seconds = data["generation_seconds"]
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            # Two generators raced for the same period: the other one's report stands.
            raise StaleVersion(1) from None
        audit.record(report, actor=actor, channel=channel, action=action, field="snapshot",
                     new=report.generated_at, context={"period": month.strftime("%Y-%m"),
                                                       "regenerated": existing is not None})
        events.publish("report.generated", report, actor=actor, channel=channel,
                       data={"period": month.strftime("%Y-%m"), "organisation_id": organisation.pk,
                             "service_id": service.pk if service else None})
    return report


def _locked(report, version):
    locked = ServiceReport.objects.select_for_update().get(pk=report.pk)
    if version is not None and int(version) != locked.version:
        raise StaleVersion(locked.version)
    return locked


def approve(report, *, actor, channel, version=None, now=None):
    with transaction.atomic():
        report = _locked(report, version)
        rules.check_transition(report.state, ReportState.APPROVED)
        old = report.state
        report.state = ReportState.APPROVED
        report.approved_at = now or timezone.now()
        report.approved_by = actor
        report.version += 1
        report.save(update_fields=["state", "approved_at", "approved_by", "version"])
        audit.record(report, actor=actor, channel=channel, action=AuditAction.TRANSITIONED, field="state",
                     old=old, new=report.state, at=report.approved_at)
        events.publish("report.approved", report, actor=actor, channel=channel,
                       data={"period": report.period_start.strftime("%Y-%m")})
    return report


def distribute(report, *, actor, channel, recipients, version=None, now=None):
    """Record that the approved report went to `recipients` (who, when, to whom)."""
    recipients = rules.parse_recipients(recipients)
    with transaction.atomic():
        report = _locked(report, version)
        rules.check_transition(report.state, ReportState.DISTRIBUTED)
        old = report.state
        report.state = ReportState.DISTRIBUTED
        report.distributed_at = now or timezone.now()
        report.distributed_by = actor
        report.distributed_to = recipients
        report.version += 1
        report.save(update_fields=["state", "distributed_at", "distributed_by", "distributed_to", "version"])
        audit.record(report, actor=actor, channel=channel, action=AuditAction.TRANSITIONED, field="state",
                     old=old, new=report.state, context={"recipients": recipients}, at=report.distributed_at)
        events.publish("report.distributed", report, actor=actor, channel=channel,
                       data={"period": report.period_start.strftime("%Y-%m"), "recipients": recipients})
    return report
