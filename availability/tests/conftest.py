import pytest

from availability import services
from cmdb.tests.factories import make_ci
from core.choices import Channel

@pytest.fixture
def service(db):
    return make_ci("Civil petitions", "business_service")


@pytest.fixture
def other_service(db):
    return make_ci("Groupware", "business_service")


@pytest.fixture
def outage(agent):
    def make(service, start, end, **fields):
        return services.record_outage(actor=agent, channel=Channel.WEB, service=service, start=start, end=end,
                                      **fields)

    return make
