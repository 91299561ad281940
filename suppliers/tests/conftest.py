import datetime

import pytest

from accounts.models import Team
from cmdb.tests.factories import make_ci
from core.choices import Channel
from sla.models import BusinessCalendar
from sla.tests.factories import make_definition
from suppliers import services


@pytest.fixture
def always(db):
    return BusinessCalendar.objects.create(name="24×7", always_open=True)


@pytest.fixture
def erp(db):
    return make_ci("ERP", "business_service")


@pytest.fixture
def p1_sla(always):
    """The customer SLA: P1 resolved within 4 h, round the clock, on every service."""
    return make_definition("Incidents: critical (P1, 24×7)", calendar=always, targets={1: (15, 240)},
                           applies_to={"priorities": [1]})


@pytest.fixture
def hanbit(manager):
    team = Team.objects.create(name="Hanbit maintenance")
    return services.save_supplier(None, actor=manager, channel=Channel.WEB, fields={
        "name": "(주)한빛시스템", "business_number": "214-86-12345", "team": team},
        contacts=[{"name": "김지호", "email": "jiho@hanbit.example", "phone": "02-555-0101", "role": "영업"}])


@pytest.fixture
def make_contract(manager, hanbit, always, erp):
    def make(resolution=8 * 60, *, response=10, actor=None, **fields):
        fields.setdefault("title", "ERP maintenance UC")
        fields.setdefault("kind", "uc")
        fields.setdefault("supplier", hanbit)
        fields.setdefault("start", datetime.date(2026, 1, 1))
        fields.setdefault("end", datetime.date(2027, 12, 31))
        fields.setdefault("calendar", always)
        return services.save_contract(None, actor=actor or manager, channel=Channel.WEB, fields=fields,
                                      services=[erp], targets=[{"priority": 1, "response_minutes": response,
                                                                "resolution_minutes": resolution}])

    return make
