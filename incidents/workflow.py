"""The incident life cycle: which state may follow which, and the guards on each move.

Plain Python, no ORM, no request: the services call it with plain values and the tests
walk the whole table without a database.

    new ─▶ in_progress ⇄ on_hold ─▶ resolved ─▶ closed
     │          │           │          │
     └──────────┴───────────┴─▶ cancelled    resolved ─▶ in_progress (reopen)
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _, ngettext
from django.utils.translation import pgettext_lazy

from core.exceptions import DomainError, InvalidTransition
from incidents.choices import IncidentState as S
from incidents.choices import OnHoldReason, ResolutionCode

TRANSITIONS = {
    S.NEW: (S.IN_PROGRESS, S.ON_HOLD, S.RESOLVED, S.CANCELLED),
    S.IN_PROGRESS: (S.ON_HOLD, S.RESOLVED, S.CANCELLED),
    S.ON_HOLD: (S.IN_PROGRESS, S.RESOLVED, S.CANCELLED),
    S.RESOLVED: (S.CLOSED, S.IN_PROGRESS),
    S.CLOSED: (),
    S.CANCELLED: (),
}

# What the caller (an end user) may do to their own incident: withdraw it while nobody has
# started, confirm a resolution, or reopen it within the reopen window.
CALLER_TRANSITIONS = {
    S.NEW: (S.CANCELLED,),
    S.RESOLVED: (S.CLOSED, S.IN_PROGRESS),
}

# What a button or menu calls a move, by (from, to); (None, to) is any other state. Naming the
# target state is wrong when the same state means different things: on_hold → in_progress is
# "Resume", not "Start work" (core.tickets.Lifecycle.action_label reads this).
ACTION_LABELS = {
    (S.NEW, S.IN_PROGRESS): pgettext_lazy("incident action", "Start work"),
    (S.ON_HOLD, S.IN_PROGRESS): pgettext_lazy("incident action", "Resume"),
    (S.RESOLVED, S.IN_PROGRESS): pgettext_lazy("incident action", "Reopen"),
    (None, S.ON_HOLD): pgettext_lazy("incident action", "Put on hold"),
    (None, S.RESOLVED): pgettext_lazy("incident action", "Resolve"),
    (None, S.CLOSED): pgettext_lazy("incident action", "Close"),
    (None, S.CANCELLED): pgettext_lazy("incident action", "Cancel incident"),
}

DEFAULT_REOPEN_WINDOW_DAYS = 7
DEFAULT_AUTO_CLOSE_DAYS = 5


@dataclass(frozen=True)
class IncidentFacts:
    """What the guards need: the current state and the values the move would leave behind."""

    state: str
    on_hold_reason: str = ""
    resolution_code: str = ""
    resolution_notes: str = ""
    resolved_at: datetime | None = None
    now: datetime | None = None
    reopen_window_days: int = DEFAULT_REOPEN_WINDOW_DAYS


def facts_for(ticket, changes=None, *, now=None, reopen_window_days=DEFAULT_REOPEN_WINDOW_DAYS):
    """The facts of `ticket` with `changes` applied (the on-hold reason only counts if sent)."""
    changes = changes or {}
    return IncidentFacts(
        state=ticket.state, on_hold_reason=changes.get("on_hold_reason", "") or "",
        resolution_code=changes.get("resolution_code", ticket.resolution_code) or "",
        resolution_notes=changes.get("resolution_notes", ticket.resolution_notes) or "",
        resolved_at=ticket.resolved_at, now=now, reopen_window_days=reopen_window_days,
    )


def _facts(facts, **values):
    # A bare state stands for a ticket of which only the state is known (the views' menus).
    return facts if isinstance(facts, IncidentFacts) else IncidentFacts(state=facts, **values)


def allowed_targets(facts, *, is_agent=True):
    """The states the incident may move to, for desk staff or for the caller."""
    table = TRANSITIONS if is_agent else CALLER_TRANSITIONS
    return [str(s) for s in table.get(_facts(facts).state, ())]


def is_reopen(current, target):
    return current == S.RESOLVED and target == S.IN_PROGRESS


def check_transition(facts, target, *, is_agent=True, **values):
    """Refuse a move that the table or a guard forbids; return None when it is allowed.

    `facts` is an IncidentFacts (or a bare state with the guard values as keywords). Raises
    InvalidTransition (naming the allowed targets) or DomainError naming the missing field.
    """
    facts = _facts(facts, **values)
    current = facts.state
    allowed = allowed_targets(facts, is_agent=is_agent)
    if target == current or target not in allowed:
        raise InvalidTransition(current, target, allowed)
    if target == S.ON_HOLD and facts.on_hold_reason not in OnHoldReason.values:
        raise DomainError(_("Choose why the incident is on hold."), field="on_hold_reason", code="required")
    if target == S.RESOLVED:
        if facts.resolution_code not in ResolutionCode.values:
            raise DomainError(_("Choose a resolution code."), field="resolution_code", code="required")
        if not (facts.resolution_notes or "").strip():
            raise DomainError(_("Describe how the incident was resolved."), field="resolution_notes",
                              code="required")
    if is_reopen(current, target) and not is_agent:
        if not reopen_allowed(facts.resolved_at, now=facts.now, window_days=facts.reopen_window_days):
            raise DomainError(
                ngettext("This incident was resolved more than %(days)s day ago and can no longer be reopened. "
                         "Please report a new incident.",
                         "This incident was resolved more than %(days)s days ago and can no longer be reopened. "
                         "Please report a new incident.", facts.reopen_window_days) % {"days": facts.reopen_window_days},
                field="state", code="reopen_window",
            )


def reopen_allowed(resolved_at, *, now, window_days=DEFAULT_REOPEN_WINDOW_DAYS):
    """Whether a caller may still reopen an incident resolved at `resolved_at`."""
    if resolved_at is None or now is None:
        return True
    return now - resolved_at <= timedelta(days=window_days)


def due_for_auto_close(state, resolved_at, *, now, after_days=DEFAULT_AUTO_CLOSE_DAYS):
    """A resolved incident nobody reopened closes itself after `after_days` days."""
    return state == S.RESOLVED and resolved_at is not None and now - resolved_at >= timedelta(days=after_days)


def fields_cleared_by(current, target):
    """Fields whose values stop making sense after the move (e.g. the on-hold reason)."""
    cleared = {}
    if current == S.ON_HOLD and target != S.ON_HOLD:
        cleared["on_hold_reason"] = ""
    if is_reopen(current, target):
        cleared.update(resolution_code="", resolution_notes="", resolved_at=None)
    return cleared


def transition_tables():
    """Every state table this workflow answers from (core checks them for consistency)."""
    return (TRANSITIONS, CALLER_TRANSITIONS)
