"""The VOC life cycle and its rules, as plain Python (no ORM, no request).

    new → in_progress → responded → closed
    new/in_progress → responded (answered straight away) ; any open → withdrawn
    responded → in_progress (the answer did not settle it)

A complaint is closed only once a response to the complainant is recorded; a response is needed to
enter `responded` at all. Due dates come from the kind (settings VOC_DUE_DAYS); complaints still open
VOC_ESCALATE_AFTER_DAYS after they arrived are escalated (once per level).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.exceptions import DomainError, InvalidTransition
from voc.choices import VocKind, VocState as S

TRANSITIONS = {
    S.NEW: (S.IN_PROGRESS, S.RESPONDED, S.WITHDRAWN),
    S.IN_PROGRESS: (S.RESPONDED, S.WITHDRAWN),
    S.RESPONDED: (S.CLOSED, S.IN_PROGRESS),
    S.CLOSED: (),
    S.WITHDRAWN: (),
}
# What the person who raised it may do from the portal: withdraw it while it is open.
REPORTER_TRANSITIONS = {S.NEW: (S.WITHDRAWN,), S.IN_PROGRESS: (S.WITHDRAWN,)}

DEFAULT_DUE_DAYS = {VocKind.COMPLAINT: 7, VocKind.INQUIRY: 3, VocKind.SUGGESTION: 14, VocKind.COMPLIMENT: 14}
DEFAULT_ESCALATE_AFTER_DAYS = 3


@dataclass(frozen=True)
class VocFacts:
    state: str
    kind: str
    response: str = ""


def facts_for(ticket, changes=None):
    changes = changes or {}
    return VocFacts(state=ticket.state, kind=changes.get("kind", ticket.kind),
                    response=changes.get("response", ticket.response) or "")


def allowed_targets(facts, *, is_agent=True):
    state = facts.state if isinstance(facts, VocFacts) else facts
    table = TRANSITIONS if is_agent else REPORTER_TRANSITIONS
    return table.get(state, ())


def check_transition(facts, target, *, is_agent=True):
    if facts.state == target:
        return
    allowed = allowed_targets(facts, is_agent=is_agent)
    if target not in allowed:
        raise InvalidTransition(facts.state, target, [str(a) for a in allowed])
    if target == S.RESPONDED and not facts.response.strip():
        raise DomainError(_("Record the response to the person who raised it first."), field="response",
                          code="required")
    if target == S.CLOSED and facts.kind == VocKind.COMPLAINT and not facts.response.strip():
        raise DomainError(_("A complaint cannot be closed without a recorded response to the complainant."),
                          field="response", code="required")


def transition_tables():
    return (TRANSITIONS, REPORTER_TRANSITIONS)


def due_at(kind, received_at, due_days=None):
    days = {**DEFAULT_DUE_DAYS, **(due_days or {})}.get(kind, DEFAULT_DUE_DAYS[VocKind.INQUIRY])
    return received_at + dt.timedelta(days=int(days))


def needs_escalation(*, kind, state, created_at, escalation_level, now, after_days=DEFAULT_ESCALATE_AFTER_DAYS):
    """An open complaint not yet escalated, older than `after_days`."""
    return (kind == VocKind.COMPLAINT and state in (S.NEW, S.IN_PROGRESS) and escalation_level == 0
            and now - created_at >= dt.timedelta(days=after_days))


def is_overdue(*, state, due, now):
    return state in (S.NEW, S.IN_PROGRESS) and due is not None and due < now
