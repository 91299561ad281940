"""Release life cycle and readiness, without a database."""

import pytest

from changes.choices import AUTHORISED_STATES
from core.exceptions import DomainError, InvalidTransition
from releases.choices import DeploymentState as D, Environment, ReleaseState as S
from releases.workflow import (
    DEPLOYMENT_TRANSITIONS,
    TRANSITIONS,
    ChangeFact,
    check_can_start_deployment,
    check_deployment_transition,
    check_transition,
    readiness,
)


@pytest.mark.parametrize(("state", "target"), [(s, t) for s in S for t in S])
def test_release_table(state, target):
    if target in TRANSITIONS[state]:
        check_transition(state, target)
    else:
        with pytest.raises(InvalidTransition) as info:
            check_transition(state, target)
        assert info.value.allowed == list(TRANSITIONS[state])


@pytest.mark.parametrize(("state", "target"), [(s, t) for s in D for t in D])
def test_deployment_table(state, target):
    if target in DEPLOYMENT_TRANSITIONS[state]:
        check_deployment_transition(state, target)
    else:
        with pytest.raises(InvalidTransition):
            check_deployment_transition(state, target)


def ready(changes=(("CHG1", "scheduled"),), tests_passed=True, summary="all green"):
    return readiness([ChangeFact(n, s) for n, s in changes], tests_passed=tests_passed, test_summary=summary,
                     authorised_states=AUTHORISED_STATES)


@pytest.mark.parametrize("state", sorted(AUTHORISED_STATES))
def test_authorised_changes_and_tests_make_ready(state):
    assert ready(changes=[("CHG1", state)]).ready


@pytest.mark.parametrize("state", ["new", "assess", "authorize", "cancelled"])
def test_unauthorised_change_blocks(state):
    result = ready(changes=[("CHG1", "closed"), ("CHG2", state)])
    assert not result.ready
    assert result.failures() == [("changes_authorised", "Every change is authorised", "CHG2")]


def test_tests_must_be_recorded_and_passed():
    assert not ready(tests_passed=False).ready
    assert not ready(summary="  ").ready


def test_empty_release_not_ready():
    assert not ready(changes=[]).ready


def test_production_needs_readiness_and_deploy_state():
    with pytest.raises(DomainError) as info:
        check_can_start_deployment(Environment.PRODUCTION, S.DEPLOY, ready(tests_passed=False))
    assert info.value.code == "not_ready"
    with pytest.raises(DomainError) as info:
        check_can_start_deployment(Environment.PRODUCTION, S.TEST, ready())
    assert info.value.code == "not_deploy"
    check_can_start_deployment(Environment.PRODUCTION, S.DEPLOY, ready())
    check_can_start_deployment(Environment.TEST, S.BUILD, ready(tests_passed=False))
