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
# wake-up below is sent from the process's waker thread.
_lock = threading.RLock()
_due = threading.Condition(_lock)  # notified when a trailing wake-up is promised
_connection_held = None
_last_sent = float("-inf")  # time.monotonic() of the last wake-up sent
_trailing_at = None  # when the wake-up promised for the end of the current interval is due
_waker = None  # the thread that sends it


def _after_fork():
    # A forked child (a prefork worker, a gunicorn worker) has neither the parent's waker thread
    # nor a right to its broker socket.
    global _lock, _due, _connection_held, _last_sent, _trailing_at, _waker
    _lock = threading.RLock()
    _due = threading.Condition(_lock)
    _connection_held, _last_sent, _trailing_at, _waker = None, float("-inf"), None, None


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
    global _trailing_at, _waker
    if deliver_outbox.app.conf.task_always_eager:
        deliver_outbox.apply_async()
        return
    with _lock:
        due = _last_sent + wake_interval()
        if due > time.monotonic():
            if _trailing_at is None:
                # One long-lived thread sends the trailing wake-ups: a timer thread started per
                # interval was a thread start (and a GIL hand-off) in a create (issue 12).
                _trailing_at = due
                if _waker is None:
                    # A daemon: a process that exits meanwhile leaves it to the beat sweep.
                    _waker = threading.Thread(target=_send_trailing, name="outbox-waker", daemon=True)
                    _waker.start()
                _due.notify()
            return
        _send()


def _send_trailing():
    condition = _due  # this process's (a fork makes new ones, and a new thread)
    with condition:
        while True:
            if _trailing_at is None:
                condition.wait()
            elif _trailing_at > time.monotonic():
                condition.wait(_trailing_at - time.monotonic())
            else:
                try:
                    _send()
                except Exception:  # noqa: BLE001 - the thread must outlive one odd failure
                    log.exception("outbox: the trailing wake-up failed; the beat sweep will deliver later")


def _send():
    global _last_sent, _trailing_at
    with _lock:
        # A wake-up sent now also serves the commits that were promised a trailing one.
        _last_sent, _trailing_at = time.monotonic(), None
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
