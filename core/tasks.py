"""Celery tasks of the core: the outbox dispatcher, and the one place that asks for it."""

import logging
import threading

from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError

from core import outbox

log = logging.getLogger(__name__)

_local = threading.local()


@shared_task(acks_late=True, ignore_result=True)
def deliver_outbox():
    """Deliver every due outbox delivery. Run after each commit that published events, and by
    beat every few seconds (so nothing waits for a broker that was down at commit time)."""
    return outbox.deliver_due()


def _connection():
    """This thread's broker connection for wake-ups: no reconnection loop, a short connect
    timeout. (The shared producer pool would retry for seconds inside the request.)"""
    connection = getattr(_local, "connection", None)
    if connection is None:
        app = deliver_outbox.app
        options = {**(app.conf.broker_transport_options or {}), "max_retries": 0}
        connection = _local.connection = app.connection_for_write(transport_options=options, connect_timeout=1)
    return connection


def forget_connection():
    connection = getattr(_local, "connection", None)
    _local.connection = None
    if connection is not None:
        connection.release()


def deliver_soon():
    """Ask a worker to run the dispatcher now; installed as core.outbox's after-commit wake-up.

    Best effort: with the broker down the write that published the events has already
    committed, so this logs and returns (the beat sweep delivers later) instead of failing or
    stalling the request.
    """
    if deliver_outbox.app.conf.task_always_eager:
        deliver_outbox.apply_async()
        return
    for fresh in (False, True):  # a connection the broker dropped (a restart) gets one fresh try
        try:
            deliver_outbox.apply_async(retry=False, connection=_connection())
            return
        except (BrokerError, ConnectionError, OSError) as error:
            forget_connection()
            if fresh:
                log.warning("outbox: could not reach the broker (%s); the beat sweep will deliver later", error)


def ping_broker(url=None, timeout=2):
    """Connect to the broker once (the readiness probe); raises what the connection raised."""
    with deliver_outbox.app.connection_for_write(url, connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
