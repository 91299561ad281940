import pytest

from core.choices import Channel
from core.exceptions import StaleVersion
from core.models import AuditEntry
from core.services import set_links, update_ticket
from tests.ticketapp.models import CaseTicket


@pytest.mark.django_db
def test_current_version_is_accepted_and_increments(ticket, agent):
    # when
    updated, _diff = update_ticket(ticket, actor=agent, channel=Channel.API, expected_version=1,
                                   changes={"title": "New title"})
    # then
    assert updated.version == 2
    assert CaseTicket.objects.get(pk=ticket.pk).version == 2


@pytest.mark.django_db
def test_stale_version_is_refused_and_nothing_is_written(ticket, agent, other_agent):
    # given: someone else saved first
    update_ticket(ticket, actor=other_agent, channel=Channel.WEB, changes={"title": "Their title"})
    trail_before = AuditEntry.objects.for_object(ticket).count()
    # when
    with pytest.raises(StaleVersion) as refusal:
        update_ticket(ticket, actor=agent, channel=Channel.API, expected_version=1,
                      changes={"title": "My title", "description": "mine"})
    # then
    assert refusal.value.current_version == 2
    assert refusal.value.status_code == 409
    stored = CaseTicket.objects.get(pk=ticket.pk)
    assert (stored.title, stored.description, stored.version) == ("Their title", "", 2)
    assert AuditEntry.objects.for_object(ticket).count() == trail_before


@pytest.mark.django_db
def test_version_given_as_text_is_compared_as_number(ticket, agent):
    updated, _diff = update_ticket(ticket, actor=agent, channel=Channel.API, expected_version="1",
                                   changes={"title": "ok"})
    assert updated.version == 2


@pytest.mark.django_db
def test_stale_version_refuses_link_changes(ticket, agent, team):
    # given
    update_ticket(ticket, actor=agent, channel=Channel.WEB, changes={"title": "bump"})
    # when / then
    with pytest.raises(StaleVersion):
        set_links(ticket, field="comments", targets=[], actor=agent, channel=Channel.API, expected_version=1)
