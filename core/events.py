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
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

_in_transaction: dict[str, list[Callable]] = defaultdict(list)
_after_commit: dict[str, dict[str, Callable]] = defaultdict(dict)


@dataclass(frozen=True)
class Event:
    name: str
    record: Any
    actor: Any = None
    channel: str = ""
    data: dict = field(default_factory=dict)
    at: Any = None

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


def after_commit(name: str, *, key: str | None = None):
    """Register an outbox handler, delivered after commit. `key` names it in delivery rows."""

    def register(func):
        _after_commit[name][key or f"{func.__module__}.{func.__qualname__}"] = func
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


def publish(name: str, record, *, actor=None, channel: str = "", data: dict | None = None, at=None) -> Event:
    """Tell the subscribers inside this transaction; the outbox row is written by core.outbox."""
    event = Event(name=name, record=record, actor=actor, channel=channel, data=data or {}, at=at)
    for subscriber in subscribers(name):
        subscriber(event)
    return event
