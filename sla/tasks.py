"""Celery tasks of service level management: ids in, safe to run twice."""

import json
import logging
import urllib.error
import urllib.request

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = 5  # seconds; a slow receiver must not hold a worker


@shared_task(acks_late=True, ignore_result=True)
def sweep():
    """Beat, every 15 s: record due warnings/breaches, then resend escalations whose task was lost."""
    from sla import engine, escalations

    now = timezone.now()
    settled = engine.sweep(now=now)
    escalations.requeue_stale(now=now)
    return settled


@shared_task(acks_late=True, ignore_result=True)
def run_escalations(clock_ids):
    from sla import escalations

    return escalations.run_pending(clock_ids)


@shared_task(acks_late=True, ignore_result=True)
def send_escalation_mail(run_id, recipients, subject, body):
    send_mail(subject, body, None, recipients, fail_silently=False)


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=3, default_retry_delay=30)
def call_webhook(self, run_id):
    """POST the escalation to its webhook with a timeout; the run id is the idempotency key."""
    from sla.escalations import webhook_payload
    from sla.models import EscalationRun

    run = EscalationRun.objects.select_related("rule", "clock", "clock__definition", "clock__content_type") \
        .filter(pk=run_id).first()
    if run is None or (run.result or {}).get("webhook") == "delivered":
        return
    body = json.dumps(webhook_payload(run)).encode()
    request = urllib.request.Request(run.rule.webhook_url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Idempotency-Key": f"sla-escalation-{run.pk}"})
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310 (admin-set URL)
            status = response.status
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        EscalationRun.objects.filter(pk=run_id).update(result={**run.result, "webhook": "failed", "error": str(exc)[:200]})
        raise self.retry(exc=exc)
    EscalationRun.objects.filter(pk=run_id).update(result={**run.result, "webhook": "delivered", "status": status})
