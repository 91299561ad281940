"""The problem life cycle: which state may follow which, and what each target needs.

Plain Python: no ORM, no request. Services call `check_transition` with plain values and get
an InvalidTransition naming the allowed targets when refused.

    new → investigation → known_error → resolved → closed
    new/investigation → resolved (fixed without a known-error phase)
    any open state → cancelled;  resolved → investigation (fix did not hold)
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.exceptions import DomainError, InvalidTransition
from problems.choices import ProblemState as S

TRANSITIONS = {
    S.NEW: (S.INVESTIGATION, S.KNOWN_ERROR, S.RESOLVED, S.CANCELLED),
    S.INVESTIGATION: (S.KNOWN_ERROR, S.RESOLVED, S.CANCELLED),
    S.KNOWN_ERROR: (S.INVESTIGATION, S.RESOLVED, S.CANCELLED),
    S.RESOLVED: (S.CLOSED, S.INVESTIGATION),
    S.CLOSED: (),
    S.CANCELLED: (),
}

# Moves named differently from their target state (core.tickets.Lifecycle.action_label).
ACTION_LABELS = {
    (S.RESOLVED, S.INVESTIGATION): pgettext_lazy("problem action", "Reopen investigation"),
    (S.KNOWN_ERROR, S.INVESTIGATION): pgettext_lazy("problem action", "Back to investigation"),
}


@dataclass(frozen=True)
class ProblemFacts:
    """What the guards need to know about a problem, after the requested changes are applied."""

    root_cause: str = ""
    workaround: str = ""
    state: str = ""  # the current state (before the move)


def facts_for(ticket, changes=None):
    """The facts of `ticket` with `changes` applied (state: the current one)."""
    changes = changes or {}
    return ProblemFacts(root_cause=changes.get("root_cause", ticket.root_cause) or "",
                        workaround=changes.get("workaround", ticket.workaround) or "", state=ticket.state)


def allowed_targets(facts, *, is_agent=True):
    """Problems are desk records: the caller's role changes nothing."""
    state = facts.state if isinstance(facts, ProblemFacts) else facts
    return TRANSITIONS.get(state, ())


def check_transition(facts, target, guards=None, *, is_agent=True):
    """Refuse an invalid move (InvalidTransition) or a move whose guard fails (DomainError).

    `facts` is a ProblemFacts, or a bare current state with the guard values in `guards`."""
    if isinstance(facts, ProblemFacts):
        current = facts.state
    else:
        current, facts = facts, guards or ProblemFacts()
    if current == target:
        return
    allowed = allowed_targets(current)
    if target not in allowed:
        raise InvalidTransition(current, target, [str(a) for a in allowed])
    if target == S.KNOWN_ERROR and not (facts.root_cause.strip() or facts.workaround.strip()):
        raise DomainError(
            _("A known error needs a root cause or a workaround."), field="workaround", code="required"
        )
    if target == S.RESOLVED and not facts.root_cause.strip():
        raise DomainError(_("Resolving a problem needs its root cause."), field="root_cause", code="required")


def check_publish_known_error(state, facts):
    """Publishing to the known-error database needs a workaround or root cause and a live problem."""
    if state == S.CANCELLED:
        raise DomainError(_("A cancelled problem cannot be published as a known error."), field="known_error")
    if not (facts.root_cause.strip() or facts.workaround.strip()):
        raise DomainError(
            _("Publish a known error only with a root cause or a workaround."), field="known_error",
            code="required",
        )


def transition_tables():
    """Every state table this workflow answers from (core checks them for consistency)."""
    return (TRANSITIONS,)
