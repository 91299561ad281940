"""The events, Alertmanager and alerts endpoints, and their bad input (never a 500)."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from incidents.models import Incident
from monitoring.models import Alert, Event

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
AM = "/api/v1/events/alertmanager/"


def am_payload(status="firing", fingerprint="f00d", instance="payroll-web", severity="critical"):
    return {"version": "4", "status": status, "receiver": "itsm", "groupKey": "{}:{alertname=\"Down\"}",
            "groupLabels": {"alertname": "Down"}, "commonLabels": {}, "commonAnnotations": {},
            "externalURL": "http://am", "truncatedAlerts": 0,
            "alerts": [{"status": status, "labels": {"alertname": "Down", "instance": instance, "severity": severity},
                        "annotations": {"summary": "payroll-web is down"}, "startsAt": "2026-12-03T06:00:00Z",
                        "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://prom", "fingerprint": fingerprint}]}


def test_event_answers_202_with_event_alert_and_incident(agent_api, estate, rules, no_hold_down):
    body = {"source": "nagios", "node": "payroll-web", "check": "HTTP", "severity": "critical", "status": "firing",
            "fingerprint": "n-1", "message": "HTTP 500", "labels": {"env": "prod"}}
    first = agent_api.post(EVENTS, body, format="json")
    second = agent_api.post(EVENTS, body, format="json")
    assert first.status_code == second.status_code == 202
    alert, incident = Alert.objects.get(), Incident.objects.get()
    assert first.json() == {"id": Event.objects.order_by("id").first().pk, "alert": alert.pk, "incident": incident.pk}
    assert second.json()["alert"] == alert.pk and second.json()["incident"] == incident.pk
    assert Event.objects.order_by("id").first().raw == body
    resolved = agent_api.post(EVENTS, {**body, "status": "resolved"}, format="json")
    assert resolved.status_code == 202
    incident.refresh_from_db()
    assert incident.state == "resolved"


def test_a_batch_of_events(agent_api, estate, rules, no_hold_down):
    batch = [{"node": f"n{i}", "check": "ping", "severity": "warning"} for i in range(3)]
    response = agent_api.post(EVENTS, batch, format="json")
    assert response.status_code == 202 and len(response.json()) == 3
    assert Alert.objects.count() == 3


@pytest.mark.parametrize("body, field", [
    ({"node": "a", "check": "b", "severity": "disaster"}, "severity"),
    ({"node": "a", "check": "b", "severity": "major", "status": "gone"}, "status"),
    ({"severity": "major"}, "fingerprint"),
    ({"node": "a", "check": "b", "severity": "major", "labels": ["x"]}, "labels"),
    ([{"node": "a", "check": "b", "severity": "nope"}], "[0].severity"),
])
def test_bad_events_answer_400_naming_the_field(agent_api, body, field):
    response = agent_api.post(EVENTS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Event.objects.count() == 0


def test_a_megabyte_of_labels_is_refused_413(agent_api):
    labels = {f"k{i}": "x" * 1000 for i in range(1024)}
    response = agent_api.post(EVENTS, {"node": "a", "check": "b", "severity": "major", "labels": labels},
                              format="json")
    assert response.status_code == 413
    assert "at most 16384 bytes" in response.json()["labels"][0]
    assert Event.objects.count() == 0


def test_malformed_json_is_400(agent_api):
    response = agent_api.post(EVENTS, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_end_users_and_anonymous_may_not_send_events(end_user_api, api_client):
    body = {"node": "a", "check": "b", "severity": "major"}
    assert api_client.post(EVENTS, body, format="json").status_code == 401
    assert end_user_api.post(EVENTS, body, format="json").status_code == 403


def test_alertmanager_with_the_token_in_the_url_header_or_bearer(agent, estate, rules, no_hold_down):
    _token, key = ApiToken.issue(agent, name="am")
    client = APIClient()
    assert client.post(f"{AM}?token={key}", am_payload(), format="json").status_code == 202
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.post(AM, am_payload(), format="json")
    assert response.status_code == 202
    assert response.json()["accepted"] == 1
    alert = Alert.objects.get()
    assert (alert.fingerprint, alert.count, alert.ci_id, alert.check_name) == ("am:f00d", 2, estate["app"].pk, "Down")
    assert Incident.objects.count() == 1
    client.post(AM, am_payload(status="resolved"), format="json")
    assert Incident.objects.get().state == "resolved"


@pytest.mark.parametrize("headers, query", [
    ({"HTTP_AUTHORIZATION": "Bearer wrong"}, ""),
    ({}, "?token=wrong"),
    ({}, ""),
])
def test_alertmanager_with_a_wrong_token_is_401(headers, query, db):
    response = APIClient().post(f"{AM}{query}", am_payload(), format="json", **headers)
    assert response.status_code == 401
    assert Event.objects.count() == 0


@pytest.mark.parametrize("payload, field", [
    ({"version": "4"}, "alerts"),
    ({"version": "4", "alerts": [{"status": "firing", "labels": "x"}]}, "alerts[0].labels"),
    ([1, 2], "non_field_errors"),
])
def test_malformed_alertmanager_payload_is_400(agent_api, payload, field):
    response = agent_api.post(AM, payload, format="json")
    assert response.status_code == 400 and field in response.json()


def test_alerts_list_and_events(agent_api, estate, rules, no_hold_down, django_assert_num_queries):
    for fp in ("a", "b", "c"):
        agent_api.post(EVENTS, {"fingerprint": fp, "ci": "payroll-db", "severity": "major"}, format="json")
    with django_assert_num_queries(3):  # token with its user's roles, count, page (with CI and incident)
        response = agent_api.get("/api/v1/alerts/?state=open")
    assert response.status_code == 200 and response.json()["count"] == 3
    row = response.json()["results"][0]
    assert set(row) >= {"id", "fingerprint", "ci", "state", "count", "first_seen", "last_seen", "incident"}
    events = agent_api.get(f"/api/v1/alerts/{row['id']}/events/")
    assert events.status_code == 200 and events.json()["count"] == 1


def test_alerts_are_desk_only(end_user_api):
    assert end_user_api.get("/api/v1/alerts/").status_code == 403


@pytest.mark.parametrize("body", [
    {"node": "a", "check": "b", "severity": "major", "message": "nul \x00 byte"},
    {"node": "a", "check": "b", "severity": "major", "labels": {"k": "nul \x00"}},
    {"node": "a", "check": "b", "severity": "major", "fingerprint": "x" * 300},
    "just a string",
    [1, 2],
])
def test_odd_events_never_answer_500(agent_api, body):
    response = agent_api.post(EVENTS, body, format="json")
    assert 400 <= response.status_code < 500
