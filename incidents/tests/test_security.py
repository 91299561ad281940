"""Information security incidents (issue 17, item 7): who sees them, flagging through the services,
the notification log (API and desk) and the report."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from accounts import roles
from accounts.models import Team
from accounts.roles import Role
from core.choices import Channel
from core.exceptions import DomainError, PermissionRefused
from core.models import AuditEntry
from incidents import security, security_services
from incidents.models import Incident
from incidents.notifications import recipients

WEB = Channel.WEB


# --- the rule, without a database --------------------------------------------------------------

@pytest.mark.parametrize("facts,seen", [
    ({"is_security": False, "desk": True, "handler": False, "is_caller": False}, True),
    ({"is_security": True, "desk": True, "handler": False, "is_caller": False}, False),   # another agent
    ({"is_security": True, "desk": True, "handler": True, "is_caller": False}, True),     # the group
    ({"is_security": True, "desk": False, "handler": False, "is_caller": True}, True),    # its caller
    ({"is_security": True, "desk": True, "handler": False, "is_caller": True}, False),    # an agent caller, on the desk
    ({"is_security": False, "desk": False, "handler": False, "is_caller": True}, True),   # a caller's ordinary one
    ({"is_security": True, "desk": False, "handler": False, "is_caller": False}, False),  # another end user
    ({"is_security": False, "desk": False, "handler": False, "is_caller": False}, False),
])
def test_who_sees_an_incident(facts, seen):
    assert security.may_see(**facts) is seen


def test_only_the_group_handles_and_auditors_never_write():
    assert security.may_handle(handler=True, read_only=False)
    assert not security.may_handle(handler=False, read_only=False)
    assert not security.may_handle(handler=True, read_only=True)
    assert security.may_flag(desk=True, read_only=False)
    assert not security.may_flag(desk=True, read_only=True)
    assert not security.may_flag(desk=False, read_only=False)


# --- the world -----------------------------------------------------------------------------------

@pytest.fixture
def soc(db, make_user):
    """The security team with one agent member."""
    team = Team.objects.create(name="CERT", is_security=True)
    member = make_user(Role.AGENT, username="cert_agent")
    team.members.add(member)
    return member


@pytest.fixture
def breach(open_incident, soc):
    incident = open_incident(title="고객 DB 유출 의심", description="Suspicious export of the customer table")
    return security_services.flag(incident, actor=soc, channel=WEB,
                                  ratings={"confidentiality_impact": "high"}, notes="Forensics started")


def test_visible_to_restricts_security_incidents_to_the_group(breach, soc, agent, manager, admin_user, end_user,
                                                              other_end_user, make_user):
    designated = make_user(Role.MANAGER, username="ciso")
    designated.user_permissions.add(Permission.objects.get(codename="view_security_incidents"))
    seen = {user.username: Incident.objects.visible_to(user).filter(pk=breach.pk).exists()
            for user in (soc, agent, manager, admin_user, end_user, other_end_user, designated)}
    assert seen == {"cert_agent": True, "agent": False, "manager": False, "admin": False, "enduser": True,
                    "enduser2": False, "ciso": True}


def test_sees_answers_what_visible_to_lists(breach, soc, agent, manager, admin_user, end_user, other_end_user,
                                            make_user, open_incident):
    """The rule for a row already read (the API's detail and number search, incidents.api.rows)
    answers, user by user and incident by incident, whether visible_to lists it: an agent who
    is the caller of a security incident outside the group included."""
    from django.contrib.auth.models import AnonymousUser

    designated = make_user(Role.MANAGER, username="ciso")
    designated.user_permissions.add(Permission.objects.get(codename="view_security_incidents"))
    auditor = make_user(Role.AUDITOR, username="auditor")
    plain = open_incident(title="Printer jam")
    agent_called = security_services.flag(open_incident(title="Phishing", caller=agent), actor=soc, channel=WEB)
    incidents = list(Incident.objects.filter(pk__in=[breach.pk, plain.pk, agent_called.pk]))
    for user in (soc, agent, manager, admin_user, end_user, other_end_user, designated, auditor, AnonymousUser()):
        listed = set(Incident.objects.visible_to(user).values_list("pk", flat=True))
        for incident in incidents:
            fresh = type(user).objects.get(pk=user.pk) if user.pk else user  # no cached handler fact
            assert Incident.objects.sees(fresh, incident) is (incident.pk in listed), (user, incident)
            # ... and the pure rule says the same on the desk, and for end users on the portal
            facts = {"is_security": incident.is_security, "desk": roles.is_agent(fresh),
                     "handler": security.is_handler(fresh), "is_caller": incident.caller_id == user.pk}
            assert security.may_see(**facts) is (incident.pk in listed), (user, incident, facts)


def test_flagging_is_audited_and_only_the_group_unflags(breach, soc, agent):
    entries = AuditEntry.objects.for_object(breach).filter(field="is_security")
    assert [(e.new_value, e.actor_id, e.context.get("security")) for e in entries] == [(True, soc.pk, "flagged")]
    assert breach.confidentiality_impact == "high" and breach.security_flagged_at is not None
    with pytest.raises(PermissionRefused):
        security_services.unflag(breach, actor=agent, channel=WEB, reason="not ours")
    with pytest.raises(DomainError):
        security_services.unflag(breach, actor=soc, channel=WEB, reason=" ")
    security_services.unflag(breach, actor=soc, channel=WEB, reason="A false positive of the DLP tool")
    assert Incident.objects.visible_to(agent).filter(pk=breach.pk).exists()
    last = AuditEntry.objects.for_object(breach).filter(field="is_security").last()
    assert last.context == {"security": "unflagged", "reason": "A false positive of the DLP tool"}


def test_an_agent_outside_the_group_may_flag_but_not_rate(open_incident, agent, soc):
    incident = open_incident(title="Phishing mail")
    flagged = security_services.flag(incident, actor=agent, channel=WEB, ratings={"integrity_impact": "high"})
    assert flagged.is_security and flagged.integrity_impact == "none"  # the rating is the group's
    assert not Incident.objects.visible_to(agent).filter(pk=incident.pk).exists()


def test_an_ordinary_edit_cannot_clear_the_flag(breach, soc):
    from incidents import services

    with pytest.raises(DomainError):
        services.update_incident(breach, actor=soc, channel=WEB, changes={"is_security": False})


def test_notifications_of_a_security_incident_reach_only_caller_and_group(open_incident, soc, agent, end_user):
    incident = open_incident(title="Ransomware note on a PC", assigned_to=agent)
    security_services.flag(incident, actor=soc, channel=WEB)
    incident.refresh_from_db()
    assert {p.username for p in recipients(incident, "assigned")} == set()  # the agent is not in the group
    assert {p.username for p in recipients(incident, "created")} == {end_user.username}


# --- the API -------------------------------------------------------------------------------------

def test_api_another_agent_gets_404_and_the_group_sees_it(breach, agent_api, api_as, soc, end_user_api):
    assert agent_api.get(f"/api/v1/incidents/{breach.pk}/").status_code == 404
    assert agent_api.get(f"/api/v1/incidents/{breach.number}/comments/").status_code == 404
    listed = agent_api.get("/api/v1/incidents/").json()["results"]
    assert breach.number not in {row["number"] for row in listed}
    searched = agent_api.get("/api/v1/incidents/", {"search": "유출"}).json()["results"]
    assert searched == []
    member = api_as(soc)
    body = member.get(f"/api/v1/incidents/{breach.pk}/").json()
    assert body["is_security"] is True and body["security"]["confidentiality_impact"] == "high"
    assert breach.number in {row["number"] for row in member.get("/api/v1/incidents/", {"search": "유출"}).json()["results"]}
    # its caller still sees the ticket, without the group's part
    own = end_user_api.get(f"/api/v1/incidents/{breach.pk}/").json()
    assert own["is_security"] is True and own["security"] is None
    assert end_user_api.get(f"/api/v1/incidents/{breach.pk}/security-notifications/").status_code == 404


def test_api_security_notification_log(breach, api_as, soc, agent_api):
    member = api_as(soc)
    url = f"/api/v1/incidents/{breach.number}/security-notifications/"
    created = member.post(url, {"recipient": "pipc", "reference": "PIPC-2026-0042",
                                "recipient_detail": "개인정보보호위원회 신고"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["notified_by"]["username"] == "cert_agent"
    assert [row["reference"] for row in member.get(url).json()["results"]] == ["PIPC-2026-0042"]
    assert member.post(url, {"recipient": "nobody"}, format="json").status_code == 400
    assert agent_api.get(url).status_code == 404
    assert AuditEntry.objects.filter(content_type__model="securitynotification").count() == 1


# --- the desk ------------------------------------------------------------------------------------

def test_desk_list_detail_search_hide_it_from_another_agent(client, breach, agent, soc):
    client.force_login(agent)
    assert client.get(f"/incidents/{breach.pk}/").status_code == 404
    assert breach.number not in client.get("/incidents/?queue=all").content.decode()
    assert breach.number not in client.get("/incidents/?queue=all&search=유출").content.decode()
    assert client.post(f"/incidents/{breach.pk}/security/unflag/", {"reason": "x"}).status_code == 404
    client.force_login(soc)
    page = client.get(f"/incidents/{breach.pk}/").content.decode()
    assert 'data-testid="security-panel"' in page and "Forensics started" in page
    assert breach.number in client.get("/incidents/?queue=all&search=유출").content.decode()


def test_desk_panel_records_a_notification_and_the_report_counts_it(client, breach, soc, agent):
    client.force_login(soc)
    response = client.post(f"/incidents/{breach.pk}/security/notifications/",
                           {"recipient": "kisa", "reference": "KISA-118", "notified_at": ""})
    assert response.status_code == 302
    assert breach.security_notifications.get().reference == "KISA-118"
    report = client.get("/incidents/security/report/")
    assert report.status_code == 200
    assert report.context["total"] == 1 and report.context["notified"] == 1
    client.force_login(agent)
    assert client.get("/incidents/security/report/").status_code == 404


def test_desk_flag_then_unflag(client, open_incident, agent, soc):
    incident = open_incident(title="Lost laptop with HR files")
    client.force_login(agent)
    response = client.post(f"/incidents/{incident.pk}/security/flag/", {"version": incident.version})
    assert response.status_code == 302 and response.url == "/incidents/"  # no longer theirs to see
    client.force_login(soc)
    client.post(f"/incidents/{incident.pk}/security/unflag/", {"reason": "Encrypted disk, no exposure"})
    incident.refresh_from_db()
    assert incident.is_security is False


def test_no_mail_to_non_members_about_a_security_incident(open_incident, soc, agent, django_capture_on_commit_callbacks):
    from incidents import notifications

    incident = open_incident(title="Malware on the payroll server")
    security_services.flag(incident, actor=soc, channel=WEB)
    mail.outbox.clear()
    notifications.send(incident.pk, "assigned")  # nobody in the group is assigned: nobody is told
    assert mail.outbox == []

