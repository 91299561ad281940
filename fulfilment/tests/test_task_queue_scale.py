"""The task queue at scale (issue 13): capped counts, id paging, a constant number of queries
whichever tab, and the API list paged the same way."""

import pytest
from django.urls import reverse

from accounts.models import Team
from fulfilment import filtersets, views
from fulfilment.choices import TaskState
from fulfilment.models import Task
from fulfilment.tests.desk_world import laptop_item, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(agent, other_agent):
    hardware = Team.objects.create(name="Hardware team")
    hardware.members.add(agent)
    imaging = Team.objects.create(name="Imaging team")
    imaging.members.add(other_agent)
    return hardware, imaging


@pytest.fixture
def requester(make_user):
    return make_user("end_user", username="minji")


@pytest.fixture
def small_cap(monkeypatch):
    """A queue count cap of 3, so that a handful of tasks passes it."""
    monkeypatch.setattr(filtersets, "QUEUE_COUNT_CAP", 3)
    monkeypatch.setattr(views, "QUEUE_COUNT_CAP", 3)
    monkeypatch.setattr(views.TaskListView.paginator_class, "cap", 3)
    return 3


def test_tabs_and_list_stop_counting_at_the_cap(client, agent, requester, groups, small_cap):
    item = laptop_item(groups)
    for _ in range(5):
        make_request(requester, item)  # 5 open tasks in the agent's group, 5 pending in the other
    client.force_login(agent)
    response = client.get(reverse("fulfilment:task_list"), {"queue": "my_groups", "page_size": 2})
    queues = {value: count for value, _label, count in response.context["queues"]}
    assert queues["my_groups"] == "3+" and queues["open"] == "3+" and queues["mine"] == 0
    body = response.content.decode()
    assert "3 or more tasks" in body
    assert response.context["page"].paginator.capped


def test_under_the_cap_the_counts_are_exact(client, agent, requester, groups):
    item = laptop_item(groups)
    first = make_request(requester, item)
    make_request(requester, item)
    Task.objects.filter(request=first, stage=1).update(assigned_to=agent, state=TaskState.IN_PROGRESS)
    client.force_login(agent)
    response = client.get(reverse("fulfilment:task_list"), {"queue": "unassigned"})
    queues = {value: count for value, _label, count in response.context["queues"]}
    assert queues == {"mine": 1, "my_groups": 2, "unassigned": 1, "awaiting_approval": 0, "open": 2}
    assert not response.context["page"].paginator.capped
    assert "1 task" in response.content.decode()


def test_capped_pages_keep_going_in_date_order(client, agent, requester, groups, small_cap):
    item = laptop_item(groups)
    requests = [make_request(requester, item) for _ in range(5)]
    client.force_login(agent)
    url = reverse("fulfilment:task_list")
    seen = []
    for page in (1, 2, 3, 4, 5):
        response = client.get(url, {"queue": "my_groups", "page": page})
        seen.extend(t.request_id for t in response.context["page"].object_list)
        if not response.context["page"].has_next():
            break
    # oldest first across pages: each request's stage 1 task (its group's), its pending stage 2
    # belongs to the other group
    assert seen == [r.pk for r in requests]


@pytest.mark.parametrize("queue", ["mine", "my_groups", "unassigned", "open", "awaiting_approval"])
def test_every_tab_makes_the_same_queries_whatever_the_rows(client, agent, requester, groups, queue,
                                                            django_assert_num_queries):
    item = laptop_item(groups)
    make_request(requester, item)
    assigned = make_request(requester, item)
    Task.objects.filter(request=assigned, stage=1).update(assigned_to=agent)  # a row in every task tab
    client.force_login(agent)
    url = reverse("fulfilment:task_list")
    client.get(url, {"queue": queue})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url, {"queue": queue})
    for _ in range(6):
        req = make_request(requester, item)
        Task.objects.filter(request=req, stage=1).update(assigned_to=agent)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url, {"queue": queue})


def test_api_task_list_caps_its_count_and_pages_on(agent_api, agent, requester, groups, monkeypatch):
    from fulfilment.api import views as api_views

    monkeypatch.setattr(api_views.FulfilmentTaskViewSet.list_paginator_class, "cap", 3)
    item = laptop_item(groups)
    for _ in range(3):
        make_request(requester, item)  # 6 tasks
    first = agent_api.get("/api/v1/tasks/", {"page_size": 2}).json()
    assert first["count"] == 3 and first["next"] and len(first["results"]) == 2
    newest_first = [row["id"] for row in first["results"]]
    assert newest_first == sorted(newest_first, reverse=True)
    third = agent_api.get("/api/v1/tasks/", {"page_size": 2, "page": 3}).json()
    assert len(third["results"]) == 2 and third["next"] is None
    group = groups[0].pk
    filtered = agent_api.get("/api/v1/tasks/", {"state": "open", "assignment_group": group}).json()
    assert filtered["count"] == 3 and {row["state"] for row in filtered["results"]} == {"open"}


