"""Issue 17, item 7: a webhook about an information security incident carries no content."""

import json

import pytest
from django.utils import timezone

from accounts.models import Team
from accounts.roles import Role
from core.choices import Channel
from incidents import security_services
from incidents.services import open_incident
from webhooks import payloads

pytestmark = pytest.mark.django_db


def test_webhooks_say_a_security_incident_moved_not_what_it_is_about(make_user, agent, end_user):
    cert = Team.objects.create(name="CERT", is_security=True)
    member = make_user(Role.AGENT, username="cert_agent")
    cert.members.add(member)
    breach = open_incident(actor=agent, channel=Channel.WEB, title="고객 DB 유출 의심", caller=end_user)
    breach = security_services.flag(breach, actor=member, channel=Channel.WEB)
    document = json.loads(payloads.body(name="incident.updated", at=timezone.now(), event_id=1, record=breach,
                                        data={"diff": {"title": ["a", "고객 DB 유출 의심"]}}))
    assert set(document["data"]) == {"id", "number", "state", "priority", "is_security", "created_at", "updated_at",
                                     "version", "url"}
    assert document["event"]["details"] == {}
    assert "유출" not in json.dumps(document, ensure_ascii=False)
