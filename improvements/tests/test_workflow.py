"""The register's state machine, without a database."""

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import DomainError, InvalidTransition
from improvements import workflow
from improvements.choices import ImprovementState as S
from improvements.choices import Kind
from improvements.workflow import ImprovementFacts

MEASURED = dict(result_value=Decimal("3"), result_date=date(2026, 11, 30), verified_by_id=7)


@pytest.mark.parametrize(("current", "target"), [
    (S.PROPOSED, S.APPROVED), (S.PROPOSED, S.REJECTED), (S.PROPOSED, S.CANCELLED), (S.APPROVED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.IMPLEMENTED), (S.IMPLEMENTED, S.CLOSED_EFFECTIVE), (S.IMPLEMENTED, S.CLOSED_INEFFECTIVE),
    (S.IMPLEMENTED, S.IN_PROGRESS),
])
def test_allowed_moves_pass_when_their_guards_are_met(current, target):
    facts = ImprovementFacts(state=current, owner_id=1, closure_note="Why", **MEASURED)
    workflow.check_transition(facts, target)


@pytest.mark.parametrize(("current", "target"), [
    (S.PROPOSED, S.IMPLEMENTED), (S.PROPOSED, S.CLOSED_EFFECTIVE), (S.APPROVED, S.CLOSED_EFFECTIVE),
    (S.IN_PROGRESS, S.CLOSED_EFFECTIVE), (S.CLOSED_EFFECTIVE, S.IN_PROGRESS), (S.REJECTED, S.PROPOSED),
    (S.CANCELLED, S.APPROVED),
])
def test_other_moves_are_refused_naming_the_allowed_ones(current, target):
    with pytest.raises(InvalidTransition) as refused:
        workflow.check_transition(ImprovementFacts(state=current, owner_id=1, **MEASURED), target)
    assert refused.value.field == "state"
    assert refused.value.allowed == [str(s) for s in workflow.TRANSITIONS[current]]


@pytest.mark.parametrize(("missing", "field"), [
    ({"result_value": None}, "result"), ({"result_date": None}, "result"), ({"verified_by_id": None}, "verified_by"),
])
def test_closing_as_effective_needs_the_measured_result_its_date_and_verifier(missing, field):
    facts = ImprovementFacts(state=S.IMPLEMENTED, **{**MEASURED, **missing})
    with pytest.raises(DomainError) as refused:
        workflow.check_transition(facts, S.CLOSED_EFFECTIVE)
    assert refused.value.field == field


def test_a_corrective_action_also_needs_its_effectiveness_review():
    facts = ImprovementFacts(state=S.IMPLEMENTED, kind=Kind.CORRECTIVE_ACTION, **MEASURED)
    with pytest.raises(DomainError) as refused:
        workflow.check_transition(facts, S.CLOSED_EFFECTIVE)
    assert refused.value.field == "effectiveness_review"
    workflow.check_transition(ImprovementFacts(state=S.IMPLEMENTED, kind=Kind.CORRECTIVE_ACTION,
                                               effectiveness_review="Sampled 20: all fine.", **MEASURED),
                              S.CLOSED_EFFECTIVE)


@pytest.mark.parametrize("target", [S.CLOSED_INEFFECTIVE, S.REJECTED])
def test_closing_as_not_effective_or_rejecting_needs_a_note(target):
    current = S.IMPLEMENTED if target == S.CLOSED_INEFFECTIVE else S.PROPOSED
    with pytest.raises(DomainError) as refused:
        workflow.check_transition(ImprovementFacts(state=current, closure_note="  "), target)
    assert refused.value.field == "closure_note"


def test_work_starts_only_with_an_owner():
    with pytest.raises(DomainError) as refused:
        workflow.check_transition(ImprovementFacts(state=S.APPROVED), S.IN_PROGRESS)
    assert refused.value.field == "owner"


def test_staying_in_the_same_state_is_not_a_move():
    workflow.check_transition(ImprovementFacts(state=S.PROPOSED), S.PROPOSED)
