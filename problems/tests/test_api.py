"""The /api/v1/problems/ contract: 401, 404, 400 naming allowed states, 409 stale, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.choices import AuditAction
from core.models import AuditEntry, Comment
from problems.models import Problem
from problems.tests.factories import make_ci, make_incident, make_known_error, make_problem

pytestmark = pytest.mark.django_db
URL = "/api/v1/problems/"


def detail(problem_or_key):
    key = getattr(problem_or_key, "pk", problem_or_key)
    return f"{URL}{key}/"


def test_anonymous_gets_401(api_client, agent):
    problem = make_problem(agent)
    assert api_client.get(URL).status_code == 401
    assert api_client.get(detail(problem)).status_code == 401
    assert api_client.patch(detail(problem), {"title": "x", "version": 1}, format="json").status_code == 401


def test_end_user_sees_nothing(end_user_api, agent):
    problem = make_problem(agent)
    response = end_user_api.get(URL)
    assert response.status_code == 200 and response.json()["count"] == 0
    assert end_user_api.get(detail(problem)).status_code == 404
    assert end_user_api.post(URL, {"title": "x"}, format="json").status_code == 403
    assert Problem.objects.count() == 1


def test_unknown_problem_404(agent_api):
    assert agent_api.get(detail(999999)).status_code == 404
    assert agent_api.get(detail("PRB9999999")).status_code == 404
    assert agent_api.get(detail("not-a-number")).status_code == 404


def test_detail_by_id_and_number(agent_api, agent, end_user):
    incident = make_incident(end_user)
    problem = make_problem(agent, incidents=[incident])
    for key in (problem.pk, problem.number, problem.number.lower()):
        response = agent_api.get(detail(key))
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == problem.pk and body["number"] == problem.number
        assert body["incidents"] == [incident.pk]
        assert body["state"] == "new"
        assert body["allowed_transitions"] == ["investigation", "known_error", "resolved", "cancelled"]
        assert body["version"] == 1
        assert set(body) >= {"id", "number", "title", "description", "state", "root_cause", "workaround",
                             "known_error", "incidents", "assignment_group", "assigned_to", "version"}


def test_create_with_incidents_raises_from_them(agent_api, agent, end_user):
    ci = make_ci("mail-relay")
    incident = make_incident(end_user, title="Mail stuck", configuration_item=ci)
    response = agent_api.post(URL, {"title": "Mail delays", "incidents": [incident.pk]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("PRB") and body["incidents"] == [incident.pk]
    assert body["configuration_items"] == [ci.pk]
    assert body["description"] == f"{incident.number}: Mail stuck"
    problem = Problem.objects.get(pk=body["id"])
    assert AuditEntry.objects.for_object(problem).filter(action=AuditAction.CREATED).count() == 1
    assert AuditEntry.objects.for_object(incident).get(action=AuditAction.LINKED).new_value == [problem.pk]


def test_create_on_its_own(agent_api):
    response = agent_api.post(URL, {"title": "Disk latency spikes", "priority": 2}, format="json")
    assert response.status_code == 201
    assert response.json()["incidents"] == [] and response.json()["state"] == "new"


def test_create_with_unknown_incident_400(agent_api):
    response = agent_api.post(URL, {"title": "Mail delays", "incidents": [999999]}, format="json")
    assert response.status_code == 400
    assert "incidents" in response.json()
    assert Problem.objects.count() == 0


@pytest.mark.parametrize("payload", [
    {}, {"title": ""}, {"title": "x", "state": "bogus"}, {"title": "x", "priority": 9},
    {"title": "x", "incidents": "abc"}, {"title": "x", "state": "closed"}, ["not", "a", "dict"],
])
def test_create_malformed_input_is_400(agent_api, payload):
    response = agent_api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert Problem.objects.count() == 0


def test_patch_transition_and_links(agent_api, agent, end_user):
    # given
    problem = make_problem(agent)
    incident = make_incident(end_user)
    ci = make_ci()
    # when
    response = agent_api.patch(detail(problem), {
        "state": "known_error", "workaround": "Restart", "known_error": True, "version": 1,
        "incidents": [incident.pk], "configuration_items": [ci.pk],
    }, format="json")
    # then
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "known_error" and body["known_error"] is True
    assert body["incidents"] == [incident.pk] and body["configuration_items"] == [ci.pk]
    assert body["version"] == 4
    fields = set(AuditEntry.objects.for_object(problem).values_list("field", flat=True))
    assert {"state", "workaround", "known_error", "incidents", "configuration_items"} <= fields


def test_patch_invalid_transition_400_names_allowed(agent_api, agent):
    problem = make_problem(agent)
    response = agent_api.patch(detail(problem), {"state": "closed", "version": 1}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["allowed"] == ["investigation", "known_error", "resolved", "cancelled"]
    assert "investigation" in body["state"][0]
    problem.refresh_from_db()
    assert (problem.state, problem.version) == ("new", 1)


def test_patch_guard_400(agent_api, agent):
    problem = make_problem(agent)
    response = agent_api.patch(detail(problem), {"state": "resolved", "version": 1}, format="json")
    assert response.status_code == 400
    assert "root_cause" in response.json()


def test_patch_stale_version_409_changes_nothing(agent_api, agent, end_user):
    problem = make_problem(agent, title="Original")
    incident = make_incident(end_user)
    agent_api.patch(detail(problem), {"title": "Second", "version": 1}, format="json")
    response = agent_api.patch(detail(problem), {"title": "Third", "incidents": [incident.pk], "version": 1},
                               format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    problem.refresh_from_db()
    assert (problem.title, problem.version, problem.incidents.count()) == ("Second", 2, 0)


def test_patch_without_version_400(agent_api, agent):
    problem = make_problem(agent)
    response = agent_api.patch(detail(problem), {"title": "x"}, format="json")
    assert response.status_code == 400 and "version" in response.json()


def test_resolve_action_resolves_incidents(agent_api, agent, end_user):
    incident = make_incident(end_user, state="in_progress")
    problem = make_problem(agent, incidents=[incident])
    response = agent_api.post(f"{detail(problem)}resolve/", {
        "version": 1, "root_cause": "Cert expired", "resolve_incidents": True}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "resolved"
    assert response.json()["resolved_incidents"] == [incident.pk]
    incident.refresh_from_db()
    assert incident.state == "resolved"


def test_apply_known_error_action(agent_api, agent, end_user):
    known_error = make_known_error(agent)
    incident = make_incident(end_user)
    response = agent_api.post(f"{detail(known_error)}apply/", {"incident": incident.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["incidents"] == [incident.pk]
    assert Comment.objects.for_object(incident).get().internal is True
    assert agent_api.post(f"{detail(known_error)}apply/", {"incident": 999999}, format="json").status_code == 404


def test_known_errors_endpoint_search_and_match(agent_api, agent, end_user):
    gateway = make_ci("vpn-gw-9")
    vpn = make_known_error(agent, title="VPN disconnects", workaround="Disable split tunnelling",
                           configuration_items=[gateway])
    make_problem(agent, title="VPN unpublished")
    incident = make_incident(end_user, title="cannot connect", configuration_item=gateway)
    body = agent_api.get(f"{URL}known-errors/", {"search": "tunnelling"}).json()
    assert [r["id"] for r in body["results"]] == [vpn.pk]
    body = agent_api.get(f"{URL}known-errors/", {"incident": incident.pk}).json()
    assert [r["id"] for r in body["results"]] == [vpn.pk]
    assert agent_api.get(f"{URL}known-errors/", {"incident": "x"}).status_code == 400


def test_filters(agent_api, agent):
    known = make_known_error(agent)
    make_problem(agent)
    body = agent_api.get(URL, {"known_error": "true"}).json()
    assert [r["id"] for r in body["results"]] == [known.pk]
    body = agent_api.get(URL, {"state": "known_error"}).json()
    assert [r["id"] for r in body["results"]] == [known.pk]
    assert agent_api.get(URL, {"state": "bogus"}).status_code == 400
    assert agent_api.get(URL, {"incident": "abc"}).status_code == 400


def _list_queries(client, count, agent, end_user):
    existing = Problem.objects.count()
    incidents = [make_incident(end_user, title=f"i{n}") for n in range(3)]
    cis = [make_ci(f"list-ci-{existing}-{n}") for n in range(2)]
    for n in range(count - existing):
        make_problem(agent, title=f"P{n}", incidents=incidents, configuration_items=cis)
    client.get(URL)  # warm up: the token's first use is recorded once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"page_size": 200})
    assert response.status_code == 200 and response.json()["count"] == count
    return len(ctx.captured_queries)


def test_list_query_count_constant(agent_api, agent, end_user):
    assert _list_queries(agent_api, 10, agent, end_user) == _list_queries(agent_api, 100, agent, end_user)
