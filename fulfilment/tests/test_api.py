"""API v1 requests/, requests/{id}/approve/, requests/{id}/comments/ and tasks/."""

import pytest

from fulfilment.choices import RequestState as S, TaskState as T
from fulfilment.models import Request, Task
from fulfilment.tests.factories import line_manager_stage, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def laptop(hardware_team, network_team):
    return make_item(stages=[line_manager_stage()], plan=[(1, hardware_team, None), (2, network_team, None)])


def test_end_user_orders_manager_approves_groups_work_in_order(api_as, employee, boss, laptop, hardware_team,
                                                                network_team):
    me = api_as(employee)
    created = me.post("/api/v1/requests/", {"catalog_item": laptop.pk, "answers": {"model": "X1"}, "quantity": 2})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"].startswith("REQ") and body["state"] == S.AWAITING_APPROVAL
    assert body["requested_by"]["id"] == employee.pk and body["requested_for"]["id"] == employee.pk
    assert body["items"][0]["quantity"] == 2 and body["items"][0]["answers"] == {"model": "X1"}
    assert me.get(f"/api/v1/requests/{body['number']}/").json()["id"] == body["id"]

    own = me.post(f"/api/v1/requests/{body['id']}/approve/", {"decision": "approve"})
    assert own.status_code == 403
    approved = api_as(boss).post(f"/api/v1/requests/{body['id']}/approve/", {"decision": "approve", "comment": "OK"})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["state"] == S.IN_FULFILMENT and approved.json()["approvals"][0]["decision"] == "approve"
    twice = api_as(boss).post(f"/api/v1/requests/{body['id']}/approve/", {"decision": "approve"})
    assert twice.status_code == 409

    hw = api_as(hardware_team.members.first())
    tasks = hw.get("/api/v1/tasks/", {"request": body["number"]}).json()["results"]
    assert sorted((t["stage"], t["state"]) for t in tasks) == [(1, T.OPEN), (2, T.PENDING)]
    first = next(t for t in tasks if t["stage"] == 1)
    second = next(t for t in tasks if t["stage"] == 2)
    early = api_as(network_team.members.first()).patch(f"/api/v1/tasks/{second['id']}/",
                                                       {"state": "done", "version": second["version"]})
    assert early.status_code == 400 and "state" in early.json()
    no_version = hw.patch(f"/api/v1/tasks/{first['id']}/", {"state": "done"})
    assert no_version.status_code == 400 and "version" in no_version.json()
    done = hw.patch(f"/api/v1/tasks/{first['id']}/", {"state": "done", "notes": "Shipped", "version": first["version"]})
    assert done.status_code == 200 and "Shipped" in done.json()["notes"]
    stale = hw.patch(f"/api/v1/tasks/{first['id']}/", {"notes": "again", "version": first["version"]})
    assert stale.status_code == 409
    second = Task.objects.get(pk=second["id"])
    assert second.state == T.OPEN
    api_as(network_team.members.first()).patch(f"/api/v1/tasks/{second.pk}/", {"state": "done",
                                                                                "version": second.version})
    final = me.get(f"/api/v1/requests/{body['id']}/").json()
    assert final["state"] == S.FULFILLED
    closed = me.patch(f"/api/v1/requests/{body['id']}/", {"state": "closed", "version": final["version"]})
    assert closed.status_code == 200 and closed.json()["state"] == S.CLOSED


def test_cart_and_answers_errors_name_the_field(api_as, employee, laptop):
    me = api_as(employee)
    bad = me.post("/api/v1/requests/", {"catalog_item": laptop.pk, "answers": {"model": "Z9"}})
    assert bad.status_code == 400 and "model" in bad.json()["answers"]
    cart = me.post("/api/v1/requests/", {"items": [{"catalog_item": laptop.pk, "answers": {"model": "X1"}},
                                                   {"catalog_item": laptop.pk, "answers": {}}]})
    assert cart.status_code == 400 and "model" in cart.json()["items"][1]["answers"]
    too_many = me.post("/api/v1/requests/", {"items": [{"catalog_item": laptop.pk, "answers": {"model": "X1"}},
                                                       {"catalog_item": laptop.pk, "answers": {"model": "X1"},
                                                        "quantity": 1_000_000}]})
    assert too_many.status_code == 400 and "quantity" in too_many.json()["items"][1]
    zero = me.post("/api/v1/requests/", {"catalog_item": laptop.pk, "answers": {"model": "X1"}, "quantity": 0})
    assert zero.status_code == 400 and "quantity" in zero.json()
    nothing = me.post("/api/v1/requests/", {})
    assert nothing.status_code == 400 and "catalog_item" in nothing.json()
    ok = me.post("/api/v1/requests/", {"items": [{"catalog_item": laptop.pk, "answers": {"model": "X1"}},
                                                 {"catalog_item": make_item("Mouse").pk, "answers": {"model": "T14"}}]})
    assert ok.status_code == 201 and len(ok.json()["items"]) == 2
    assert Request.objects.count() == 1


