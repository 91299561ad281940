"""The test ticket's life cycle: new → closed, for the ticket-contract tests."""

from dataclasses import dataclass

from core.exceptions import InvalidTransition

TRANSITIONS = {"new": ("closed",), "closed": ()}


@dataclass(frozen=True)
class CaseFacts:
    state: str


def facts_for(ticket, changes=None):
    return CaseFacts(state=ticket.state)


def allowed_targets(facts, *, is_agent=True):
    return TRANSITIONS.get(getattr(facts, "state", facts), ())


def check_transition(facts, target, *, is_agent=True):
    allowed = allowed_targets(facts, is_agent=is_agent)
    if target not in allowed:
        raise InvalidTransition(facts.state, target, allowed)


def transition_tables():
    return (TRANSITIONS,)
