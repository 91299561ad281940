"""Gaps closed in issue 13: abandoned cart files are purged on a schedule, a cancelled request
withdraws the standard change it raised, and a quorum nobody can reach is lowered."""

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from changes.choices import ChangeState
from changes.models import ChangeTemplate
from core.models import Comment
from fulfilment import cart, services
from fulfilment.choices import RequestState as S, TaskState as T
from fulfilment.models import Task
from fulfilment.services import OrderLine
from fulfilment.tests.factories import group_stage, make_group, make_item

pytestmark = pytest.mark.django_db


def order(actor, item, **kwargs):
    return services.submit_request(actor, lines=[OrderLine(item, {"model": "X1"})], **kwargs)


# --- abandoned cart files ------------------------------------------------------------------

def test_cart_purge_is_on_the_beat_schedule():
    from itsm.celery import app

    entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == "fulfilment.tasks.purge_cart_files")
    assert entry["schedule"] <= 24 * 3600
    # the core sweeps are still there beside the apps' entries from settings
    assert any(e["task"] == "core.tasks.deliver_outbox" for e in app.conf.beat_schedule.values())


def test_the_task_deletes_staged_files_older_than_a_day_only():
    from fulfilment.tasks import purge_cart_files

    old = default_storage.save(f"{cart.STAGING}/oldkey/receipt.pdf", ContentFile(b"%PDF-1.4 old"))
    fresh = default_storage.save(f"{cart.STAGING}/newkey/receipt.pdf", ContentFile(b"%PDF-1.4 new"))
    two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    try:
        assert purge_cart_files.delay().get() == 1
        assert not default_storage.exists(old) and default_storage.exists(fresh)
        assert purge_cart_files.delay().get() == 0  # safe to run twice
    finally:
        default_storage.delete(fresh)


# --- a cancelled request and the standard change it raised ----------------------------------

@pytest.fixture
def access_item(hardware_team, network_team):
    template = ChangeTemplate.objects.create(name="Grant DB access", implementation_plan="Grant",
                                             backout_plan="Revoke", test_plan="Log in")
    return make_item(plan=[(1, hardware_team, template), (2, network_team, None)])


def _move_change(change, agent, *targets):
    from changes import services as change_services

    start = timezone.now() + dt.timedelta(days=1)
    change = change_services.update_change(change, actor=agent, channel="web",
                                           changes={"planned_start": start, "planned_end": start + dt.timedelta(hours=1)})
    for target in targets:
        change = change_services.transition_change(change, actor=agent, channel="web", target=target,
                                                   outcome="successful")
    return change


@pytest.mark.parametrize("moves", [(), (ChangeState.SCHEDULED,)], ids=["new", "scheduled"])
def test_cancelling_the_request_cancels_its_change_not_yet_implemented(employee, agent, hardware_team, access_item,
                                                                       moves):
    request = order(employee, access_item)
    task = Task.objects.get(request=request, stage=1)
    if moves:
        hardware_team.members.add(agent)
        _move_change(task.change, agent, *moves)
    # the requester (not desk staff) withdraws the request
    services.cancel_request(employee, request, reason="No longer needed")
    task.refresh_from_db()
    change = task.change
    change.refresh_from_db()
    assert change.state == ChangeState.CANCELLED
    # the task stays cancelled with its request (not failed by the change's cancellation)
    assert task.state == T.CANCELLED
    request.refresh_from_db()
    assert request.state == S.CANCELLED


def test_a_change_being_implemented_gets_a_work_note_instead(employee, agent, hardware_team, access_item):
    request = order(employee, access_item)
    task = Task.objects.get(request=request, stage=1)
    hardware_team.members.add(agent)
    change = _move_change(task.change, agent, ChangeState.SCHEDULED, ChangeState.IMPLEMENT)
    services.cancel_request(employee, request, reason="Project stopped")
    change.refresh_from_db()
    assert change.state == ChangeState.IMPLEMENT  # nobody undoes half-done work from a form
    note = Comment.objects.get(object_id=change.pk, content_type__model="change")
    assert note.internal and note.author == employee
    assert request.number in note.body and task.number in note.body and "Project stopped" in note.body
    task.refresh_from_db()
    assert task.state == T.CANCELLED


def test_a_closed_change_is_left_alone(employee, agent, hardware_team, access_item):
    request = order(employee, access_item)
    first = Task.objects.get(request=request, stage=1)
    hardware_team.members.add(agent)
    _move_change(first.change, agent, ChangeState.SCHEDULED, ChangeState.IMPLEMENT, ChangeState.REVIEW,
                 ChangeState.CLOSED)
    first.refresh_from_db()
    assert first.state == T.DONE  # stage 2 is open now
    services.cancel_request(employee, request, reason="Changed my mind")
    first.change.refresh_from_db()
    assert first.change.state == ChangeState.CLOSED
    assert not Comment.objects.filter(object_id=first.change_id, content_type__model="change").exists()


# --- a quorum larger than the people who may decide -----------------------------------------

def test_a_quorum_larger_than_the_group_is_lowered_to_its_eligible_members(employee, make_user, hardware_team):
    board = make_group("Small board", [make_user("agent", username="b1"), make_user("agent", username="b2")])
    request = order(employee, make_item(stages=[group_stage(board, "quorum", 3)], plan=[(1, hardware_team, None)]))
    stage = request.items.get().approval_plan[0]
    assert stage["quorum"] == 2 and stage["quorum_configured"] == 3
    first, second = board.members.order_by("pk")
    _w, request = services.decide(first, request, decision="approve")
    assert request.state == S.AWAITING_APPROVAL
    _w, request = services.decide(second, request, decision="approve")
    assert request.state == S.IN_FULFILMENT


def test_the_requester_on_the_group_does_not_count_towards_the_quorum(make_user, hardware_team):
    requester = make_user("agent", username="asker")
    other = make_user("agent", username="other")
    board = make_group("Two-person board", [requester, other])
    request = order(requester, make_item(stages=[group_stage(board, "quorum", 2)], plan=[(1, hardware_team, None)]))
    stage = request.items.get().approval_plan[0]
    assert stage["eligible"] == [other.pk] and stage["quorum"] == 1
    _w, request = services.decide(other, request, decision="approve")
    assert request.state == S.IN_FULFILMENT


def test_a_reachable_quorum_is_kept_as_configured(employee, security_board, hardware_team):
    request = order(employee, make_item(stages=[group_stage(security_board, "quorum", 2)],
                                        plan=[(1, hardware_team, None)]))
    stage = request.items.get().approval_plan[0]
    assert stage["quorum"] == 2 and "quorum_configured" not in stage
