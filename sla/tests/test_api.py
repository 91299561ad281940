"""API v1 sla/calendars/, sla/definitions/, sla/clocks/."""

import pytest

from sla.models import BusinessCalendar, SLADefinition
from sla.tests.conftest import kst

pytestmark = pytest.mark.django_db

CALENDAR = {
    "name": "Seoul office",
    "time_zone": "Asia/Seoul",
    "working_hours": [{"weekday": d, "start": "09:00", "end": "12:00"} for d in range(5)]
    + [{"weekday": d, "start": "13:00", "end": "18:00"} for d in range(5)],
    "holidays": {"country": "KR", "language": "ko", "custom_dates": [
        {"date": "2026-11-24", "kind": "closed", "reason": "임시공휴일"},
        {"date": "2026-11-28", "kind": "open", "start": "09:00", "end": "13:00", "reason": "half day"}]},
}


@pytest.fixture
def admin_api(api_as, admin_user):
    return api_as(admin_user)


def test_admin_creates_calendar_with_lunch_and_custom_dates(admin_api):
    # when
    response = admin_api.post("/api/v1/sla/calendars/", CALENDAR, format="json")
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["working_hours"]) == 10
    assert body["holidays"]["country"] == "KR"
    assert body["holidays"]["custom_dates"][0] == {"date": "2026-11-24", "kind": "closed", "start": None,
                                                   "end": None, "reason": "임시공휴일"}
    calendar = BusinessCalendar.objects.get(name="Seoul office")
    from sla.calendars import calendar_value
    from sla.clock import business_seconds_between

    value = calendar_value(calendar)
    assert business_seconds_between(value, kst(2026, 11, 23), kst(2026, 11, 30)) == 4 * 8 * 3600 + 4 * 3600


