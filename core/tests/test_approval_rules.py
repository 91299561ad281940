"""The approval rules live once, in core: changes and service requests word them their own way."""

import pytest

from changes import approvals as change_approvals
from core import approval_rules
from core.approval_rules import StageSpec
from core.exceptions import PermissionRefused
from fulfilment import approvals as request_approvals


def test_changes_use_the_core_rules_not_a_copy():
    assert change_approvals.evaluate is approval_rules.evaluate
    assert change_approvals.check_can_decide.func is approval_rules.check_can_decide
    assert change_approvals.offer.func is approval_rules.offer
    assert change_approvals.AlreadyDecided is approval_rules.AlreadyDecided


STAGES = [StageSpec(order=1, name="Manager", mode="any", eligible=frozenset({1, 2, 3}))]


@pytest.mark.parametrize("wording, words, code", [
    (approval_rules.GENERIC, "what they asked for", "own_record"),
    (change_approvals.WORDING, "their own change", "own_change"),
    (request_approvals.WORDING, "their own request", "own_request"),
])
def test_each_record_type_words_the_requester_refusal(wording, words, code):
    with pytest.raises(PermissionRefused, match=words):
        approval_rules.check_can_decide(STAGES, [], actor_id=1, requester_id=1, decision="approve", wording=wording)
    offer = approval_rules.offer(STAGES, [], actor_id=1, requester_id=1, wording=wording)
    assert offer.code == code and offer.personal


def test_further_requesters_never_decide():
    # A request placed for someone: neither the person who placed it nor the person it is for.
    with pytest.raises(PermissionRefused):
        approval_rules.check_can_decide(STAGES, [], actor_id=2, requester_id=1, requester_ids=(2,),
                                        decision="approve")
    assert approval_rules.check_can_decide(STAGES, [], actor_id=3, requester_id=1,
                                           requester_ids=(2,), decision="approve").order == 1
