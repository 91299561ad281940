"""core.services.transition and check_editable: the one state move and editable-field check."""

import pytest

from core import events
from core.choices import AuditAction, Channel
from core.exceptions import DomainError, InvalidTransition, PermissionRefused, StaleVersion
from core.models import AuditEntry
from core.services import check_editable, transition
from incidents.models import Incident
from tests.ticketapp.models import CaseTicket

pytestmark = pytest.mark.django_db


def test_unknown_fields_are_refused_with_their_names():
    with pytest.raises(DomainError) as refused:
        check_editable(CaseTicket, {"title": "x", "number": "TST9", "version": 3}, None, is_agent=True)
    assert refused.value.status_code == 400
    assert "number, version" in str(refused.value.message)


def test_end_users_may_not_set_desk_only_fields(end_user):
    check_editable(CaseTicket, {"title": "A clearer title"}, end_user)
    with pytest.raises(PermissionRefused) as refused:
        check_editable(CaseTicket, {"title": "x", "assigned_to": None}, end_user)
    assert "assigned_to" in str(refused.value.message)
    # For an incident, only the state is the caller's: classification is the desk's.
    with pytest.raises(PermissionRefused):
        check_editable(Incident, {"priority": 1}, end_user)
    check_editable(Incident, {"state": "cancelled"}, end_user)


def test_a_move_is_checked_audited_and_published(ticket, agent):
    seen = []
    listener = events.on("caseticket.closed")(seen.append)
    try:
        moved, diff = transition(ticket, "closed", actor=agent, channel=Channel.API, expected_version=1)
    finally:
        events._in_transaction["caseticket.closed"].remove(listener)
    assert moved.state == "closed" and moved.version == 2
    assert diff["state"] == ("new", "closed")
    entry = AuditEntry.objects.for_object(moved).filter(action=AuditAction.TRANSITIONED).get()
    assert (entry.field, entry.old_value, entry.new_value) == ("state", "new", "closed")
    assert [(e.name, e.data) for e in seen] == [("caseticket.closed", {"from": "new", "to": "closed"})]


def test_a_move_the_workflow_forbids_names_the_allowed_targets(ticket, agent):
    ticket, _diff = transition(ticket, "closed", actor=agent, channel=Channel.API)
    with pytest.raises(InvalidTransition) as refused:
        transition(ticket, "new", actor=agent, channel=Channel.API)
    assert refused.value.allowed == []


def test_a_stale_version_moves_nothing(ticket, agent):
    with pytest.raises(StaleVersion):
        transition(ticket, "closed", actor=agent, channel=Channel.API, expected_version=7)
    ticket.refresh_from_db()
    assert ticket.state == "new"


def test_fields_sent_with_a_move_are_checked_too(ticket, end_user):
    with pytest.raises(PermissionRefused):
        transition(ticket, "closed", actor=end_user, channel=Channel.PORTAL, changes={"assigned_to": None})
    ticket.refresh_from_db()
    assert ticket.state == "new"


def test_state_timestamps_come_from_the_lifecycle(agent, end_user):
    from incidents import services

    incident = services.open_incident(actor=agent, channel=Channel.WEB, title="VPN down", caller=end_user)
    incident = services.resolve(incident, actor=agent, channel=Channel.WEB, code="user_error", notes="Advice")
    assert incident.resolved_at is not None and incident.closed_at is None
    incident = services.close(incident, actor=end_user, channel=Channel.PORTAL)
    assert incident.closed_at is not None
