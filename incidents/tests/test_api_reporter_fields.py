"""Defect 1 of issue 10: what an end user may set when opening an incident through the API.

An end user says what is wrong, how urgent it is for them and which service (one the portal
would offer them); impact, priority, channel, category, CI and the rest are the desk's. Sending
a desk field answers 403 naming it, before any value is looked at, and nothing is recorded.
The channel is the one the report came through (`api`).
"""

import pytest

from cmdb.choices import BUSINESS_SERVICE_SLUG
from cmdb.models import CIClass, ConfigurationItem
from incidents.models import Incident
from sla.models import SLAClock
from sla.tests.factories import make_calendar, make_definition

pytestmark = pytest.mark.django_db
LIST = "/api/v1/incidents/"


@pytest.fixture
def sla(db):
    return make_definition(calendar=make_calendar(always_open=True))


@pytest.mark.parametrize("field,value", [
    ("impact", 1), ("priority", 1), ("channel", "monitoring"), ("category", "network"),
    ("subcategory", "vpn"), ("configuration_item", 1), ("caller", 1), ("assignment_group", 1),
    ("assigned_to", 1), ("is_major", True), ("parent", "INC0000001"), ("priority_override_reason", "x"),
])
def test_end_user_sending_a_desk_field_is_refused_naming_it(end_user_api, field, value):
    response = end_user_api.post(LIST, {"title": "VPN down", "urgency": 1, field: value}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": f"Only the service desk can set these fields: {field}."}
    assert Incident.objects.count() == 0


def test_the_issue_probe_is_refused_naming_every_desk_field(end_user_api):
    response = end_user_api.post(LIST, {"title": "VPN down", "impact": 1, "urgency": 1, "channel": "monitoring"},
                                 format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the service desk can set these fields: channel, impact."}


def test_end_user_report_gets_low_impact_api_channel_and_clocks_of_its_priority(end_user_api, end_user, sla, estate):
    groupware, _mail = estate
    response = end_user_api.post(LIST, {"title": "VPN down", "description": "since 9", "urgency": 1,
                                        "service": groupware.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    # impact 3 (low) with urgency 1 is P3 by the default matrix
    assert (body["impact"], body["urgency"], body["priority"]) == (3, 1, 3)
    assert body["channel"] == "api" and body["service"] == groupware.pk and body["caller"] == end_user.pk
    assert body["configuration_item"] is None and body["category"] is None
    targets = dict(SLAClock.objects.filter(object_id=body["id"]).values_list("kind", "target_minutes"))
    assert targets == {"response": 60, "resolution": 240}


def test_end_user_may_not_name_a_desk_only_ci_as_service(end_user_api, estate):
    _groupware, mail = estate  # a server: desk-only
    response = end_user_api.post(LIST, {"title": "Mail down", "service": mail.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"service": [f'Invalid pk "{mail.pk}" - object does not exist.']}


def test_end_user_may_not_name_a_retired_service(end_user_api):
    service_class = CIClass.objects.get_or_create(slug=BUSINESS_SERVICE_SLUG, defaults={"name": "Business service"})[0]
    retired = ConfigurationItem.objects.create(name="Old ERP", ci_class=service_class, status="retired")
    response = end_user_api.post(LIST, {"title": "ERP down", "service": retired.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"service": [f'Invalid pk "{retired.pk}" - object does not exist.']}


def test_the_desk_still_classifies_and_records_the_channel(agent_api, end_user, sla, estate):
    _groupware, mail = estate
    response = agent_api.post(LIST, {"title": "Mail down", "caller": end_user.pk, "impact": 1, "urgency": 1,
                                     "configuration_item": mail.pk, "channel": "email"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["priority"], body["channel"], body["configuration_item"]) == (1, "email", mail.pk)
    targets = dict(SLAClock.objects.filter(object_id=body["id"]).values_list("kind", "target_minutes"))
    assert targets == {"response": 15, "resolution": 60}


def test_the_service_refuses_desk_fields_from_other_entry_points_too(end_user, estate):
    """The service itself resets what end users may not choose, whatever calls it."""
    from core.choices import Channel
    from incidents import services

    _groupware, mail = estate
    incident = services.open_incident(actor=end_user, channel=Channel.PORTAL, title="x", impact=1, urgency=2,
                                      configuration_item=mail, source="monitoring")
    assert (incident.impact, incident.priority, incident.channel, incident.configuration_item) == (3, 4, "portal", None)


def test_caller_naming_a_desk_field_on_their_incident_learns_nothing_about_the_id(end_user_api, end_user, agent):
    from core.choices import Channel
    from incidents import services

    incident = services.open_incident(actor=end_user, channel=Channel.PORTAL, title="VPN down")
    url = f"{LIST}{incident.pk}/"
    for pk in (agent.pk, agent.pk + 1000):  # an existing user and a missing one
        response = end_user_api.patch(url, {"assigned_to": pk, "version": incident.version}, format="json")
        assert response.status_code == 403
        assert response.json() == {"detail": "Only the service desk can change these fields: assigned_to."}
    cancelled = end_user_api.patch(url, {"state": "cancelled", "version": incident.version}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
