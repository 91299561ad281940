import pytest

from core.choices import Channel
from documents import services


@pytest.fixture
def make_document(agent):
    def make(actor=None, body="First text.", **fields):
        fields.setdefault("title", "Service management policy")
        fields.setdefault("kind", "policy")
        fields.setdefault("owner", actor or agent)
        return services.create_document(actor=actor or agent, channel=Channel.WEB, body=body, **fields)

    return make