def test_item_one_may_not_order_is_404(api_as, employee):
    hidden = make_item(available_to_everyone=False)
    assert api_as(employee).post("/api/v1/requests/", {"catalog_item": hidden.pk}).status_code == 404
    assert api_as(employee).post("/api/v1/requests/", {"catalog_item": 987654}).status_code == 404


def test_end_users_see_only_their_own_requests(api_as, employee, other_end_user, boss, laptop, agent):
    mine = api_as(employee).post("/api/v1/requests/", {"catalog_item": laptop.pk, "answers": {"model": "X1"}}).json()
    assert api_as(other_end_user).get(f"/api/v1/requests/{mine['id']}/").status_code == 404
    assert api_as(other_end_user).get("/api/v1/requests/").json()["count"] == 0
    assert api_as(other_end_user).post(f"/api/v1/requests/{mine['id']}/approve/",
                                       {"decision": "approve"}).status_code == 404
    assert api_as(agent).get(f"/api/v1/requests/{mine['number']}/").status_code == 200
    # Ordered for someone else: both see it.
    for_other = api_as(boss).post("/api/v1/requests/", {"catalog_item": laptop.pk, "answers": {"model": "X1"},
                                                        "requested_for": employee.pk})
    assert for_other.status_code == 201, for_other.json()
    assert api_as(employee).get(f"/api/v1/requests/{for_other.json()['id']}/").status_code == 200


def test_tasks_are_for_the_desk(api_as, employee, end_user_api):
    assert end_user_api.get("/api/v1/tasks/").status_code == 403
    assert api_as(employee).patch("/api/v1/tasks/1/", {"state": "done"}).status_code == 403


def test_comments(api_as, employee, laptop, agent):
    mine = api_as(employee).post("/api/v1/requests/", {"catalog_item": laptop.pk, "answers": {"model": "X1"}}).json()
    url = f"/api/v1/requests/{mine['number']}/comments/"
    assert api_as(employee).post(url, {"body": "When will it arrive?"}).status_code == 201
    assert api_as(agent).post(url, {"body": "Vendor call", "internal": True}).status_code == 201
    assert [c["body"] for c in api_as(employee).get(url).json()["results"]] == ["When will it arrive?"]
    assert len(api_as(agent).get(url).json()["results"]) == 2


def test_list_query_counts_are_constant(api_as, employee, laptop, hardware_team, agent, django_assert_num_queries):
    for _i in range(2):
        api_as(employee).post("/api/v1/requests/", {"catalog_item": laptop.pk, "answers": {"model": "X1"}})
    chair = make_item("Chair", plan=[(1, hardware_team, None)])
    api_as(employee).post("/api/v1/requests/", {"catalog_item": chair.pk, "answers": {"model": "X1"}})
    client = api_as(agent)
    hw = api_as(hardware_team.members.first())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client, url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    count(client, "/api/v1/requests/"), count(hw, "/api/v1/tasks/")  # warm the content type cache
    requests_before, tasks_before = count(client, "/api/v1/requests/"), count(hw, "/api/v1/tasks/")
    assert requests_before <= 7 and tasks_before <= 6
    for _i in range(3):
        request = api_as(employee).post("/api/v1/requests/", {"catalog_item": make_item().pk,
                                                              "answers": {"model": "X1"}})
        assert request.status_code == 201
    make_item_with_plan = make_item("Phone", plan=[(1, hardware_team, None), (1, hardware_team, None)])
    api_as(employee).post("/api/v1/requests/", {"catalog_item": make_item_with_plan.pk, "answers": {"model": "X1"}})
    assert count(client, "/api/v1/requests/") == requests_before
    assert count(hw, "/api/v1/tasks/") == tasks_before
    with django_assert_num_queries(tasks_before):
        hw.get("/api/v1/tasks/")
