import pytest

from core.choices import Channel
from improvements import services


@pytest.fixture
def make_item(agent):
    def make(actor=None, **fields):
        fields.setdefault("title", "Shorten password resets")
        return services.create_improvement(actor=actor or agent, channel=Channel.WEB, **fields)

    return make


def walk(item, actor, *targets, **fields):
    for target in targets:
        item, _diff = services.transition_improvement(item, target, actor=actor, channel=Channel.WEB,
                                                      **(fields if target == targets[-1] else {}))
    return item