@pytest.mark.parametrize("change, field", [
    ({"time_zone": "Mars/Base"}, "time_zone"),
    ({"working_hours": []}, "working_hours"),
    ({"working_hours": [{"weekday": 0, "start": "09:00", "end": "12:00"},
                        {"weekday": 0, "start": "11:00", "end": "13:00"}]}, "working_hours"),
    ({"working_hours": [{"weekday": 0, "start": "18:00", "end": "09:00"}]}, "working_hours"),
    ({"working_hours": [{"weekday": 9, "start": "09:00", "end": "18:00"}]}, "working_hours"),
    ({"holidays": {"country": "XX"}}, "holiday_country"),
    ({"holidays": {"country": "KR", "custom_dates": [{"date": "2026-01-02", "kind": "closed", "reason": ""}]}},
     "holidays"),
    ({"name": ""}, "name"),
])
def test_bad_calendars_answer_400_and_change_nothing(admin_api, change, field):
    response = admin_api.post("/api/v1/sla/calendars/", {**CALENDAR, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not BusinessCalendar.objects.exists()


def test_calendar_24x7_needs_no_hours(admin_api):
    response = admin_api.post("/api/v1/sla/calendars/", {"name": "24x7", "time_zone": "UTC", "always_open": True},
                              format="json")
    assert response.status_code == 201


def test_agents_read_but_do_not_write(agent_api, end_user_api, api_client, kr_calendar):
    assert agent_api.get("/api/v1/sla/calendars/").status_code == 200
    assert agent_api.post("/api/v1/sla/calendars/", CALENDAR, format="json").status_code == 403
    assert end_user_api.get("/api/v1/sla/definitions/").status_code == 403
    assert api_client.get("/api/v1/sla/definitions/").status_code == 401


def definition_body(calendar_row, **extra):
    return {
        "name": "Incidents gold", "agreement": "sla", "ticket_type": "incidents.incident", "calendar": calendar_row.pk,
        "applies_to": {"priorities": [1, 2, 3]},
        "targets": [{"priority": 1, "response_minutes": 15, "resolution_minutes": 240},
                    {"priority": 2, "response_minutes": 30, "resolution_minutes": 480}],
        **extra,
    }


def test_admin_creates_definition_with_defaults(admin_api, kr_calendar):
    response = admin_api.post("/api/v1/sla/definitions/", definition_body(kr_calendar), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["pause_states"] == ["on_hold:awaiting_caller"]
    assert body["warning_thresholds"] == [50, 75, 90]
    assert body["ticket_type"] == "incidents.incident"
    assert body["targets"][0] == {"priority": 1, "response_minutes": 15, "resolution_minutes": 240}
    assert body["on_reopen"] == "resume" and body["stop_at"] == "resolved"


@pytest.mark.parametrize("change, field", [
    ({"applies_to": {"priorities": [7]}}, "applies_to"),
    ({"applies_to": {"categories": [999999]}}, "applies_to"),
    ({"applies_to": {"colour": ["red"]}}, "applies_to"),
    ({"applies_to": {"priorities": []}}, "applies_to"),
    ({"applies_to": ["p1"]}, "applies_to"),
    ({"targets": [{"priority": 1, "response_minutes": 0, "resolution_minutes": 60}]}, "targets"),
    ({"targets": [{"priority": 1, "response_minutes": -5, "resolution_minutes": 60}]}, "targets"),
    ({"targets": [{"priority": 9, "response_minutes": 5, "resolution_minutes": 60}]}, "targets"),
    ({"targets": [{"priority": 1}]}, "targets"),
    ({"targets": []}, "targets"),
    ({"pause_states": ["sleeping"]}, "pause_states"),
    ({"pause_states": ["on_hold:lunch"]}, "pause_states"),
    ({"warning_thresholds": [0, 150]}, "warning_thresholds"),
    ({"ticket_type": "accounts.team"}, "ticket_type"),
    ({"ticket_type": "nothing"}, "ticket_type"),
    ({"calendar": 999999}, "calendar"),
    ({"on_reopen": "sometimes"}, "on_reopen"),
])
def test_bad_definitions_answer_400_and_change_nothing(admin_api, kr_calendar, change, field):
    response = admin_api.post("/api/v1/sla/definitions/", definition_body(kr_calendar, **change), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json(), response.json()
    assert not SLADefinition.objects.exists()


def test_patch_definition_replaces_targets(admin_api, kr_calendar):
    created = admin_api.post("/api/v1/sla/definitions/", definition_body(kr_calendar), format="json").json()
    response = admin_api.patch(f"/api/v1/sla/definitions/{created['id']}/",
                               {"targets": [{"priority": 1, "resolution_minutes": 120}], "on_reopen": "restart"},
                               format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["targets"] == [{"priority": 1, "response_minutes": None, "resolution_minutes": 120}]
    assert response.json()["on_reopen"] == "restart"


def test_clock_events_and_explain(agent_api, definition, open_incident, agent):
    from core.choices import Channel
    from incidents import services

    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    services.transition(incident, actor=agent, channel=Channel.WEB, target="on_hold",
                        on_hold_reason="awaiting_caller", now=kst(2026, 11, 23, 11, 0))
    clocks = agent_api.get(f"/api/v1/sla/clocks/?object_id={incident.pk}&kind=resolution").json()["results"]
    assert len(clocks) == 1
    clock_id = clocks[0]["id"]
    events = agent_api.get(f"/api/v1/sla/clocks/{clock_id}/events/").json()
    assert [e["kind"] for e in events] == ["start", "pause"]
    assert events[1]["elapsed_business_seconds"] == 3600
    assert events[1]["calendar_name"] == "KR office"
    explained = agent_api.get(f"/api/v1/sla/clocks/{clock_id}/explain/").json()
    assert explained["elapsed_business_seconds"] == 3600
    assert "summary" in explained


def test_incident_api_exposes_slas(agent_api, definition, open_incident):
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    body = agent_api.get(f"/api/v1/incidents/{incident.pk}/").json()
    kinds = sorted(s["kind"] for s in body["slas"])
    assert kinds == ["resolution", "response"]
    assert {"definition", "kind", "state", "due_at", "breached_at", "elapsed_business_seconds"} <= set(body["slas"][0])


def test_definition_list_query_count_is_constant(agent_api, kr_calendar):
    from sla.tests.factories import make_definition

    for i in range(3):
        make_definition(f"D{i}", calendar=kr_calendar)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agent_api.get("/api/v1/sla/definitions/")  # warm up (token bookkeeping on first use)
    with CaptureQueriesContext(connection) as few:
        agent_api.get("/api/v1/sla/definitions/")
    for i in range(3, 20):
        make_definition(f"D{i}", calendar=kr_calendar)
    with CaptureQueriesContext(connection) as many:
        response = agent_api.get("/api/v1/sla/definitions/")
    assert response.json()["count"] == 20
    assert len(many) == len(few)


def test_running_clock_elapsed_is_live(agent_api, open_incident):
    import datetime as dt

    from django.utils import timezone

    from sla.tests.factories import make_definition

    make_definition("24x7", calendar=None)
    incident = open_incident(now=timezone.now() - dt.timedelta(minutes=30))
    body = agent_api.get(f"/api/v1/incidents/{incident.pk}/").json()
    elapsed = {s["kind"]: s["elapsed_business_seconds"] for s in body["slas"]}
    assert 1790 <= elapsed["resolution"] <= 1900


@pytest.mark.parametrize("path, body", [
    ("/api/v1/sla/calendars/", []),
    ("/api/v1/sla/calendars/", {"name": "x", "working_hours": "9-18"}),
    ("/api/v1/sla/calendars/", {"name": "x", "working_hours": [{"weekday": 0, "start": "25:00", "end": "26:00"}]}),
    ("/api/v1/sla/calendars/", {"name": "x", "holidays": "KR"}),
    ("/api/v1/sla/calendars/", {"name": None, "time_zone": None}),
    ("/api/v1/sla/definitions/", {"name": "x", "ticket_type": None}),
    ("/api/v1/sla/definitions/", {"name": "x", "ticket_type": "incidents.incident", "targets": "fast"}),
    ("/api/v1/sla/definitions/", {"name": "x", "ticket_type": "incidents.incident",
                                  "targets": [{"priority": 10 ** 30}]}),
    ("/api/v1/sla/definitions/", {"name": "x", "ticket_type": "incidents.incident", "pause_states": {"a": 1},
                                  "targets": [{"priority": 1, "resolution_minutes": 10}]}),
    ("/api/v1/sla/definitions/", {"name": "x", "ticket_type": "incidents.incident", "warning_thresholds": "50",
                                  "targets": [{"priority": 1, "resolution_minutes": 10}]}),
    ("/api/v1/sla/definitions/", {"name": "x", "ticket_type": "incidents.incident", "applies_to": {"priorities": [True]},
                                  "targets": [{"priority": 1, "resolution_minutes": 10}]}),
])
def test_malformed_input_is_400_never_500(admin_api, path, body):
    response = admin_api.post(path, body, format="json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize(("query", "status"), [
    ("?state=bogus", 400), ("?object_id=abc", 400), ("?definition=zz", 400),
    # An unknown ordering field is ignored (DRF's OrderingFilter), the default order applies.
    ("?ordering=nope", 200),
    ("?page=999", 404),
])
def test_clock_list_filters_never_500(agent_api, query, status):
    assert agent_api.get("/api/v1/sla/clocks/" + query).status_code == status


def test_clock_detail_invisible_to_end_users(end_user_api, definition, open_incident):
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    from sla.models import SLAClock

    clock = SLAClock.objects.for_object(incident).first()
    assert end_user_api.get(f"/api/v1/sla/clocks/{clock.pk}/").status_code == 403
    assert end_user_api.get(f"/api/v1/sla/clocks/{clock.pk}/events/").status_code == 403


def test_managers_keep_calendars_and_agreements_through_the_api_as_in_the_desk(manager_api, kr_calendar):
    created = manager_api.post("/api/v1/sla/calendars/", {**CALENDAR, "name": "Manager's calendar"}, format="json")
    assert created.status_code == 201, created.content
    definition = manager_api.post("/api/v1/sla/definitions/", definition_body(kr_calendar), format="json")
    assert definition.status_code == 201, definition.content
