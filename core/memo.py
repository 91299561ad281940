"""Small configuration tables that every ticket write reads (SLA definitions, routing rules),
kept in each process between requests.

A process keeps what it loaded with the configuration generation it read from the shared cache
(Redis); a save or delete of a watched model moves that generation, at once and again when its
transaction commits, so every process (web workers, Celery) reloads on its next read: a process
never uses a definition older than the last committed change it could have seen. Without the
shared cache (an outage) every read goes to the database, as before.

Issue 12: the SLA definitions with their targets and the routing rules were three queries of
every create. Within one request the generation is read once (its first use), not once per kept
value: a create read it twice (rules, SLA definitions), ~3 % of its CPU. A change the request
itself makes reads it again; a change committed elsewhere during the request is seen by the next
request, as one committed just after it would be.
"""

import logging
import threading
import uuid

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)

GENERATION_KEY = "core:config-generation"
_held: dict = {}  # name -> (generation, value)
_lock = threading.Lock()
# The generation this thread's current request read: _UNREAD until its first use; None outside a
# request (a Celery task, a command, a shell), which reads it every time as before.
_UNREAD = object()
_request = threading.local()


def _request_started(**_kwargs):
    _request.generation = _UNREAD


def _request_finished(**_kwargs):
    _request.generation = None


request_started.connect(_request_started, dispatch_uid="core.memo.request_started")
request_finished.connect(_request_finished, dispatch_uid="core.memo.request_finished")


def _read_again():
    """The request changed a watched table (or its change was committed): read the generation
    again at its next use."""
    if getattr(_request, "generation", None) is not None:
        _request.generation = _UNREAD


def generation():
    """The current configuration generation, or None if the shared cache cannot say. Read from
    the shared cache once per request (see the module's docstring)."""
    held = getattr(_request, "generation", None)
    if held is not None and held is not _UNREAD:
        return held
    value = _read_generation()
    if held is _UNREAD and value is not None:
        _request.generation = value
    return value


def _read_generation():
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            value = cache.get(GENERATION_KEY)
        return value
    except Exception:  # noqa: BLE001 - a cache outage must not fail a write: read the database
        log.warning("memo: could not read the configuration generation", exc_info=True)
        return None


def memoised(name, load, current=None):
    """`load()`'s value, from this process's memory while the configuration has not changed.
    The value is shared by every request of the process: callers only read it. `current`: the
    generation() the caller read already for this piece of work (one read of the shared cache
    for several values of one response), else it is read here."""
    if current is None:
        current = generation()
    if current is None:
        return load()
    held = _held.get(name)
    if held is not None and held[0] == current:
        return held[1]
    value = load()
    with _lock:
        _held[name] = (current, value)
    return value


def _bump():
    _read_again()
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - entries are also dropped from this process below
        log.warning("memo: could not move the configuration generation", exc_info=True)


def forget(*_args, **_kwargs):
    """A watched table changed: every process reloads, now and once the change is committed (a
    process that reloaded in between read the rows as they were before the commit)."""
    with _lock:
        _held.clear()
    _read_again()
    _bump()
    transaction.on_commit(_bump)


def clear():
    """Drop this process's values (tests: a rolled-back test leaves no signal behind)."""
    with _lock:
        _held.clear()


def watch(*models):
    """Move the generation on every save or delete of these models (call from AppConfig.ready)."""
    for model in models:
        post_save.connect(forget, sender=model, dispatch_uid=f"memo-save-{model._meta.label}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"memo-delete-{model._meta.label}")
