"""The request life cycle (plain Python, no ORM). A request follows its items: the services
move it when its items move; people move it directly only to cancel or close it.

    submitted → awaiting_approval → in_fulfilment → fulfilled → closed
    submitted → in_fulfilment (nothing to approve)
    submitted | awaiting_approval → fulfilled (the items left to do needed no tasks, or the
    rest was rejected after others were delivered)
    awaiting_approval → rejected;  any open state → cancelled
"""

from django.utils.translation import pgettext_lazy

from fulfilment import state_table
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


facts_for = state_table.facts_for


def allowed_targets(facts, *, is_agent=True):
    return state_table.allowed_in(TRANSITIONS, facts)


def check_transition(facts, target, *, is_agent=True):
    state_table.check_in(TRANSITIONS, facts, target)


def transition_tables():
    return (TRANSITIONS,)
