"""Approval policies: any, all, quorum, stages in order and the refusals, without a database."""

import pytest

from changes.approvals import DecisionFact, StageSpec, check_can_decide, evaluate
from changes.choices import ApprovalMode, ApprovalStatus as A, Decision
from core.exceptions import DomainError, PermissionRefused

REQUESTER = 99
BOARD = frozenset({1, 2, 3, 4})


def stage(order=1, mode=ApprovalMode.ANY, eligible=BOARD, quorum=None):
    return StageSpec(order=order, name=f"stage {order}", mode=mode, eligible=frozenset(eligible), quorum=quorum)


def approve(who, order=1):
    return DecisionFact(order, who, Decision.APPROVE)


def reject(who, order=1):
    return DecisionFact(order, who, Decision.REJECT)


def status(stages, decisions, requester=REQUESTER):
    return evaluate(stages, decisions, requester_id=requester)[0]


def test_no_stages_means_not_required():
    assert status([], []) == A.NOT_REQUIRED


def test_any_one_member_approves():
    assert status([stage()], []) == A.PENDING
    assert status([stage()], [approve(2)]) == A.APPROVED


def test_all_members_must_approve():
    stages = [stage(mode=ApprovalMode.ALL)]
    assert status(stages, [approve(1), approve(2), approve(3)]) == A.PENDING
    assert status(stages, [approve(1), approve(2), approve(3), approve(4)]) == A.APPROVED


def test_all_excludes_the_requester_from_the_required_set():
    stages = [stage(mode=ApprovalMode.ALL)]
    assert status(stages, [approve(1), approve(2), approve(3)], requester=4) == A.APPROVED


def test_quorum():
    stages = [stage(mode=ApprovalMode.QUORUM, quorum=3)]
    assert status(stages, [approve(1), approve(2)]) == A.PENDING
    assert status(stages, [approve(1), approve(2), approve(4)]) == A.APPROVED


def test_any_rejection_rejects():
    assert status([stage(mode=ApprovalMode.QUORUM, quorum=2)], [approve(1), reject(2)]) == A.REJECTED


def test_stages_in_order():
    stages = [stage(1), stage(2, eligible={7, 8}, mode=ApprovalMode.ALL)]
    overall, results, current = evaluate(stages, [approve(1)], requester_id=REQUESTER)
    assert overall == A.PENDING
    assert [r.status for r in results] == [A.APPROVED, A.PENDING]
    assert current.spec.order == 2
    assert status(stages, [approve(1), approve(7, 2), approve(8, 2)]) == A.APPROVED


def test_later_stage_cannot_decide_before_earlier():
    stages = [stage(1, eligible={1}), stage(2, eligible={7})]
    with pytest.raises(PermissionRefused):
        check_can_decide(stages, [], actor_id=7, requester_id=REQUESTER, decision=Decision.APPROVE)


def test_requester_never_approves_own_change():
    with pytest.raises(PermissionRefused) as info:
        check_can_decide([stage(eligible={REQUESTER, 1})], [], actor_id=REQUESTER, requester_id=REQUESTER,
                         decision=Decision.APPROVE)
    assert "own change" in str(info.value.message)


def test_approving_twice_refused():
    stages = [stage(mode=ApprovalMode.ALL)]
    with pytest.raises(DomainError) as info:
        check_can_decide(stages, [approve(1)], actor_id=1, requester_id=REQUESTER, decision=Decision.APPROVE)
    assert info.value.code == "already_decided"


def test_no_right_refused():
    with pytest.raises(PermissionRefused):
        check_can_decide([stage()], [], actor_id=42, requester_id=REQUESTER, decision=Decision.APPROVE)


def test_decided_change_refuses_more_decisions():
    with pytest.raises(DomainError) as info:
        check_can_decide([stage()], [approve(1)], actor_id=2, requester_id=REQUESTER, decision=Decision.APPROVE)
    assert info.value.code == "decided"


def test_bad_decision_value():
    with pytest.raises(DomainError) as info:
        check_can_decide([stage()], [], actor_id=1, requester_id=REQUESTER, decision="maybe")
    assert info.value.field == "decision"


def test_eligible_member_gets_current_stage():
    spec = check_can_decide([stage()], [], actor_id=3, requester_id=REQUESTER, decision=Decision.REJECT)
    assert spec.order == 1
