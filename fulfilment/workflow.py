"""The request life cycle (plain Python, no ORM). A request follows its items: the services
move it when its items move; people move it directly only to cancel or close it.

    submitted → awaiting_approval → in_fulfilment → fulfilled → closed
    submitted → in_fulfilment (nothing to approve)
    submitted | awaiting_approval → fulfilled (the items left to do needed no tasks, or the
    rest was rejected after others were delivered)
    awaiting_approval → rejected;  any open state → cancelled
"""

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from core.exceptions import InvalidTransition
from fulfilment.choices import RequestState as S

TRANSITIONS = {
    S.SUBMITTED: (S.AWAITING_APPROVAL, S.IN_FULFILMENT, S.FULFILLED, S.CANCELLED),
    S.AWAITING_APPROVAL: (S.IN_FULFILMENT, S.FULFILLED, S.REJECTED, S.CANCELLED),
    S.IN_FULFILMENT: (S.FULFILLED, S.CANCELLED),
    S.FULFILLED: (S.CLOSED,),
    S.CLOSED: (),
    S.REJECTED: (),
    S.CANCELLED: (),
}

# What a person (not the roll-up from the items) may do by hand.
MANUAL_TARGETS = frozenset({S.CANCELLED, S.CLOSED})

ACTION_LABELS = {
    (None, S.CANCELLED): pgettext_lazy("request action", "Cancel request"),
    (S.FULFILLED, S.CLOSED): pgettext_lazy("request action", "Close"),
}


@dataclass(frozen=True)
class RequestFacts:
    state: str = ""


def facts_for(ticket, changes=None):
    return RequestFacts(state=ticket.state)


def allowed_targets(facts, *, is_agent=True):
    state = facts.state if isinstance(facts, RequestFacts) else facts
    return TRANSITIONS.get(state, ())


def check_transition(facts, target, *, is_agent=True):
    current = facts.state if isinstance(facts, RequestFacts) else facts
    if current == target:
        return
    allowed = allowed_targets(current)
    if target not in allowed:
        raise InvalidTransition(current, target, [str(a) for a in allowed])


def transition_tables():
    return (TRANSITIONS,)
