"""Small configuration tables that every ticket write reads (SLA definitions, routing rules),
kept in each process between requests.

A process keeps what it loaded with the configuration generation it read from the shared cache
(Redis); a save or delete of a watched model moves that generation, at once and again when its
transaction commits, so every process (web workers, Celery) reloads on its next read: a process
never uses a definition older than the last committed change it could have seen. Without the
shared cache (an outage) every read goes to the database, as before.

Issue 12: the SLA definitions with their targets and the routing rules were three queries of
every create.

A second generation (REFERENCE) covers the reference lists the desk's forms offer on every page
(teams, agents, categories, business services: core.choices_memo). Those tables change more often
than the SLA configuration (a CMDB import saves thousands of CIs, a login saves the user), so they
move their own generation and leave the SLA definitions and routing rules cached.
"""

import functools
import logging
import threading
import uuid

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

log = logging.getLogger(__name__)

GENERATION_KEY = "core:config-generation"
REFERENCE = "core:reference-generation"
# Who holds which role and who is in a team (accounts.roles.membership): read on every request.
MEMBERSHIP = "core:membership-generation"
_held: dict = {}  # generation key -> (generation, {name -> value})
_lock = threading.Lock()


# The generations read during the current request (None outside a request: Celery, shell).
# A desk page reads a kept list per select (a dozen on the queue page): each read asked Redis
# for the generation again, ~6 % of a record page (issue 12, third round). One request reads each
# generation once, as if every kept value were read at that instant; a change made by the
# request itself (forget) drops it, so the request then reads the new rows.
_request = threading.local()


def _request_started(**_kwargs):
    _request.seen = {}


def _request_finished(**_kwargs):
    _request.seen = None


request_started.connect(_request_started, dispatch_uid="core.memo.request_started")
request_finished.connect(_request_finished, dispatch_uid="core.memo.request_finished")


# A first read of a key here reads these with it, in one round trip (MGET): a session's request
# reads its roles (MEMBERSHIP) first, and a desk page then reads the lists' generation and, for a
# queue or a record's clocks, the configuration's: three round trips to Redis per page before
# (issue 12, sixth round). An API request by token reads only the configuration's, if any (its
# roles come with the token), and so reads it alone.
_READ_TOGETHER = {MEMBERSHIP: (MEMBERSHIP, REFERENCE, GENERATION_KEY)}


def generation(key=GENERATION_KEY):
    """The current generation under `key`, or None if the shared cache cannot say. Read from the
    shared cache once per request (see `_request` above), every time outside one."""
    seen = getattr(_request, "seen", None)
    if seen is None:
        return _read_generation(key)
    if key in seen:
        return seen[key]
    together = _READ_TOGETHER.get(key)
    if together and not seen:  # the request's first read
        seen.update(_read_generations(together))
        if key in seen:
            return seen[key]
    value = _read_generation(key)
    if value is not None:
        seen[key] = value
    return value


def _read_generation(key=GENERATION_KEY):
    try:
        value = cache.get(key)
        if value is None:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            value = cache.get(key)
        return value
    except Exception:  # noqa: BLE001 - a cache outage must not fail a write: read the database
        log.warning("memo: could not read the generation %s", key, exc_info=True)
        return None


def _read_generations(keys):
    """{key: generation} of those of `keys` the shared cache holds, in one round trip."""
    try:
        return {key: value for key, value in cache.get_many(keys).items() if value is not None}
    except Exception:  # noqa: BLE001 - read one by one then (each falls back to the database)
        log.warning("memo: could not read the generations %s", keys, exc_info=True)
        return {}


def memoised(name, load, current=None, *, key=GENERATION_KEY):
    """`load()`'s value, from this process's memory while the tables watched under `key` have not
    changed. The value is shared by every request of the process: callers only read it.
    `current`: the generation the caller read already for this piece of work (a Celery task's
    response of many values), else it is read here."""
    if current is None:
        current = generation(key)
    if current is None:
        return load()
    held = _held.get(key)
    if held is not None and held[0] == current and name in held[1]:
        return held[1][name]
    value = load()
    with _lock:
        held = _held.get(key)
        if held is None or held[0] != current:
            # Everything kept under another generation is stale: dropped, not left to grow (a
            # value per person, as accounts' membership keeps, would otherwise stay for good).
            held = _held[key] = (current, {})
        held[1][name] = value
    return value


def _read_again(key):
    """The request changed a watched table (or its change was committed): read the generation
    again at its next use."""
    seen = getattr(_request, "seen", None)
    if seen is not None:
        seen.pop(key, None)


def _bump(key=GENERATION_KEY):
    _read_again(key)
    try:
        cache.set(key, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - entries are also dropped from this process below
        log.warning("memo: could not move the generation %s", key, exc_info=True)


def forget(*_args, key=GENERATION_KEY, **_kwargs):
    """A watched table changed: every process reloads, now and once the change is committed (a
    process that reloaded in between read the rows as they were before the commit)."""
    with _lock:
        _held.pop(key, None)
    _read_again(key)
    _bump(key)
    transaction.on_commit(functools.partial(_bump, key))


def _forget_reference(*args, update_fields=None, **kwargs):
    # A login saves only the user's last_login, which no list shows: not a change of the lists.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    forget(key=REFERENCE)


def clear():
    """Drop this process's values (tests: a rolled-back test leaves no signal behind)."""
    with _lock:
        _held.clear()


def watch(*models, key=GENERATION_KEY):
    """Move the generation `key` on every save or delete of these models, and on every change of
    the many-to-many tables given among them (call from AppConfig.ready)."""
    receiver = forget if key == GENERATION_KEY else _forget_reference if key == REFERENCE else \
        functools.partial(forget, key=key)
    for model in models:
        uid = f"memo-{key}-{model._meta.label}"
        if model._meta.auto_created:  # a many-to-many table (User.groups.through)
            m2m_changed.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-m2m")
            continue
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
