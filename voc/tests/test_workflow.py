"""The VOC rules, without a database."""

import datetime as dt

import pytest

from core.exceptions import DomainError, InvalidTransition
from voc import workflow
from voc.choices import VocKind, VocState
from voc.workflow import VocFacts

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)


def test_a_complaint_is_not_closed_without_a_response():
    with pytest.raises(DomainError) as refused:
        workflow.check_transition(VocFacts(state=VocState.RESPONDED, kind=VocKind.COMPLAINT), VocState.CLOSED)
    assert refused.value.field == "response"
    workflow.check_transition(VocFacts(state=VocState.RESPONDED, kind=VocKind.COMPLAINT, response="Fixed."),
                              VocState.CLOSED)


def test_responded_needs_a_response_and_closing_from_new_is_not_a_move():
    with pytest.raises(DomainError):
        workflow.check_transition(VocFacts(state=VocState.NEW, kind=VocKind.INQUIRY), VocState.RESPONDED)
    with pytest.raises(InvalidTransition):
        workflow.check_transition(VocFacts(state=VocState.NEW, kind=VocKind.INQUIRY, response="x"), VocState.CLOSED)


def test_the_person_who_raised_it_may_only_withdraw_it():
    facts = VocFacts(state=VocState.NEW, kind=VocKind.COMPLAINT)
    assert workflow.allowed_targets(facts, is_agent=False) == (VocState.WITHDRAWN,)
    with pytest.raises(InvalidTransition):
        workflow.check_transition(facts, VocState.IN_PROGRESS, is_agent=False)


def test_due_dates_by_kind_and_the_settings_override():
    assert workflow.due_at(VocKind.COMPLAINT, NOW) == NOW + dt.timedelta(days=7)
    assert workflow.due_at(VocKind.INQUIRY, NOW) == NOW + dt.timedelta(days=3)
    assert workflow.due_at(VocKind.COMPLAINT, NOW, {"complaint": 10}) == NOW + dt.timedelta(days=10)


def test_only_old_open_unescalated_complaints_need_escalation():
    old = NOW - dt.timedelta(days=4)
    assert workflow.needs_escalation(kind=VocKind.COMPLAINT, state=VocState.NEW, created_at=old, escalation_level=0,
                                     now=NOW, after_days=3)
    assert not workflow.needs_escalation(kind=VocKind.COMPLAINT, state=VocState.NEW, created_at=old,
                                         escalation_level=1, now=NOW, after_days=3)
    assert not workflow.needs_escalation(kind=VocKind.SUGGESTION, state=VocState.NEW, created_at=old,
                                         escalation_level=0, now=NOW, after_days=3)
    assert not workflow.needs_escalation(kind=VocKind.COMPLAINT, state=VocState.NEW, created_at=NOW,
                                         escalation_level=0, now=NOW, after_days=3)


def test_overdue():
    assert workflow.is_overdue(state=VocState.IN_PROGRESS, due=NOW - dt.timedelta(hours=1), now=NOW)
    assert not workflow.is_overdue(state=VocState.RESPONDED, due=NOW - dt.timedelta(hours=1), now=NOW)
