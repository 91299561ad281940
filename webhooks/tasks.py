"""Celery tasks of webhooks out: the sender (woken after each fan-out, and by beat)."""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError

from webhooks import sender

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def send_webhooks():
    """Send every due delivery (safe to run on several workers at once: claims skip locked rows)."""
    return sender.deliver_due()


def send_soon():
    """Ask a worker to send now; best effort (beat sends within seconds anyway)."""
    try:
        send_webhooks.apply_async(retry=False)
    except (BrokerError, ConnectionError, OSError) as error:
        log.warning("webhooks: could not reach the broker (%s); the beat sweep will send", error)
