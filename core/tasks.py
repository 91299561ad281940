"""Celery tasks of the core: the outbox dispatcher, and the one place that asks for it."""

import logging
import os
import threading
import time

from celery import shared_task
from django.conf import settings
from kombu.exceptions import OperationalError as BrokerError

from core import outbox

log = logging.getLogger(__name__)

# The broker connection of the wake-ups and what paces them; a lock because the trailing
# wake-up below is sent from a timer thread.
_lock = threading.RLock()
_connection_held = None
_last_sent = float("-inf")  # time.monotonic() of the last wake-up sent
_trailing = None  # the timer of the wake-up promised for the end of the current interval


def _after_fork():
    # A forked child (a prefork worker, a gunicorn worker) has neither the parent's timer thread
    # nor a right to its broker socket.
    global _lock, _connection_held, _last_sent, _trailing
    _lock, _connection_held, _last_sent, _trailing = threading.RLock(), None, float("-inf"), None


os.register_at_fork(after_in_child=_after_fork)


@shared_task(acks_late=True, ignore_result=True)
def deliver_outbox():
    """Deliver every due outbox delivery. Run after each commit that published events, and by
    beat every few seconds (so nothing waits for a broker that was down at commit time)."""
    return outbox.deliver_due()


def _connection():
    """The process's broker connection for wake-ups: no reconnection loop, a short connect
    timeout. (The shared producer pool would retry for seconds inside the request.)"""
    global _connection_held
    if _connection_held is None:
        app = deliver_outbox.app
        options = {**(app.conf.broker_transport_options or {}), "max_retries": 0}
        _connection_held = app.connection_for_write(transport_options=options, connect_timeout=1)
    return _connection_held


def forget_connection():
    """Drop the broker connection and the pacing (a test or a broker restart starts afresh)."""
    global _connection_held, _last_sent
    with _lock:
        connection, _connection_held, _last_sent = _connection_held, None, float("-inf")
        if connection is not None:
            connection.release()


def wake_interval() -> float:
    return getattr(settings, "OUTBOX_WAKE_INTERVAL_SECONDS", 0.05)


def deliver_soon():
    """Ask a worker to run the dispatcher now; installed as core.outbox's after-commit wake-up.

    At most one wake-up per `OUTBOX_WAKE_INTERVAL_SECONDS` (50 ms) leaves a process: the first
    commit of an interval wakes a worker at once, the later ones share one wake-up sent when the
    interval ends (a dispatcher run delivers everything due, so one is enough for all of them).
    A delivery waits at most the interval longer; a busy process sends ~20 wake-ups a second
    instead of one per create (issue 12: `apply_async` was ~6 % of an API create's CPU).

    Best effort: with the broker down the write that published the events has already
    committed, so this logs and returns (the beat sweep delivers later) instead of failing or
    stalling the request.
    """
    global _trailing
    if deliver_outbox.app.conf.task_always_eager:
        deliver_outbox.apply_async()
        return
    with _lock:
        wait = _last_sent + wake_interval() - time.monotonic()
        if wait > 0:
            if _trailing is None:
                _trailing = threading.Timer(wait, _send_trailing)
                _trailing.daemon = True  # a process that exits meanwhile leaves it to the beat sweep
                _trailing.start()
            return
        _send()


def _send_trailing():
    global _trailing
    with _lock:
        _trailing = None
        _send()


def _send():
    global _last_sent
    with _lock:
        _last_sent = time.monotonic()
        for fresh in (False, True):  # a connection the broker dropped (a restart) gets one fresh try
            try:
                deliver_outbox.apply_async(retry=False, connection=_connection())
                return
            except (BrokerError, ConnectionError, OSError) as error:
                forget_connection()
                _last_sent = time.monotonic()  # (forget_connection resets it; keep pacing the retries)
                if fresh:
                    log.warning("outbox: could not reach the broker (%s); the beat sweep will deliver later",
                                error)


def ping_broker(url=None, timeout=2):
    """Connect to the broker once (the readiness probe); raises what the connection raised."""
    with deliver_outbox.app.connection_for_write(url, connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
