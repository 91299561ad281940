"""Domain events: services publish typed events; subscribers register here, so core imports no app.

Two kinds of subscriber:
- `on(name)` subscribers run inside the publishing transaction (the SLA engine starting and
  stopping clocks): if they fail, the whole write fails.
- `after_commit(name)` handlers run later, from the outbox, once per delivery, retried
  (e-mail notifications, webhooks): they never run in the request.

Event names are "<type>.<verb>" (incident.created, change.approved, sla.breached). A subscriber
may register for an exact name or for "*.<verb>" / "<type>.*".

    from core import events
    events.publish("incident.resolved", incident, actor=user, data={"resolution_code": ...})

Every published event is also written to the outbox (core.outbox: an OutboxEvent row and one
Delivery row per matching after-commit handler) in the publishing transaction, so a rolled-back
write publishes nothing and a committed one is delivered even if the broker was down. An
after-commit handler is called with the Event as read back from the outbox: `record` reloaded
(None if it was deleted meanwhile), `data` as stored JSON, and `delivery_id` / `idempotency_key`
naming this delivery, so a handler that runs twice (a worker killed after acting, before
committing) can recognise its own work.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Callable

_in_transaction: dict[str, list[Callable]] = defaultdict(list)
_after_commit: dict[str, dict[str, Callable]] = defaultdict(dict)
# Handler key -> predicate(event) deciding whether an event needs that handler at all.
_conditions: dict[str, Callable] = {}
# Keys of handlers called with a list of events (all of one dispatcher batch) instead of one.
_batched: set[str] = set()
# Keys of handlers that tell people (mail, webhooks): what `quiet()` mutes.
_notifying: set[str] = set()
# While `quiet()` is active: the handler-key prefixes muted on top of the notifying handlers.
_quiet: ContextVar[tuple[str, ...] | None] = ContextVar("events_quiet", default=None)
# Set by core.apps.CoreConfig.ready() to core.outbox.write, so this module imports no model.
_writer: Callable | None = None


@dataclass(frozen=True)
class Event:
    name: str
    record: Any
    actor: Any = None
    channel: str = ""
    data: dict = field(default_factory=dict)
    at: Any = None
    # Set only for after-commit handlers: the outbox row and the delivery being attempted.
    id: int | None = None
    delivery_id: int | None = None

    @property
    def idempotency_key(self) -> str | None:
        """Unique per (event, handler): the same on every retry of one delivery."""
        return f"outbox-{self.delivery_id}" if self.delivery_id is not None else None

    @property
    def type(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def verb(self) -> str:
        return self.name.split(".", 1)[1]


def _patterns(name: str):
    kind, _, verb = name.partition(".")
    return (name, f"{kind}.*", f"*.{verb}", "*")


def on(name: str):
    """Register a subscriber that runs inside the publishing transaction."""

    def register(func):
        if func not in _in_transaction[name]:
            _in_transaction[name].append(func)
        return func

    return register


def after_commit(name: str, *, key: str | None = None, when: Callable | None = None, batch: bool = False,
                 notifies: bool = False):
    """Register an outbox handler, delivered after commit. `key` names it in delivery rows.

    `when(event) -> bool`, if given, is asked at publish time: no delivery row is written for
    events the handler would ignore (a breach without escalation rules, say).
    `batch=True`: the handler takes a list of events (up to a dispatcher batch) and succeeds or
    fails for all of them: for work that is much cheaper done together (escalation runs).
    `notifies=True`: the handler tells people (an e-mail, a webhook): `quiet()` mutes it.
    """

    def register(func):
        handler_key = key or f"{func.__module__}.{func.__qualname__}"
        _after_commit[name][handler_key] = func
        if when is not None:
            _conditions[handler_key] = when
        if batch:
            _batched.add(handler_key)
        if notifies:
            _notifying.add(handler_key)
        return func

    return register


def subscribers(name: str) -> list[Callable]:
    return [f for pattern in _patterns(name) for f in _in_transaction.get(pattern, ())]


def handlers(name: str) -> dict[str, Callable]:
    found = {}
    for pattern in _patterns(name):
        found.update(_after_commit.get(pattern, {}))
    return found


def handler(key: str) -> Callable | None:
    for registered in _after_commit.values():
        if key in registered:
            return registered[key]
    return None


def is_batched(key: str) -> bool:
    return key in _batched


def handlers_for(event: Event) -> list[str]:
    """Keys of the after-commit handlers that want this event (their `when` says yes), less the
    ones `quiet()` mutes."""
    return [key for key in handlers(event.name)
            if not _muted(key) and (key not in _conditions or _conditions[key](event))]


def _muted(key: str) -> bool:
    prefixes = _quiet.get()
    return prefixes is not None and (key in _notifying or key.startswith(prefixes))


# Stored in the data of an event published quietly: its handlers run quietly too, so what they
# publish in turn (an escalation run's mail) stays unsent.
QUIET_MARK = "quiet"


def is_quiet() -> bool:
    return _quiet.get() is not None


@contextmanager
def quiet(*prefixes: str):
    """Publish without telling anyone: events published inside get no delivery for notifying
    handlers (registered with `notifies=True`) nor for handlers whose key starts with one of
    `prefixes`. For loading demo or imported history, which describes work nobody must be
    mailed about now. In-transaction subscribers (SLA clocks) and other handlers still run."""
    token = _quiet.set((*(_quiet.get() or ()), *prefixes))
    try:
        yield
    finally:
        _quiet.reset(token)


def use_writer(writer: Callable | None) -> None:
    """Install the outbox writer (core.outbox.write); called once from CoreConfig.ready()."""
    global _writer
    _writer = writer


def publish(name: str, record, *, actor=None, channel: str = "", data: dict | None = None, at=None) -> Event:
    """Tell the subscribers inside this transaction and write the event to the outbox."""
    event = Event(name=name, record=record, actor=actor, channel=channel, data=data or {}, at=at)
    _tell(event)
    if _writer is not None:
        _writer([event])
    return event


def prepare(name: str, record, *, actor=None, channel: str = "", at=None) -> None:
    """Tell the in-transaction subscribers of `name` ("<type>.creating") about a record about to
    be written, before its row exists: they may fill in columns that mirror their own state (the
    SLA engine's standing of a ticket), so the row is written once. Nothing reaches the outbox:
    nothing has happened yet."""
    _tell(Event(name=name, record=record, actor=actor, channel=channel, at=at))


def _tell(event: Event) -> None:
    """Run the in-transaction subscribers of the event's name."""
    for subscriber in subscribers(event.name):
        subscriber(event)


def publish_many(name: str, items, *, channel: str = "", at=None) -> list[Event]:
    """Publish one event per (record, data) or (record, data, at) item with one outbox write:
    for sweeps and batches."""
    published = [Event(name=name, record=item[0], channel=channel, data=item[1] or {},
                       at=item[2] if len(item) > 2 else at) for item in items]
    for event in published:
        _tell(event)
    if _writer is not None and published:
        _writer(published)
    return published
