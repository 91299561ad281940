import pytest

from cmdb.tests.factories import make_ci
from core.choices import Channel
from publicsla import services


@pytest.fixture
def system_service(db):
    return make_ci("e-Government portal", "business_service")


@pytest.fixture
def contract(manager, system_service):
    return services.create_contract(actor=manager, channel=Channel.WEB, name="전자정부 포털 운영", system_grade=1,
                                    monthly_amount=50_000_000, services=[system_service])
