"""What fulfilment registers with core: the approvals inbox, mail through the outbox, the
decision link, and tasks that follow the standard change they raised."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone

from changes.models import ChangeTemplate
from core import approvals as inbox
from fulfilment import inbox as fulfilment_inbox, services
from fulfilment.choices import RequestState as S, TaskState as T
from fulfilment.models import Request, Task
from fulfilment.notifications import decision_url, read_token
from fulfilment.services import OrderLine
from fulfilment.tests.factories import group_stage, line_manager_stage, make_item

pytestmark = pytest.mark.django_db


def order(actor, item, **kwargs):
    return services.submit_request(actor, lines=[OrderLine(item, {"model": "X1"})], **kwargs)


def test_inbox_lists_what_the_person_may_decide_now(employee, boss, security_board, hardware_team,
                                                     django_assert_max_num_queries):
    item = make_item(stages=[line_manager_stage(), group_stage(security_board)], plan=[(1, hardware_team, None)])
    requests = [order(employee, item) for _i in range(3)]
    member = security_board.members.first()
    with django_assert_max_num_queries(2):
        mine = fulfilment_inbox.pending(boss)
    assert sorted(p.number for p in mine) == sorted(r.number for r in requests)
    assert mine[0].url.endswith(f"/requests/{mine[0].url.rstrip('/').split('/')[-1]}/")
    assert not [p for p in inbox.pending_for(member) if p.kind == "request"]  # the boss decides first
    services.decide(boss, requests[0], decision="approve")
    assert [p.number for p in inbox.pending_for(member) if p.kind == "request"] == [requests[0].number]
    assert not [p for p in inbox.pending_for(employee) if p.kind == "request"]


def test_nothing_to_decide_is_one_query(employee, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert fulfilment_inbox.pending(employee) == []


def test_approver_mailed_a_signed_link_and_requester_hears_rejection(employee, boss, hardware_team,
                                                                     django_capture_on_commit_callbacks):
    item = make_item(stages=[line_manager_stage()], plan=[(1, hardware_team, None)])
    with django_capture_on_commit_callbacks(execute=True):
        request = order(employee, item)
    to_boss = [m for m in mail.outbox if m.to == [boss.email]]
    assert len(to_boss) == 1 and request.number in to_boss[0].subject
    link = re.search(r"/request-approvals/(\S+)/", to_boss[0].body).group(1)
    assert read_token(link) == (request.pk, boss.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(boss, request, decision="reject", comment="Budget frozen")
    assert [m.to for m in mail.outbox] == [[employee.email]]
    assert "Budget frozen" in mail.outbox[0].body


def test_group_hears_of_open_task_and_requester_of_fulfilment(employee, hardware_team,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = order(employee, make_item(plan=[(1, hardware_team, None)]))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in hardware_team.members.all())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_task(hardware_team.members.first(), Task.objects.get(request=request), state=T.DONE)
    assert [m.to for m in mail.outbox] == [[employee.email]]
    assert request.number in mail.outbox[0].subject


def test_forged_or_expired_link_is_404(client, boss):
    client.force_login(boss)
    assert client.get("/request-approvals/forged/").status_code == 404
    old = signing.dumps({"r": 1, "u": boss.pk}, salt="wrong")
    assert client.get(f"/request-approvals/{old}/").status_code == 404


def test_decide_by_link(client, employee, boss, hardware_team):
    request = order(employee, make_item(stages=[line_manager_stage()], plan=[(1, hardware_team, None)]))
    url = decision_url(request.pk, boss.pk)
    assert url.startswith("/request-approvals/")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous.url
    client.force_login(employee)
    assert client.get(url).status_code == 403  # the link was sent to the boss
    client.logout()
    client.force_login(boss)
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="decision-form"' in page.content.decode()
    refused = client.post(url, {"decision": "reject", "comment": ""})
    assert refused.status_code == 400 and Request.objects.get(pk=request.pk).state == S.AWAITING_APPROVAL
    done = client.post(url, {"decision": "approve", "comment": "OK"})
    assert done.status_code == 302
    assert Request.objects.get(pk=request.pk).state == S.IN_FULFILMENT
    again = client.get(url)
    assert 'data-testid="nothing-to-decide"' in again.content.decode()
    twice = client.post(url, {"decision": "approve", "comment": ""})
    assert twice.status_code == 409


def test_plan_step_raises_a_standard_change_and_completes_with_it(employee, agent, hardware_team, network_team):
    from changes import services as change_services
    from changes.choices import ChangeState

    template = ChangeTemplate.objects.create(name="Grant DB access", implementation_plan="Grant",
                                             backout_plan="Revoke", test_plan="Log in")
    item = make_item(plan=[(1, hardware_team, template), (2, network_team, None)])
    request = order(employee, item)
    task = Task.objects.get(request=request, stage=1)
    change = task.change
    assert change is not None and change.type == "standard" and change.requested_by == employee
    assert change.fulfilment_task == task and request.number in change.title
    hw = hardware_team.members.first()
    with pytest.raises(Exception, match="completes when its change"):
        services.update_task(hw, task, state=T.DONE)
    hardware_team.members.add(agent)
    start = timezone.now() + timedelta(days=1)
    change = change_services.update_change(change, actor=agent, channel="web",
                                           changes={"planned_start": start, "planned_end": start + timedelta(hours=1)})
    for target in (ChangeState.SCHEDULED, ChangeState.IMPLEMENT, ChangeState.REVIEW, ChangeState.CLOSED):
        change = change_services.transition_change(change, actor=agent, channel="web", target=target,
                                                   outcome="successful")
    task.refresh_from_db()
    assert task.state == T.DONE
    assert Task.objects.get(request=request, stage=2).state == T.OPEN
