"""The approvals inbox's change source and the one-stage-per-person rule, through the services
(no HTTP): who is offered which change, at which stage, since when, in how many queries."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from changes import approval_inbox, services
from changes.approvals import AlreadyDecided
from changes.choices import ApprovalMode, ChangeState as S, ChangeType as T, Risk
from changes.models import Approval
from changes.tests.factories import (
    authorize_high, make_change, make_group, make_policy, make_two_stage_policy, to_authorize,
)
from core import approvals as inbox
from core.choices import Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(cab):
    return make_two_stage_policy(cab)


def decide(change, who, decision="approve"):
    return services.decide_approval(change, actor=who, channel=Channel.WEB, decision=decision,
                                    comment="" if decision == "approve" else "No")[1]


def numbers(user):
    return [(item.number, item.stage) for item in inbox.pending_for(user)]


def test_board_member_sees_the_change_at_the_stage_their_vote_is_for(requester, cab, board):
    change = authorize_high(requester)

    items = inbox.pending_for(cab[0])

    assert [(i.kind, i.number, i.title, i.stage, i.requested_by) for i in items] == [
        ("change", change.number, change.title, "Change manager", str(requester))]
    assert items[0].url == f"/changes/{change.pk}/"
    assert items[0].risk == Risk.HIGH and items[0].risk_label == "High" and items[0].risk_badge == "danger"


def test_who_decided_the_first_stage_no_longer_sees_the_change_the_others_see_the_next(requester, cab, board):
    change = authorize_high(requester)
    decide(change, cab[0])

    assert numbers(cab[0]) == []
    assert numbers(cab[1]) == [(change.number, "CAB")] == numbers(cab[2])


def test_second_decision_by_the_same_person_is_refused_with_a_conflict(requester, cab, board):
    change = decide(authorize_high(requester), cab[0])

    with pytest.raises(AlreadyDecided) as info:
        decide(change, cab[0])

    assert info.value.status_code == 409
    assert "Change manager" in str(info.value.message) and "CAB" in str(info.value.message)
    assert Approval.objects.filter(change=change).count() == 1


def test_the_board_decides_with_other_people_and_the_change_is_scheduled(requester, cab, board):
    change = decide(authorize_high(requester), cab[0])
    change = decide(change, cab[1])
    change = decide(change, cab[2])

    assert change.state == S.SCHEDULED
    assert all(numbers(member) == [] for member in cab)


def test_policy_that_lets_approvers_repeat_offers_the_next_stage(requester, cab, board):
    board.approvers_may_repeat = True
    board.save()
    change = decide(authorize_high(requester), cab[0])

    assert numbers(cab[0]) == [(change.number, "CAB")]
    decide(change, cab[0])
    assert Approval.objects.filter(change=change, approver=cab[0]).count() == 2


def test_agents_requesters_and_other_boards_see_nothing(requester, cab, board, agent, make_user):
    authorize_high(requester)
    outsider_board = make_group("Other board", [make_user(Role.AGENT, username="other")])
    make_policy(T.EMERGENCY, [(outsider_board, ApprovalMode.ANY, None)])

    assert numbers(agent) == []
    assert numbers(requester) == []
    assert numbers(outsider_board.members.get()) == []


def test_manager_never_sees_their_own_change(cab, board):
    authorize_high(cab[0])

    assert numbers(cab[0]) == []
    assert len(numbers(cab[1])) == 1


def test_default_policy_any_manager_decides(requester, manager, agent):
    change = to_authorize(make_change(requester), requester, risk=Risk.LOW)

    assert numbers(manager) == [(change.number, "Change manager")]
    assert numbers(agent) == []


def test_changes_not_awaiting_a_decision_are_not_listed(requester, cab, board):
    assessing = make_change(requester)
    scheduled = decide(to_authorize(make_change(requester), requester, risk=Risk.LOW), cab[0])  # default policy

    assert scheduled.state == S.SCHEDULED and assessing.state == S.NEW
    assert numbers(cab[1]) == []


def test_waiting_since_the_earlier_stage_was_decided(requester, cab, board):
    change = authorize_high(requester)
    before = timezone.now()
    entered = inbox.pending_for(cab[1])[0].since
    assert entered <= before
    decide(change, cab[0])

    since = inbox.pending_for(cab[1])[0].since

    assert since == Approval.objects.get(change=change).created_at and since > entered


def test_oldest_waiting_first(requester, cab, board):
    first = authorize_high(requester, title="first")
    second = authorize_high(requester, title="second")

    assert [n for n, _stage in numbers(cab[0])] == [first.number, second.number]


def test_rejected_change_back_in_assessment_leaves_the_inbox(requester, cab, board):
    decide(authorize_high(requester), cab[0], "reject")

    assert all(numbers(member) == [] for member in cab)


def test_query_count_is_constant(requester, cab, board, django_assert_num_queries, manager):
    change = decide(authorize_high(requester), cab[0])
    to_authorize(make_change(requester), requester, risk=Risk.LOW)
    member = type(cab[1]).objects.get(pk=cab[1].pk)  # fresh: role names not on the object

    # The member's role names (then kept per process: accounts.roles.membership), the change
    # source's five, the service requests' one.
    with django_assert_num_queries(7):
        assert len(inbox.pending_for(member)) == 2
    for index in range(4):
        decide(authorize_high(requester, title=f"more {index}"), cab[0])
    member = type(cab[1]).objects.get(pk=cab[1].pk)
    with django_assert_num_queries(6):
        assert len(inbox.pending_for(member)) == 6
    assert change.number in [item.number for item in inbox.pending_for(member)]


def test_person_who_can_decide_nothing_costs_one_query(agent, requester, board, cab, django_assert_num_queries):
    authorize_high(requester)
    agent = type(agent).objects.get(pk=agent.pk)
    agent._role_names = frozenset({Role.AGENT})  # the navigation's role check has run already

    # One query per source (changes, service requests).
    with django_assert_num_queries(2):
        assert inbox.pending_for(agent) == []


def test_change_source_is_registered():
    assert "change" in [source.name for source in inbox.sources()]
    assert approval_inbox.pending in [source.pending for source in inbox.sources()]


def badge(user):
    from types import SimpleNamespace

    return inbox.pending_count_for_request(SimpleNamespace(user=user))


def test_the_badge_is_one_statement_for_every_source_when_nothing_could_wait(agent, requester, board, cab,
                                                                                django_assert_num_queries):
    authorize_high(requester)
    agent = type(agent).objects.get(pk=agent.pk)
    agent._role_names = frozenset({Role.AGENT})

    # The changes' candidates (none) and the service requests' count, together.
    with django_assert_num_queries(1):
        assert badge(agent) == 0


def test_the_badge_counts_what_the_inbox_lists(requester, cab, board, django_assert_num_queries, manager):
    decide(authorize_high(requester), cab[0])
    to_authorize(make_change(requester), requester, risk=Risk.LOW)
    for person in (cab[0], cab[1], manager, requester):
        person = type(person).objects.get(pk=person.pk)
        person._role_names = frozenset(inbox_roles(person))
        assert badge(person) == len(inbox.pending_for(person))
    member = type(cab[1]).objects.get(pk=cab[1].pk)
    member._role_names = frozenset(inbox_roles(member))
    # Candidates: the probe, then the change source's rule over them (its five statements).
    with django_assert_num_queries(6):
        assert badge(member) == 2


def inbox_roles(person):
    from accounts import roles

    return roles.role_names(type(person).objects.get(pk=person.pk))
