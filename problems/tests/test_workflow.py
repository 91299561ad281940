"""The problem life cycle as a table: every (current, target) pair, no database."""

import pytest

from core.exceptions import DomainError, InvalidTransition
from problems.choices import ProblemState as S
from problems.workflow import (
    TRANSITIONS,
    ProblemFacts,
    allowed_targets,
    check_publish_known_error,
    check_transition,
)

FULL = ProblemFacts(root_cause="Firmware bug", workaround="Restart the spooler")
ALLOWED = {
    S.NEW: {S.INVESTIGATION, S.KNOWN_ERROR, S.RESOLVED, S.CANCELLED},
    S.INVESTIGATION: {S.KNOWN_ERROR, S.RESOLVED, S.CANCELLED},
    S.KNOWN_ERROR: {S.INVESTIGATION, S.RESOLVED, S.CANCELLED},
    S.RESOLVED: {S.CLOSED, S.INVESTIGATION},
    S.CLOSED: set(),
    S.CANCELLED: set(),
}
PAIRS = [(current, target) for current in S for target in S if current != target]


def test_table_covers_every_state():
    assert set(TRANSITIONS) == set(S)
    assert {k: set(v) for k, v in TRANSITIONS.items()} == ALLOWED


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_transition_table(current, target):
    if target in ALLOWED[current]:
        check_transition(current, target, FULL)
    else:
        with pytest.raises(InvalidTransition) as refused:
            check_transition(current, target, FULL)
        assert set(refused.value.allowed) == {str(s) for s in ALLOWED[current]}
        for allowed in ALLOWED[current]:
            assert str(allowed) in refused.value.message


def test_cancelled_only_from_open_states():
    sources = {current for current, targets in ALLOWED.items() if S.CANCELLED in targets}
    assert sources == {S.NEW, S.INVESTIGATION, S.KNOWN_ERROR}


def test_same_state_is_not_a_transition():
    # Staying put is no move: nothing to refuse (the form re-posts the current state).
    assert check_transition(S.CLOSED, S.CLOSED) is None


@pytest.mark.parametrize(("facts", "ok"), [
    (ProblemFacts(), False),
    (ProblemFacts(root_cause="   "), False),
    (ProblemFacts(root_cause="Disk full"), True),
    (ProblemFacts(workaround="Clear /tmp"), True),
])
def test_known_error_needs_root_cause_or_workaround(facts, ok):
    if ok:
        check_transition(S.INVESTIGATION, S.KNOWN_ERROR, facts)
    else:
        with pytest.raises(DomainError) as refused:
            check_transition(S.INVESTIGATION, S.KNOWN_ERROR, facts)
        assert refused.value.field == "workaround"


@pytest.mark.parametrize(("facts", "ok"), [
    (ProblemFacts(), False),
    (ProblemFacts(workaround="Clear /tmp"), False),
    (ProblemFacts(root_cause="Disk full"), True),
])
def test_resolved_needs_root_cause(facts, ok):
    if ok:
        check_transition(S.KNOWN_ERROR, S.RESOLVED, facts)
    else:
        with pytest.raises(DomainError) as refused:
            check_transition(S.KNOWN_ERROR, S.RESOLVED, facts)
        assert refused.value.field == "root_cause"


def test_publish_known_error_guards():
    check_publish_known_error(S.INVESTIGATION, ProblemFacts(workaround="x"))
    with pytest.raises(DomainError):
        check_publish_known_error(S.INVESTIGATION, ProblemFacts())
    with pytest.raises(DomainError):
        check_publish_known_error(S.CANCELLED, FULL)


def test_allowed_targets_of_unknown_state_is_empty():
    assert allowed_targets("bogus") == ()
