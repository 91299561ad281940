import pytest

from core.choices import Channel
from core.services import create_ticket
from tests.ticketapp.models import CaseTicket, DeskTicket


@pytest.fixture
def make_ticket(agent):
    def make(model=CaseTicket, *, actor=None, channel=Channel.WEB, **fields):
        fields.setdefault("title", "Printer on floor 3 is offline")
        return create_ticket(model, actor=actor or agent, channel=channel, **fields)

    return make


@pytest.fixture
def ticket(make_ticket, end_user):
    return make_ticket(requester=end_user)


@pytest.fixture
def desk_ticket(make_ticket):
    return make_ticket(DeskTicket, title="Replace core switch")
