"""Celery tasks of the core: the outbox dispatcher, and the one place that asks for it."""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError

from core import outbox

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def deliver_outbox():
    """Deliver every due outbox delivery. Run after each commit that published events, and by
    beat every few seconds (so nothing waits for a broker that was down at commit time)."""
    return outbox.deliver_due()


def deliver_soon():
    """Ask a worker to run the dispatcher now; installed as core.outbox's after-commit wake-up.

    Best effort: with the broker down the write that published the events has already
    committed, so this logs and returns (the beat sweep delivers later) instead of failing the
    request. No retries: a request must not wait for the broker to come back.
    """
    try:
        deliver_outbox.apply_async(retry=False)
    except (BrokerError, ConnectionError, OSError) as error:
        log.warning("outbox: could not reach the broker (%s); the beat sweep will deliver later", error)
