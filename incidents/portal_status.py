"""What the portal tells an end user about their incident, in their terms: whether the desk is
waiting for them (and what it asked), and when to expect an answer and a fix, read from the SLA
clocks. Plain functions of already-loaded rows, so the page adds no query per fact."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from incidents.choices import IncidentState, OnHoldReason
from sla.choices import ClockKind, ClockState


def awaiting_caller(incident) -> bool:
    """The desk has put the incident on hold until its caller answers."""
    return incident.state == IncidentState.ON_HOLD and incident.on_hold_reason == OnHoldReason.AWAITING_CALLER


def last_question(timeline, caller_id):
    """The latest public comment written by someone other than the caller (what they must answer)."""
    for item in reversed(timeline):
        if item.kind == "comment" and item.obj.author_id != caller_id:
            return item
    return None


def time_zone_of(user) -> str:
    """The user's time zone: their organisation's, else the site's."""
    organisation = getattr(user, "organisation", None)
    return (organisation.time_zone if organisation is not None else "") or settings.TIME_ZONE


@dataclass(frozen=True)
class Expectation:
    """One promise of the service level, as the caller sees it.

    status: "due" (counting, `due_at` set), "paused" (the desk is waiting, e.g. for the caller),
    "met" (done in time), "late" (past due, not done yet) or "missed" (done, but late).
    """

    kind: str
    status: str
    due_at: datetime | None
    done_at: datetime | None


def expectations(clocks, *, now=None) -> dict[str, Expectation]:
    """The response and resolution expectations of a ticket's clocks, keyed by kind.

    When several agreements apply, the most demanding (earliest due) one is what the caller is told;
    cancelled clocks (the agreement stopped applying) tell nothing.
    """
    now = now or timezone.now()
    result = {}
    for kind in (ClockKind.RESPONSE, ClockKind.RESOLUTION):
        mine = [c for c in clocks if c.kind == kind and c.state != ClockState.CANCELLED]
        if not mine:
            continue
        clock = min(mine, key=lambda c: (c.due_at is None, c.due_at or now, c.pk))
        result[str(kind)] = Expectation(str(kind), _status(clock, now), clock.due_at, clock.stopped_at)
    return result


def _status(clock, now):
    late = clock.state == ClockState.BREACHED or clock.breached_at is not None or (
        clock.stopped_at is None and clock.paused_at is None and clock.due_at is not None and clock.due_at <= now)
    if clock.stopped_at is not None or clock.state == ClockState.MET:
        return "missed" if late else "met"
    if late:
        return "late"
    if clock.state == ClockState.PAUSED or clock.paused_at is not None:
        return "paused"
    return "due"
