"""Celery: the hold-down sweep (resolve incidents whose alerts cleared and stayed clear)."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="monitoring.settle_due")
def settle_due():
    from monitoring import escalation

    return escalation.settle_due(now=timezone.now())
