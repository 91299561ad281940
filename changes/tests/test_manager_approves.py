"""Holders of the manager role approve under the default policy, including a manager appointed
by the operator command after the approval boards were set up (issue 10, defect 9)."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from changes import demo, services
from changes.choices import ApprovalMode, ChangeState as S, ChangeType as T, Risk
from changes.models import ApprovalPolicy
from changes.tests.factories import make_change, make_group, make_policy, to_authorize
from core.choices import Channel
from core.exceptions import PermissionRefused

pytestmark = pytest.mark.django_db


def _command_manager(username="newmanager"):
    call_command("create_user", username, "--role", Role.MANAGER, "--email", f"{username}@example.com")
    return User.objects.get(username=username)


def test_command_manager_approves_when_no_policy_is_configured(requester):
    manager = _command_manager()
    change = to_authorize(make_change(requester), requester)

    _approval, change = services.decide_approval(change, actor=manager, channel=Channel.WEB, decision="approve")

    assert change.state == S.SCHEDULED


def test_command_manager_approves_under_the_seeded_change_manager_stage(requester, make_user):
    # given the seeded approval policies, their board made of the managers there were then
    make_user(Role.MANAGER, username="boardmember")
    demo._configuration(SimpleNamespace(shared={}, now=timezone.now()))
    # and a manager appointed afterwards, on no board
    manager = _command_manager()
    change = to_authorize(make_change(requester), requester, risk=Risk.LOW)
    assert change.approval_policy == ApprovalPolicy.objects.get(name="Normal, low risk: change manager")

    _approval, change = services.decide_approval(change, actor=manager, channel=Channel.WEB, decision="approve")

    assert change.state == S.SCHEDULED


def test_stage_marked_for_managers_admits_the_role_besides_its_group(requester, make_user):
    board = make_group("Board", [make_user(Role.MANAGER, username="member")])
    policy = make_policy(T.NORMAL, [(board, ApprovalMode.ANY, None)], risk=Risk.LOW)
    policy.stages.update(managers_decide=True)
    manager = _command_manager()
    change = to_authorize(make_change(requester), requester, risk=Risk.LOW)

    _approval, change = services.decide_approval(change, actor=manager, channel=Channel.WEB, decision="approve")

    assert change.state == S.SCHEDULED


def test_board_stage_still_refuses_a_manager_outside_its_group(requester, make_user):
    board = make_group("Board", [make_user(Role.MANAGER, username="member")])
    make_policy(T.NORMAL, [(board, ApprovalMode.ANY, None)], risk=Risk.LOW)
    manager = _command_manager()
    change = to_authorize(make_change(requester), requester, risk=Risk.LOW)

    with pytest.raises(PermissionRefused, match="not an approver"):
        services.decide_approval(change, actor=manager, channel=Channel.WEB, decision="approve")
