"""Approval policies: any, all, quorum, stages in order and the refusals, without a database."""

import pytest

from changes.approvals import AlreadyDecided, DecisionFact, StageSpec, check_can_decide, evaluate, offer
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


# --- one stage per person per change per round (separation of duties) -----------------------

def two_stages():
    """A change-manager stage and a board stage, the same people eligible for both."""
    return [stage(1), stage(2, mode=ApprovalMode.QUORUM, quorum=2)]


def test_person_who_decided_a_stage_is_refused_the_next_stage():
    with pytest.raises(AlreadyDecided) as info:
        check_can_decide(two_stages(), [approve(1)], actor_id=1, requester_id=REQUESTER, decision=Decision.APPROVE)
    assert info.value.code == "decided_other_stage"
    assert info.value.status_code == 409
    assert "stage 1" in str(info.value.message) and "stage 2" in str(info.value.message)


def test_another_member_decides_the_next_stage():
    spec = check_can_decide(two_stages(), [approve(1)], actor_id=2, requester_id=REQUESTER, decision=Decision.APPROVE)
    assert spec.order == 2


def test_rejecting_the_next_stage_is_refused_too():
    with pytest.raises(AlreadyDecided):
        check_can_decide(two_stages(), [approve(1)], actor_id=1, requester_id=REQUESTER, decision=Decision.REJECT)


def test_policy_may_let_one_person_decide_several_stages():
    spec = check_can_decide(two_stages(), [approve(1)], actor_id=1, requester_id=REQUESTER,
                            decision=Decision.APPROVE, one_vote_per_person=False)
    assert spec.order == 2


def test_all_stage_does_not_wait_for_who_decided_an_earlier_stage():
    # Member 1 approved stage 1; "every member" of stage 2 means the others, or it could never pass.
    stages = [stage(1), stage(2, mode=ApprovalMode.ALL)]
    decisions = [approve(1), approve(2, 2), approve(3, 2), approve(4, 2)]
    assert status(stages, decisions) == A.APPROVED
    assert evaluate(stages, decisions[:3], requester_id=REQUESTER)[2].required == 3
    # Without the rule the earlier voter counts as a member who still has to approve.
    assert evaluate(stages, decisions, requester_id=REQUESTER, one_vote_per_person=False)[0] == A.PENDING


def test_second_click_on_the_same_stage_is_a_conflict():
    with pytest.raises(AlreadyDecided) as info:
        check_can_decide([stage(mode=ApprovalMode.ALL)], [approve(1)], actor_id=1, requester_id=REQUESTER,
                         decision=Decision.APPROVE)
    assert info.value.status_code == 409


def test_offer_names_the_stage_or_says_why_not():
    assert offer(two_stages(), [], actor_id=1, requester_id=REQUESTER).stage.name == "stage 1"
    assert offer(two_stages(), [approve(1)], actor_id=2, requester_id=REQUESTER).stage.name == "stage 2"
    refused = offer(two_stages(), [approve(1)], actor_id=1, requester_id=REQUESTER)
    assert refused.stage is None and refused.personal and "stage 1" in refused.reason
    own = offer(two_stages(), [], actor_id=REQUESTER, requester_id=REQUESTER)
    assert own.stage is None and own.code == "own_change" and own.personal
    outsider = offer(two_stages(), [], actor_id=42, requester_id=REQUESTER)
    assert outsider.stage is None and not outsider.personal


def test_stage_result_reads_as_words():
    _overall, results, _current = evaluate([stage(1), stage(2, mode=ApprovalMode.QUORUM, quorum=3),
                                            stage(3, mode=ApprovalMode.ALL)], [approve(1)], requester_id=REQUESTER)
    assert [r.rule_label for r in results] == ["any one member", "quorum of 3", "every member"]
    assert results[0].tally_label == "1 of 1 approval"
    assert results[1].tally_label == "0 of 3 approvals"
    assert [r.status_label for r in results] == ["Approved", "Pending", "Pending"]
