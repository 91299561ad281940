"""The desk's request list, request page, task queue and task page (issue 13, agents' desk)."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Team
from accounts.roles import Role
from core.choices import Decision
from fulfilment import services
from fulfilment.choices import RequestState, TaskState
from fulfilment.models import Request, Task
from fulfilment.tests.desk_world import laptop_item, make_request, manager_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(agent, other_agent):
    hardware = Team.objects.create(name="Hardware team")
    hardware.members.add(agent)
    imaging = Team.objects.create(name="Imaging team")
    imaging.members.add(other_agent)
    return hardware, imaging


@pytest.fixture
def item(groups):
    return laptop_item(groups)


@pytest.fixture
def requester(make_user):
    return make_user(Role.END_USER, username="minji", display_name="Kim Minji")


# --- request list ---------------------------------------------------------------------------

def test_request_list_tabs_count_and_filter(client, agent, requester, item):
    # given one request in each of three states
    waiting = make_request(requester, item, state=RequestState.AWAITING_APPROVAL, tasks=False)
    working = make_request(requester, item)
    make_request(requester, item, state=RequestState.CLOSED)
    client.force_login(agent)
    # when
    response = client.get(reverse("fulfilment:request_list"))
    # then the open tab is the default and the tabs count
    assert response.status_code == 200
    queues = {value: count for value, _label, count in response.context["queues"]}
    assert queues == {"open": 2, "awaiting_approval": 1, "in_fulfilment": 1, "mine": 0, "all": 3}
    assert [r.pk for r in response.context["page"].object_list] == [working.pk, waiting.pk]
    # and a tab narrows the list
    response = client.get(reverse("fulfilment:request_list"), {"queue": "awaiting_approval"})
    assert [r.number for r in response.context["page"].object_list] == [waiting.number]


def test_request_list_mine_holds_requests_with_my_open_tasks(client, agent, requester, item):
    mine = make_request(requester, item)
    Task.objects.filter(request=mine, stage=1).update(assigned_to=agent)
    make_request(requester, item)
    client.force_login(agent)
    response = client.get(reverse("fulfilment:request_list"), {"queue": "mine"})
    assert [r.pk for r in response.context["page"].object_list] == [mine.pk]


def test_request_list_searches_by_exact_number_and_filters(client, agent, requester, make_user, item, groups):
    # given
    other_item = laptop_item(groups, name="Monitor", name_ko="모니터")
    first = make_request(requester, item)
    other = make_request(make_user(Role.END_USER, username="jisoo"), other_item)
    client.force_login(agent)
    url = reverse("fulfilment:request_list")
    # when / then: a number, in any case, is that request alone
    response = client.get(url, {"queue": "all", "search": first.number.lower()})
    assert [r.pk for r in response.context["page"].object_list] == [first.pk]
    # the catalog item and requested-for filters
    response = client.get(url, {"queue": "all", "catalog_item": other_item.pk})
    assert [r.pk for r in response.context["page"].object_list] == [other.pk]
    response = client.get(url, {"queue": "all", "requested_for": requester.pk})
    assert [r.pk for r in response.context["page"].object_list] == [first.pk]
    # a wrong date lists nothing and says why
    response = client.get(url, {"queue": "all", "created_after": "yesterday"})
    assert list(response.context["page"].object_list) == []
    assert response.context["filter_errors"]


def test_request_list_htmx_answers_the_rows_only(client, agent, requester, item):
    make_request(requester, item)
    client.force_login(agent)
    response = client.get(reverse("fulfilment:request_list"), {"queue": "all"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-testid="request-table"' in body and 'data-testid="queues"' not in body
    assert response["Vary"].find("HX-Request") >= 0


def test_request_list_query_count_is_constant(client, agent, requester, item, django_assert_num_queries):
    for _ in range(3):
        make_request(requester, item)
    client.force_login(agent)
    url = reverse("fulfilment:request_list")
    client.get(url)  # warm the per-process caches (content types, calendars)
    # session, user, roles, page count, rows, their items, their clocks, their tasks' progress, the
    # tab counts, the approvals inbox (changes, requests), the catalog items and groups of the filter form
    with django_assert_num_queries(QUERIES_REQUEST_LIST) as first:
        client.get(url)
    for _ in range(5):
        make_request(requester, item)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


# Issue 12, fifth round: 13 -> 12, the navigation's approvals badge is one statement for every source.
# Then 11: the user's roles are kept per process (accounts.roles.membership).
QUERIES_REQUEST_LIST = 11


def test_end_user_is_refused_the_desk_pages(client, requester, item):
    req = make_request(requester, item)
    task = req.tasks.first()
    client.force_login(requester)
    for url in (reverse("fulfilment:request_list"), reverse("fulfilment:request_detail", args=[req.pk]),
                reverse("fulfilment:task_list"), reverse("fulfilment:task_detail", args=[task.pk])):
        assert client.get(url).status_code == 403


# --- request page ---------------------------------------------------------------------------

def test_request_page_shows_answers_with_the_form_labels(client, agent, requester, item):
    req = make_request(requester, item)
    client.force_login(agent)
    response = client.get(reverse("fulfilment:request_detail", args=[req.pk]))
    assert response.status_code == 200
    rows = response.context["items"][0].answer_rows
    assert rows == [("Laptop model", "Developer"), ("Business reason", "New hire"), ("Carrying bag", "Yes")]
    stages = response.context["items"][0].stages
    assert [(stage, [t.state for t in tasks]) for stage, tasks in stages] == [(1, ["open"]), (2, ["pending"])]


def test_request_page_in_korean_shows_the_korean_labels(client, agent, requester, item):
    req = make_request(requester, item)
    client.force_login(agent)
    with translation.override("ko"):
        response = client.get(reverse("fulfilment:request_detail", args=[req.pk]), HTTP_ACCEPT_LANGUAGE="ko")
        rows = response.context["items"][0].answer_rows
    assert rows[0] == ("노트북 모델", "개발자용")


def test_request_page_offers_the_approver_the_named_stage(client, manager, requester, item):
    req = make_request(requester, item, state=RequestState.AWAITING_APPROVAL, tasks=False,
                       plan=[manager_stage(manager)])
    client.force_login(manager)
    response = client.get(reverse("fulfilment:request_detail", args=[req.pk]))
    body = response.content.decode()
    assert "Approve — Line manager stage" in body and "Reject — Line manager stage" in body


def test_request_page_offers_nothing_to_the_requester_and_shows_decisions(client, manager, requester, item):
    # given a decided first stage and a second stage the requester is named on
    plan = [manager_stage(manager), {**manager_stage(requester, name="Budget"), "order": 2}]
    req = make_request(requester, item, state=RequestState.AWAITING_APPROVAL, tasks=False, plan=plan,
                       decisions=[(manager, 1, Decision.APPROVE, "Fine by me")])
    client.force_login(manager)
    response = client.get(reverse("fulfilment:request_detail", args=[req.pk]))
    panel = response.context["items"][0].panel
    assert [(s.name, s.status) for s in panel.stages] == [("Line manager", "approved"), ("Budget", "pending")]
    assert "Fine by me" in response.content.decode()
    assert response.context["decision_offers"] == []


def test_reject_without_a_reason_is_refused_and_nothing_is_decided(client, manager, requester, item, monkeypatch):
    req = make_request(requester, item, state=RequestState.AWAITING_APPROVAL, tasks=False,
                       plan=[manager_stage(manager)])
    calls = []
    monkeypatch.setattr(services, "decide", lambda *a, **k: calls.append((a, k)))
    client.force_login(manager)
    response = client.post(reverse("fulfilment:request_decide", args=[req.pk]), {"decision": "reject", "comment": " "})
    assert response.status_code == 400
    assert "Say why you reject" in response.content.decode()
    assert calls == []


def test_approve_calls_the_service_with_the_decision(client, manager, requester, item, monkeypatch):
    req = make_request(requester, item, state=RequestState.AWAITING_APPROVAL, tasks=False,
                       plan=[manager_stage(manager)])
    calls = []
    monkeypatch.setattr(services, "decide", lambda actor, request, **k: calls.append((actor, request.pk, k)))
    client.force_login(manager)
    response = client.post(reverse("fulfilment:request_decide", args=[req.pk]), {"decision": "approve", "comment": "ok"})
    assert response.status_code == 302 and response["Location"] == req.get_absolute_url()
    assert calls == [(manager, req.pk, {"decision": "approve", "comment": "ok", "channel": "web"})]


def test_cancel_needs_a_reason(client, agent, requester, item):
    req = make_request(requester, item)
    client.force_login(agent)
    response = client.post(reverse("fulfilment:request_cancel", args=[req.pk]), {"reason": ""})
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.state == RequestState.IN_FULFILMENT


def test_work_note_on_a_request_is_internal_by_default(client, agent, requester, item):
    req = make_request(requester, item)
    client.force_login(agent)
    response = client.post(reverse("fulfilment:request_comment", args=[req.pk]), {"body": "Ordered from the vendor"})
    assert response.status_code == 302
    assert list(req.comments.values_list("body", "internal")) == [("Ordered from the vendor", True)]


# --- task queue -----------------------------------------------------------------------------

def test_task_queue_tabs(client, agent, requester, item, groups):
    # given two requests: stage 1 (hardware, the agent's group) open, stage 2 (imaging) pending
    first = make_request(requester, item)
    make_request(requester, item)
    Task.objects.filter(request=first, stage=1).update(assigned_to=agent, state=TaskState.IN_PROGRESS)
    client.force_login(agent)
    # when
    response = client.get(reverse("fulfilment:task_list"))
    # then "My groups" is the default for a member of a group
    queues = {value: count for value, _label, count in response.context["queues"]}
    assert response.context["queue"] == "my_groups"
    assert queues == {"mine": 1, "my_groups": 2, "unassigned": 1, "awaiting_approval": 0, "open": 2}
    assert {t.stage for t in response.context["page"].object_list} == {1}
    response = client.get(reverse("fulfilment:task_list"), {"queue": "mine"})
    assert [t.request_id for t in response.context["page"].object_list] == [first.pk]


def test_task_queue_query_count_is_constant(client, agent, requester, item, django_assert_num_queries):
    for _ in range(2):
        make_request(requester, item)
    client.force_login(agent)
    url = reverse("fulfilment:task_list")
    client.get(url)
    # session, user, roles, my groups, page count (capped), the page's ids, its rows, their clocks,
    # the approvals inbox (changes, requests: read once for the navigation and the "Awaiting
    # approval" tab), the tab counts (capped, one statement), the groups of the filter form
    with django_assert_num_queries(QUERIES_TASK_LIST) as first:
        client.get(url)
    for _ in range(6):
        make_request(requester, item)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


# Issue 12, fifth round: 12 -> 11, the user's roles and teams are kept per process (accounts.roles.membership).
QUERIES_TASK_LIST = 11


def test_awaiting_approval_tab_lists_the_requests_i_may_decide(client, manager, requester, item, monkeypatch):
    from core import approvals as inbox

    req = make_request(requester, item, state=RequestState.AWAITING_APPROVAL, tasks=False)
    monkeypatch.setattr(inbox, "_sources", {})
    inbox.register("request", label="Request", pending=lambda user: [inbox.PendingApproval(
        kind="request", kind_label="Request", number=req.number, title=req.title, url=req.get_absolute_url(),
        stage="Line manager", requested_by=str(requester), since=req.created_at)])
    client.force_login(manager)
    response = client.get(reverse("fulfilment:task_list"), {"queue": "awaiting_approval"})
    assert [a.number for a in response.context["approvals"]] == [req.number]
    assert 'data-testid="approval-request"' in response.content.decode()


# --- task page ------------------------------------------------------------------------------

def test_task_page_shows_stage_answers_and_why_it_waits(client, agent, requester, item):
    req = make_request(requester, item)
    pending = req.tasks.get(stage=2)
    client.force_login(agent)
    response = client.get(reverse("fulfilment:task_detail", args=[pending.pk]))
    body = response.content.decode()
    assert "Stage 2 of 2" in body
    assert response.context["answer_rows"] == [("Carrying bag", "Yes")]
    assert [t.stage for t in response.context["waiting_on"]] == [1]
    assert 'data-testid="pending-reason"' in body and response.context["actions"] == []


def test_open_task_offers_start_complete_and_fail(client, agent, requester, item):
    task = make_request(requester, item).tasks.get(stage=1)
    client.force_login(agent)
    response = client.get(reverse("fulfilment:task_detail", args=[task.pk]))
    assert [target for target, _label in response.context["actions"]] == ["in_progress", "done", "failed"]
    assert [str(label) for _t, label in response.context["actions"]] == ["Start work", "Complete", "Mark failed"]


def test_failing_a_task_needs_notes(client, agent, requester, item, monkeypatch):
    task = make_request(requester, item).tasks.get(stage=1)
    calls = []
    monkeypatch.setattr(services, "update_task", lambda *a, **k: calls.append(k))
    client.force_login(agent)
    response = client.post(reverse("fulfilment:task_work", args=[task.pk]), {"state": "failed", "notes": ""})
    assert response.status_code == 400 and calls == []
    response = client.post(reverse("fulfilment:task_work", args=[task.pk]),
                           {"state": "done", "notes": "Imaged", "version": task.version})
    assert response.status_code == 302
    assert calls == [{"state": "done", "notes": "Imaged", "version": task.version, "channel": "web"}]


def test_take_assigns_the_task_to_me(client, agent, requester, item, monkeypatch):
    task = make_request(requester, item).tasks.get(stage=1)
    calls = []
    monkeypatch.setattr(services, "update_task", lambda actor, t, **k: calls.append((actor, t.pk, k)))
    client.force_login(agent)
    response = client.post(reverse("fulfilment:task_take", args=[task.pk]), {"version": task.version})
    assert response.status_code == 302
    assert calls == [(agent, task.pk, {"assigned_to": agent, "version": task.version, "channel": "web"})]


# --- through the real services ------------------------------------------------------------------

def _submit(requester, item, *, manager=None):
    from catalog.models import ItemApprovalStage

    if manager is not None:
        requester.manager = manager
        requester.save(update_fields=["manager"])
        ItemApprovalStage.objects.create(item=item, order=1, name="Line manager", approver="line_manager")
    return services.submit_request(requester, lines=[services.OrderLine(
        catalog_item=item, answers={"model": "developer", "reason": "New hire", "needs_bag": True})])


def test_manager_approves_on_the_request_page_and_the_first_stage_opens(client, manager, requester, item):
    # given
    req = _submit(requester, item, manager=manager)
    assert req.state == RequestState.AWAITING_APPROVAL
    client.force_login(manager)
    # when
    response = client.post(reverse("fulfilment:request_decide", args=[req.pk]), {"decision": "approve", "comment": ""})
    # then
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.IN_FULFILMENT
    assert sorted(req.tasks.values_list("stage", "state")) == [(1, "open"), (2, "pending")]
    page = client.get(req.get_absolute_url())
    assert "You approved" in page.content.decode() and page.context["decision_offers"] == []


def test_a_second_decision_is_refused_on_the_page(client, manager, requester, item):
    req = _submit(requester, item, manager=manager)
    client.force_login(manager)
    client.post(reverse("fulfilment:request_decide", args=[req.pk]), {"decision": "reject", "comment": "No budget"})
    response = client.post(reverse("fulfilment:request_decide", args=[req.pk]), {"decision": "approve"})
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.state == RequestState.REJECTED
    assert "No budget" in response.content.decode()


def test_tasks_are_worked_in_stage_order_until_the_request_is_fulfilled(client, agent, other_agent, requester, item):
    # given a request without approvals: stage 1 is open, stage 2 pending
    req = _submit(requester, item)
    first, second = req.tasks.get(stage=1), req.tasks.get(stage=2)
    client.force_login(other_agent)
    # when stage 2's agent tries first, the page refuses and says why
    response = client.post(reverse("fulfilment:task_work", args=[second.pk]), {"state": "done", "notes": "x"})
    assert response.status_code == 400
    assert "starts when every task of the earlier stages is done" in response.content.decode()
    # stage 1's agent takes and completes theirs
    client.force_login(agent)
    assert client.post(reverse("fulfilment:task_take", args=[first.pk]),
                       {"version": first.version}).status_code == 302
    first.refresh_from_db()
    assert first.assigned_to == agent
    assert client.post(reverse("fulfilment:task_work", args=[first.pk]),
                       {"state": "done", "notes": "Laptop imaged", "version": first.version}).status_code == 302
    # then stage 2 opens, and completing it fulfils the request
    second.refresh_from_db()
    assert second.state == TaskState.OPEN
    client.force_login(other_agent)
    assert client.post(reverse("fulfilment:task_work", args=[second.pk]),
                       {"state": "done", "version": second.version}).status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.FULFILLED
    # and the request can be closed from its page
    client.force_login(agent)
    assert client.post(reverse("fulfilment:request_close", args=[req.pk]), {"version": req.version}).status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.CLOSED


def test_a_stale_task_page_is_refused(client, agent, requester, item):
    req = _submit(requester, item)
    task = req.tasks.get(stage=1)
    client.force_login(agent)
    response = client.post(reverse("fulfilment:task_work", args=[task.pk]),
                           {"state": "in_progress", "version": task.version + 5})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.state == TaskState.OPEN


def test_reassigning_outside_the_group_is_refused(client, agent, other_agent, requester, item):
    req = _submit(requester, item)
    task = req.tasks.get(stage=1)  # the hardware team's: other_agent is not a member
    client.force_login(agent)
    response = client.post(reverse("fulfilment:task_assign", args=[task.pk]),
                           {"assigned_to": other_agent.pk, "version": task.version})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.assigned_to is None


def test_cancel_with_a_reason_cancels_the_request_and_its_tasks(client, agent, requester, item):
    req = _submit(requester, item)
    client.force_login(agent)
    response = client.post(reverse("fulfilment:request_cancel", args=[req.pk]),
                           {"reason": "Ordered twice", "version": req.version})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.CANCELLED
    assert set(req.tasks.values_list("state", flat=True)) == {"cancelled"}


def test_queues_show_the_sla_countdown(client, agent, requester, item, groups):
    from sla.tests.factories import make_definition

    make_definition("Requests", model=Request, targets={3: (60, 2400)}, pause_states=[])
    make_definition("Hardware OLA", model=Task, targets={3: (30, 480)}, agreement="ola",
                    applies_to={"assignment_groups": [groups[0].pk]}, pause_states=["pending"])
    req = _submit(requester, item)
    client.force_login(agent)
    rows = client.get(reverse("fulfilment:request_list")).context["page"].object_list
    assert len(rows) == 1 and {c.kind for c in rows[0].clocks} == {"resolution", "response"}
    body = client.get(reverse("fulfilment:task_list"), {"queue": "my_groups"}).content.decode()
    assert body.count("data-due=") >= 1
    page = client.get(req.get_absolute_url())
    assert len(page.context["clocks"]) == 2


def test_task_without_named_answers_shows_them_all(client, agent, requester, item):
    task = make_request(requester, item).tasks.get(stage=1)
    task.template.answer_fields = []
    task.template.save()
    client.force_login(agent)
    response = client.get(reverse("fulfilment:task_detail", args=[task.pk]))
    assert [label for label, _value in response.context["answer_rows"]] == ["Laptop model", "Business reason",
                                                                             "Carrying bag"]


def test_approval_panel_says_who_decides_each_stage(client, manager, requester, item, groups):
    plan = [manager_stage(manager),
            {"order": 2, "name": "Budget", "approver": "group", "group": groups[0].pk, "mode": "all", "quorum": None,
             "eligible": [m.pk for m in groups[0].members.all()]}]
    req = make_request(requester, item, state=RequestState.AWAITING_APPROVAL, tasks=False, plan=plan)
    client.force_login(manager)
    panel = client.get(reverse("fulfilment:request_detail", args=[req.pk])).context["items"][0].panel
    assert [s.rule_label for s in panel.stages] == ["The requester's line manager", "Hardware team · every member"]
