"""The incident life cycle as a table, without a database."""

from datetime import datetime, timedelta, timezone

import pytest

from core.exceptions import DomainError, InvalidTransition
from incidents import workflow
from incidents.choices import IncidentState as S

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
ALL = list(S)

EXPECTED = {
    S.NEW: {S.IN_PROGRESS, S.ON_HOLD, S.RESOLVED, S.CANCELLED},
    S.IN_PROGRESS: {S.ON_HOLD, S.RESOLVED, S.CANCELLED},
    S.ON_HOLD: {S.IN_PROGRESS, S.RESOLVED, S.CANCELLED},
    S.RESOLVED: {S.CLOSED, S.IN_PROGRESS},
    S.CLOSED: set(),
    S.CANCELLED: set(),
}
GUARDS = {"on_hold_reason": "awaiting_caller", "resolution_code": "solved_permanently", "resolution_notes": "Fixed"}


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_agent_transition_table(current, target):
    # given an agent with every guard satisfied
    allowed = target in EXPECTED[current]
    # when / then
    if allowed:
        assert workflow.check_transition(current, target, now=NOW, **GUARDS) is None
    else:
        with pytest.raises(InvalidTransition) as refused:
            workflow.check_transition(current, target, now=NOW, **GUARDS)
        assert sorted(refused.value.allowed) == sorted(EXPECTED[current])


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_caller_may_only_withdraw_confirm_or_reopen(current, target):
    caller_table = {S.NEW: {S.CANCELLED}, S.RESOLVED: {S.CLOSED, S.IN_PROGRESS}}
    allowed = target in caller_table.get(current, set())
    if allowed:
        workflow.check_transition(current, target, is_agent=False, resolved_at=NOW, now=NOW, **GUARDS)
    else:
        with pytest.raises(InvalidTransition):
            workflow.check_transition(current, target, is_agent=False, resolved_at=NOW, now=NOW, **GUARDS)


def test_invalid_transition_message_names_allowed_states():
    with pytest.raises(InvalidTransition) as refused:
        workflow.check_transition(S.CLOSED, S.IN_PROGRESS)
    assert refused.value.allowed == []
    with pytest.raises(InvalidTransition) as refused:
        workflow.check_transition(S.NEW, S.CLOSED)
    assert "in_progress, on_hold, resolved, cancelled" in str(refused.value.message)


def test_on_hold_needs_a_reason():
    with pytest.raises(DomainError) as refused:
        workflow.check_transition(S.IN_PROGRESS, S.ON_HOLD, on_hold_reason="")
    assert refused.value.field == "on_hold_reason"


@pytest.mark.parametrize(("code", "notes", "field"), [
    ("", "Restarted the service", "resolution_code"),
    ("bogus", "Restarted the service", "resolution_code"),
    ("solved_permanently", "  ", "resolution_notes"),
])
def test_resolving_needs_code_and_notes(code, notes, field):
    with pytest.raises(DomainError) as refused:
        workflow.check_transition(S.IN_PROGRESS, S.RESOLVED, resolution_code=code, resolution_notes=notes)
    assert refused.value.field == field


@pytest.mark.parametrize(("resolved_days_ago", "allowed"), [(0, True), (7, True), (8, False)])
def test_caller_reopen_window(resolved_days_ago, allowed):
    resolved_at = NOW - timedelta(days=resolved_days_ago)
    call = lambda: workflow.check_transition(  # noqa: E731
        S.RESOLVED, S.IN_PROGRESS, is_agent=False, resolved_at=resolved_at, now=NOW, reopen_window_days=7)
    if allowed:
        call()
    else:
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == "reopen_window"


def test_agent_may_reopen_after_the_window():
    assert workflow.check_transition(S.RESOLVED, S.IN_PROGRESS, resolved_at=NOW - timedelta(days=30),
                                     now=NOW) is None


@pytest.mark.parametrize(("state", "days", "due"), [
    (S.RESOLVED, 5, True), (S.RESOLVED, 4, False), (S.IN_PROGRESS, 10, False), (S.CLOSED, 10, False),
])
def test_due_for_auto_close(state, days, due):
    assert workflow.due_for_auto_close(state, NOW - timedelta(days=days), now=NOW, after_days=5) is due


def test_reopen_clears_the_resolution_and_leaving_hold_clears_the_reason():
    assert workflow.fields_cleared_by(S.RESOLVED, S.IN_PROGRESS) == {
        "resolution_code": "", "resolution_notes": "", "resolved_at": None}
    assert workflow.fields_cleared_by(S.ON_HOLD, S.IN_PROGRESS) == {"on_hold_reason": ""}
