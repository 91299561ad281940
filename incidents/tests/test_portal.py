"""Self-service portal: own incidents only, never work notes, confirm and reopen."""

import pytest
from django.urls import reverse

from core.choices import Channel
from incidents import services
from incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_file_an_incident(client, end_user, estate):
    groupware, _ = estate
    client.force_login(end_user)
    response = client.post(reverse("portal:incident_create"), {
        "title": "메일이 안 보내져요", "description": "오전부터", "urgency": 1, "service": groupware.pk,
    })
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_portal_url()
    assert (incident.caller, incident.channel, incident.urgency, incident.service) == (end_user, "portal", 1,
                                                                                       groupware)
    home = client.get(reverse("portal:home"))
    assert incident.number in home.content.decode()


def test_empty_report_is_refused(client, end_user):
    client.force_login(end_user)
    assert client.post(reverse("portal:incident_create"), {"title": ""}).status_code == 400
    assert Incident.objects.count() == 0


def test_another_persons_incident_is_404(client, end_user, other_end_user, open_incident):
    theirs = open_incident(caller=other_end_user)
    client.force_login(end_user)
    url = reverse("portal:incident_detail", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "comment", "body": "hi"}).status_code == 404
    assert theirs.number not in client.get(reverse("portal:home") + "?show=all").content.decode()


def test_work_notes_never_shown(client, end_user, agent, open_incident):
    incident = open_incident()
    services.comment(incident, actor=agent, channel=Channel.WEB, body="visible reply")
    services.comment(incident, actor=agent, channel=Channel.WEB, body="internal diagnosis", internal=True)
    client.force_login(end_user)
    page = client.get(incident.get_portal_url()).content.decode()
    assert "visible reply" in page and "internal diagnosis" not in page


def test_confirm_and_reopen(client, end_user, agent, open_incident):
    incident = services.resolve(open_incident(), actor=agent, channel=Channel.WEB, code="user_error", notes="Done")
    client.force_login(end_user)
    client.post(incident.get_portal_url(), {"action": "reopen", "reason": "Still failing"})
    incident.refresh_from_db()
    assert (incident.state, incident.reopen_count) == ("in_progress", 1)
    incident = services.resolve(incident, actor=agent, channel=Channel.WEB, code="user_error", notes="Again")
    client.post(incident.get_portal_url(), {"action": "confirm"})
    incident.refresh_from_db()
    assert incident.state == "closed"


def test_reopen_needs_reason(client, end_user, agent, open_incident):
    incident = services.resolve(open_incident(), actor=agent, channel=Channel.WEB, code="user_error", notes="Done")
    client.force_login(end_user)
    assert client.post(incident.get_portal_url(), {"action": "reopen", "reason": ""}).status_code == 400
    incident.refresh_from_db()
    assert incident.state == "resolved"


def test_comment_from_portal(client, end_user, open_incident):
    incident = open_incident()
    client.force_login(end_user)
    client.post(incident.get_portal_url(), {"action": "comment", "body": "추가 정보입니다", "internal": "on"})
    comment = incident.comments.get()
    assert (comment.body, comment.internal, comment.channel) == ("추가 정보입니다", False, "portal")


def test_my_tickets_query_count_is_constant(client, end_user, team, agent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from incidents.tests.test_api import make_many

    client.force_login(end_user)
    make_many(10, end_user, team, agent)
    client.get(reverse("portal:home"))
    with CaptureQueriesContext(connection) as ten:
        client.get(reverse("portal:home"))
    make_many(90, end_user, team, agent)
    with CaptureQueriesContext(connection) as hundred:
        client.get(reverse("portal:home"))
    assert len(ten) == len(hundred)
