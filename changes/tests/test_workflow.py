"""The change life cycle table and its guards, without a database."""

from datetime import datetime, timedelta, timezone

import pytest

from changes import workflow
from changes.choices import ChangeState as S, ChangeType as T, Outcome
from changes.workflow import TRANSITIONS, ChangeFacts, check_transition
from core.exceptions import DomainError, InvalidTransition

START = datetime(2026, 12, 1, 22, 0, tzinfo=timezone.utc)
READY = dict(implementation_plan="do", backout_plan="undo", test_plan="check", planned_start=START,
             planned_end=START + timedelta(hours=2), risk="low", emergency_reason="outage",
             has_template=True, approved=True, outcome=Outcome.SUCCESSFUL, has_pir=True)

ALL_PAIRS = [(t, s, target) for t in T for s in S for target in S]


@pytest.mark.parametrize(("change_type", "state", "target"), ALL_PAIRS)
def test_table_decides_every_pair(change_type, state, target):
    # given a change with everything in place
    facts = ChangeFacts(type=change_type, state=state, **READY)
    allowed = TRANSITIONS[change_type].get(state, ())
    # when / then
    if target in allowed:
        check_transition(facts, target)
    else:
        with pytest.raises(InvalidTransition) as info:
            check_transition(facts, target)
        assert info.value.allowed == list(allowed)


def test_invalid_transition_names_allowed_targets():
    facts = ChangeFacts(type=T.NORMAL, state=S.NEW, **READY)
    with pytest.raises(InvalidTransition) as info:
        check_transition(facts, S.CLOSED)
    assert info.value.allowed == [S.ASSESS, S.CANCELLED]
    assert "assess, cancelled" in str(info.value.message)


def test_terminal_states_allow_nothing():
    for change_type in T:
        assert workflow.allowed_targets(change_type, S.CLOSED) == ()
        assert workflow.allowed_targets(change_type, S.CANCELLED) == ()


@pytest.mark.parametrize("missing", ["implementation_plan", "backout_plan", "test_plan"])
def test_authorisation_needs_every_plan(missing):
    facts = ChangeFacts(type=T.NORMAL, state=S.ASSESS, **{**READY, missing: "  "})
    with pytest.raises(DomainError) as info:
        check_transition(facts, S.AUTHORIZE)
    assert info.value.field == missing


def test_window_ending_before_start_is_refused():
    facts = ChangeFacts(type=T.NORMAL, state=S.ASSESS, **{**READY, "planned_end": START - timedelta(hours=1)})
    with pytest.raises(DomainError) as info:
        check_transition(facts, S.AUTHORIZE)
    assert info.value.field == "planned_end"
    assert "ends before it starts" in str(info.value.message)


def test_window_required():
    facts = ChangeFacts(type=T.NORMAL, state=S.ASSESS, **{**READY, "planned_start": None})
    with pytest.raises(DomainError) as info:
        check_transition(facts, S.AUTHORIZE)
    assert info.value.field == "planned_start"


def test_normal_change_needs_risk_before_authorisation():
    facts = ChangeFacts(type=T.NORMAL, state=S.ASSESS, **{**READY, "risk": ""})
    with pytest.raises(DomainError) as info:
        check_transition(facts, S.AUTHORIZE)
    assert info.value.field == "risk"


@pytest.mark.parametrize("change_type", [T.NORMAL, T.EMERGENCY])
def test_scheduling_needs_approval(change_type):
    facts = ChangeFacts(type=change_type, state=S.AUTHORIZE, **{**READY, "approved": False})
    with pytest.raises(DomainError) as info:
        check_transition(facts, S.SCHEDULED)
    assert info.value.code == "not_approved"


def test_standard_change_needs_no_approval_but_a_template():
    check_transition(ChangeFacts(type=T.STANDARD, state=S.NEW, **{**READY, "approved": False}), S.SCHEDULED)
    with pytest.raises(DomainError) as info:
        check_transition(ChangeFacts(type=T.STANDARD, state=S.NEW, **{**READY, "has_template": False}),
                         S.SCHEDULED)
    assert info.value.field == "template"


def test_emergency_needs_reason():
    facts = ChangeFacts(type=T.EMERGENCY, state=S.NEW, **{**READY, "emergency_reason": ""})
    with pytest.raises(DomainError) as info:
        check_transition(facts, S.AUTHORIZE)
    assert info.value.field == "emergency_reason"


def test_freeze_blocks_unless_emergency():
    with pytest.raises(DomainError) as info:
        check_transition(ChangeFacts(type=T.NORMAL, state=S.AUTHORIZE, **{**READY, "freeze_blocks": True}),
                         S.SCHEDULED)
    assert info.value.code == "freeze"
    check_transition(ChangeFacts(type=T.EMERGENCY, state=S.AUTHORIZE, **{**READY, "freeze_blocks": True}),
                     S.SCHEDULED)


def test_review_needs_outcome():
    with pytest.raises(DomainError) as info:
        check_transition(ChangeFacts(type=T.NORMAL, state=S.IMPLEMENT, **{**READY, "outcome": ""}), S.REVIEW)
    assert info.value.field == "outcome"


@pytest.mark.parametrize(("change_type", "outcome", "needs"), [
    (T.NORMAL, Outcome.SUCCESSFUL, False),
    (T.NORMAL, Outcome.SUCCESSFUL_WITH_ISSUES, False),
    (T.NORMAL, Outcome.FAILED, True),
    (T.NORMAL, Outcome.BACKED_OUT, True),
    (T.STANDARD, Outcome.FAILED, True),
    (T.EMERGENCY, Outcome.SUCCESSFUL, True),
])
def test_closing_needs_pir_for_failed_and_emergency(change_type, outcome, needs):
    facts = ChangeFacts(type=change_type, state=S.REVIEW, **{**READY, "outcome": outcome, "has_pir": False})
    if needs:
        with pytest.raises(DomainError) as info:
            check_transition(facts, S.CLOSED)
        assert info.value.code == "pir_required"
    else:
        check_transition(facts, S.CLOSED)
