"""The fulfilment task life cycle (plain Python, no ORM).

    pending → open (its stage starts) → in_progress → done | failed
    open → done | failed;  failed → open (retry);  any unfinished state → cancelled
A task of a later stage stays pending, and cannot be worked, until every task of the
earlier stages is done.
"""

from django.utils.translation import pgettext_lazy

from fulfilment import state_table
from fulfilment.choices import TaskState as S

TRANSITIONS = {
    S.PENDING: (S.OPEN, S.CANCELLED),
    S.OPEN: (S.IN_PROGRESS, S.DONE, S.FAILED, S.CANCELLED),
    S.IN_PROGRESS: (S.DONE, S.FAILED, S.OPEN, S.CANCELLED),
    S.DONE: (),
    S.FAILED: (S.OPEN,),
    S.CANCELLED: (),
}

ACTION_LABELS = {
    (None, S.IN_PROGRESS): pgettext_lazy("task action", "Start work"),
    (None, S.DONE): pgettext_lazy("task action", "Complete"),
    (None, S.FAILED): pgettext_lazy("task action", "Mark failed"),
    (S.FAILED, S.OPEN): pgettext_lazy("task action", "Retry"),
    (S.IN_PROGRESS, S.OPEN): pgettext_lazy("task action", "Stop work"),
}


facts_for = state_table.facts_for


def allowed_targets(facts, *, is_agent=True):
    return state_table.allowed_in(TRANSITIONS, facts)


def check_transition(facts, target, *, is_agent=True):
    state_table.check_in(TRANSITIONS, facts, target)


def transition_tables():
    return (TRANSITIONS,)