def test_api_task_list_query_count_is_constant(agent_api, requester, groups, django_assert_num_queries):
    item = laptop_item(groups)
    make_request(requester, item)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agent_api.get("/api/v1/tasks/")
    with CaptureQueriesContext(connection) as first:
        agent_api.get("/api/v1/tasks/")
    for _ in range(5):
        make_request(requester, item)
    with django_assert_num_queries(len(first.captured_queries)):
        agent_api.get("/api/v1/tasks/")


# --- the approvals inbox's count (the navigation's badge on every desk page) ----------------

def test_inbox_count_is_the_length_of_the_list(employee, boss, security_board, hardware_team,
                                               django_assert_max_num_queries):
    from fulfilment import inbox, services
    from fulfilment.services import OrderLine
    from fulfilment.tests.factories import group_stage, line_manager_stage, make_item

    def order(item):
        return services.submit_request(employee, lines=[OrderLine(item, {"model": "X1"})])

    plan = [(1, hardware_team, None)]
    order(make_item("Board only", stages=[group_stage(security_board)], plan=plan))       # the board's now
    second = order(make_item("Manager then board", stages=[line_manager_stage(), group_stage(security_board)],
                             plan=plan))
    order(make_item("Manager first", stages=[line_manager_stage(), group_stage(security_board)], plan=plan))
    all_of_them = order(make_item("Whole board", stages=[group_stage(security_board, "all")], plan=plan))
    services.decide(boss, second, decision="approve")  # its board stage is current now (a decided item)
    first_member, second_member, _third = security_board.members.order_by("pk")
    services.decide(first_member, all_of_them, decision="approve")
    for person in (boss, first_member, second_member, employee):
        with django_assert_max_num_queries(2):
            counted = inbox.count(person)
        assert counted == len(inbox.pending(person)), person
    assert inbox.count(first_member) == 2 and inbox.count(second_member) == 3 and inbox.count(boss) == 1


def test_awaiting_approval_tab_shows_the_oldest_and_links_the_rest(client, manager, monkeypatch):
    from core import approvals as core_approvals

    rows = [core_approvals.PendingApproval(kind="request", kind_label="Request", number=f"REQ{n}", title="t",
                                           url="/requests/1/", stage="s", requested_by="x", since=None)
            for n in range(5)]
    monkeypatch.setattr(core_approvals, "_sources", {})
    core_approvals.register("request", label="Request", pending=lambda user: rows, count=lambda user: len(rows))
    monkeypatch.setattr(views, "APPROVALS_SHOWN", 3)
    client.force_login(manager)
    response = client.get(reverse("fulfilment:task_list"), {"queue": "awaiting_approval"})
    assert response.status_code == 200
    assert len(response.context["approvals"]) == 3 and response.context["approvals_more"] == 2
    assert 'data-testid="approvals-more"' in response.content.decode()
    queues = {value: count for value, _label, count in response.context["queues"]}
    assert queues["awaiting_approval"] == 5


def _due(person=None):
    from fulfilment.models import ApprovalDue

    rows = ApprovalDue.objects.all() if person is None else ApprovalDue.objects.filter(approver=person)
    return sorted(rows.values_list("request_item_id", "approver_id", "stage_order"))


def test_who_may_decide_now_follows_every_move(employee, boss, security_board, hardware_team):
    """The rows behind the badge follow submission, each vote, the stage moving on, rejection and
    cancellation, and a rebuild from the plans and decisions gives the same rows."""
    from fulfilment import deciders, services
    from fulfilment.services import OrderLine
    from fulfilment.tests.factories import group_stage, line_manager_stage, make_item

    plan = [(1, hardware_team, None)]
    first_member, second_member, third_member = security_board.members.order_by("pk")
    two_stages = make_item("Manager then whole board", stages=[line_manager_stage(), group_stage(security_board, "all")],
                           plan=plan)
    request = services.submit_request(employee, lines=[OrderLine(two_stages, {"model": "X1"})])
    assert [person for _item, person, _stage in _due()] == [boss.pk]
    services.decide(boss, request, decision="approve")
    assert {person for _item, person, _stage in _due()} == {first_member.pk, second_member.pk, third_member.pk}
    services.decide(first_member, request, decision="approve")
    assert {person for _item, person, _stage in _due()} == {second_member.pk, third_member.pk}
    before = _due()
    deciders.rebuild()
    assert _due() == before
    services.decide(second_member, request, decision="reject", comment="Not this quarter")
    assert _due() == []

    cancelled = services.submit_request(employee, lines=[OrderLine(two_stages, {"model": "X1"})])
    assert _due(boss)
    services.cancel_request(employee, cancelled, reason="Changed my mind")
    assert _due() == []
