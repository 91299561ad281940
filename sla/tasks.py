"""Celery tasks of service level management: ids in, safe to run twice.

Escalation mail and webhooks are outbox deliveries (sla.escalations.send_mail, call_webhook),
retried and dead-lettered by core.tasks.deliver_outbox, not tasks of their own.
"""

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, ignore_result=True)
def sweep():
    """Beat, every 15 s: record due warnings/breaches; their escalations leave through the outbox."""
    from sla import sweep as sla_sweep

    return sla_sweep.sweep(now=timezone.now())


@shared_task(acks_late=True, ignore_result=True)
def run_escalations(clock_ids):
    """Execute the pending runs of these clocks now (an operator's or a redelivered request)."""
    from sla import escalations

    return escalations.run_pending(clock_ids)
