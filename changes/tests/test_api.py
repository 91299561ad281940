"""The `changes/` API contract: 401, 404, 400, 409, approvals, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changes import services
from changes.choices import ChangeState as S
from changes.models import Approval, Change
from changes.tests.factories import START, make_change, make_ci, to_authorize
from core.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = "/api/v1/changes/"


def detail(change):
    return f"{URL}{change.pk}/"


def payload(**extra):
    return {"title": "Upgrade PostgreSQL", "type": "normal", "implementation_plan": "pg_upgrade",
            "backout_plan": "restore", "test_plan": "run checks", "planned_start": START.isoformat(),
            "planned_end": (START + timedelta(hours=3)).isoformat(), **extra}


def test_anonymous_gets_401(api_client, agent):
    change = make_change(agent)
    assert api_client.get(URL).status_code == 401
    assert api_client.get(detail(change)).status_code == 401
    assert api_client.post(URL, payload(), format="json").status_code == 401


def test_end_user_cannot_see_changes(end_user_api, agent):
    change = make_change(agent)
    assert end_user_api.get(detail(change)).status_code == 404
    assert end_user_api.get(URL).json()["count"] == 0
    assert end_user_api.post(f"{detail(change)}approve/", {"decision": "approve"}).status_code == 404


def test_create_and_read_by_number(agent_api, agent):
    ci = make_ci("db01")
    response = agent_api.post(URL, payload(affected_cis=[ci.pk]), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("CHG")
    assert (body["state"], body["requested_by"], body["affected_cis"]) == ("new", agent.pk, [ci.pk])
    assert body["conflicts"] == [] and body["approvals"] == []
    by_number = agent_api.get(f"{URL}{body['number']}/")
    assert by_number.status_code == 200
    assert by_number.json()["id"] == body["id"]


def test_unknown_number_404(agent_api):
    assert agent_api.get(f"{URL}CHG9999999/").status_code == 404
    assert agent_api.get(f"{URL}999999/").status_code == 404


@pytest.mark.parametrize(("data", "field"), [
    ({"planned_end": (START - timedelta(hours=1)).isoformat()}, "planned_end"),
    ({"title": ""}, "title"),
    ({"type": "bogus"}, "type"),
    ({"type": "emergency"}, "emergency_reason"),
    ({"planned_start": "not a date"}, "planned_start"),
    ({"affected_cis": [999999]}, "affected_cis"),
    ({"state": "closed"}, "state"),
])
def test_bad_input_is_400(agent_api, data, field):
    response = agent_api.post(URL, payload(**data), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Change.objects.count() == 0


def test_patch_needs_version_and_stale_is_409(agent_api, agent):
    change = make_change(agent)
    assert agent_api.patch(detail(change), {"title": "x"}, format="json").status_code == 400
    response = agent_api.patch(detail(change), {"title": "x", "version": change.version + 1}, format="json")
    assert response.status_code == 409
    assert Change.objects.get(pk=change.pk).title == "Patch the web servers"
    response = agent_api.patch(detail(change), {"title": "New title", "version": change.version}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == change.version + 1


def test_invalid_state_change_names_allowed(agent_api, agent):
    change = make_change(agent)
    response = agent_api.patch(detail(change), {"state": "implement", "version": change.version}, format="json")
    assert response.status_code == 400
    assert response.json()["allowed"] == ["assess", "cancelled"]
    assert Change.objects.get(pk=change.pk).state == S.NEW


def test_valid_state_change(agent_api, agent):
    change = make_change(agent)
    response = agent_api.patch(detail(change), {"state": "assess", "version": change.version}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "assess"


def test_approve_endpoint(manager_api, agent, manager):
    change = to_authorize(make_change(agent), agent)
    response = manager_api.post(f"{detail(change)}approve/", {"decision": "approve", "comment": "Go"},
                                format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "scheduled"
    assert [(a["decision"], a["comment"], a["approver"]["id"]) for a in body["approvals"]] == [
        ("approve", "Go", manager.pk)]
    assert AuditEntry.objects.for_object(change).filter(field="approval", new_value="approve").exists()


def test_approve_refusals(api_as, agent, manager, other_agent):
    change = to_authorize(make_change(agent), agent)
    own = api_as(agent).post(f"{detail(change)}approve/", {"decision": "approve"}, format="json")
    assert own.status_code == 403
    no_right = api_as(other_agent).post(f"{detail(change)}approve/", {"decision": "approve"}, format="json")
    assert no_right.status_code == 403
    bad = api_as(manager).post(f"{detail(change)}approve/", {"decision": "maybe"}, format="json")
    assert bad.status_code == 400 and "decision" in bad.json()
    assert Approval.objects.count() == 0


def test_approve_wrong_state_400(manager_api, agent):
    change = make_change(agent)
    response = manager_api.post(f"{detail(change)}approve/", {"decision": "approve"}, format="json")
    assert response.status_code == 400
    assert "state" in response.json()


def test_risk_assessment_endpoint(agent_api, agent):
    change = make_change(agent, cis=[make_ci("db", criticality=1)])
    response = agent_api.post(f"{detail(change)}risk-assessment/", {"answers": {"tested": True}}, format="json")
    assert response.status_code == 200
    # Unanswered questions count as risky (outage 3, first time 2, backout 2, customers 1), the
    # criticality-1 CI adds 4, the tested change and no downstream CIs nothing: 12, high (9 and up).
    assert (response.json()["risk"], response.json()["risk_score"]) == ("high", 12)
    bad = agent_api.post(f"{detail(change)}risk-assessment/", {"answers": {"nope": True}}, format="json")
    assert bad.status_code == 400


def test_malformed_filters_are_400_not_500(agent_api):
    assert agent_api.get(f"{URL}?state=bogus").status_code == 400
    assert agent_api.get(f"{URL}?affected_ci=abc").status_code == 400
    assert agent_api.get(f"{URL}?planned_after=yesterday").status_code == 400


def test_filters(agent_api, agent):
    ci = make_ci("db01")
    mine = make_change(agent, cis=[ci])
    make_change(agent)
    results = agent_api.get(f"{URL}?affected_ci={ci.pk}").json()["results"]
    assert [r["id"] for r in results] == [mine.pk]
    assert agent_api.get(f"{URL}?state=new&type=normal").json()["count"] == 2


def _count_list_queries(client):
    client.get(URL)  # warm up: the token's last-used stamp is written once a minute
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{URL}?page_size=200")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_is_constant(agent_api, agent, manager):
    cis = [make_ci(f"ci{i}") for i in range(3)]
    for _ in range(3):
        to_authorize(make_change(agent, cis=cis), agent)
    few = _count_list_queries(agent_api)
    for _ in range(12):
        change = to_authorize(make_change(agent, cis=cis), agent)
        services.decide_approval(change, actor=manager, channel="web", decision="approve")
    many = _count_list_queries(agent_api)
    assert few == many


def test_freeze_windows_admin_only(agent_api, api_as, admin_user):
    data = {"name": "Year end", "start": START.isoformat(), "end": (START + timedelta(days=2)).isoformat()}
    assert agent_api.post(f"{URL}freeze-windows/", data, format="json").status_code == 403
    response = api_as(admin_user).post(f"{URL}freeze-windows/", data, format="json")
    assert response.status_code == 201
    bad = api_as(admin_user).post(f"{URL}freeze-windows/", {**data, "end": START.isoformat()}, format="json")
    assert bad.status_code == 400
    assert agent_api.get(f"{URL}freeze-windows/").json()["count"] == 1


def test_caused_incidents_link(agent_api, agent):
    from incidents.models import Incident

    incident_fields = {f.name for f in Incident._meta.get_fields()}
    assert "caused_by_changes" in incident_fields
    change = make_change(agent)
    response = agent_api.patch(detail(change), {"caused_incidents": [999999], "version": change.version},
                               format="json")
    assert response.status_code == 400
    assert "caused_incidents" in response.json()


def test_patch_to_review_records_outcome(agent_api, agent, manager):
    from changes.tests.factories import schedule

    change = schedule(make_change(agent), agent, manager)
    change = services.transition_change(change, actor=agent, channel="api", target=S.IMPLEMENT)
    missing = agent_api.patch(detail(change), {"state": "review", "version": change.version}, format="json")
    assert missing.status_code == 400
    assert "outcome" in missing.json()
    response = agent_api.patch(detail(change), {"state": "review", "outcome": "failed", "version": change.version},
                               format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["outcome"]) == ("review", "failed")
    closing = agent_api.patch(detail(change), {"state": "closed", "version": response.json()["version"]},
                              format="json")
    assert closing.status_code == 400
    assert "pir" in closing.json()
    pir = agent_api.post(f"{detail(change)}pir/", {"summary": "Disk full"}, format="json")
    assert pir.status_code == 200
    closed = agent_api.patch(detail(change), {"state": "closed", "version": pir.json()["version"]}, format="json")
    assert closed.json()["state"] == "closed"
