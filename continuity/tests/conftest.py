import pytest

from accounts.roles import Role
from cmdb.tests.factories import make_ci, relate
from continuity import services
from core import services as core_services
from core.choices import Channel
from documents.models import Document


@pytest.fixture
def requester(make_user, team):
    user = make_user(Role.AGENT, username="requester")
    team.members.add(user)
    return user


@pytest.fixture
def payroll(db):
    """Payroll (service) needs payroll-db."""
    service = make_ci("Payroll", "business_service", criticality=1)
    database = make_ci("payroll-db", "database")
    relate(service, database, "depends_on")
    return {"service": service, "db": database}


@pytest.fixture
def drp(agent, payroll):
    document = core_services.create_ticket(Document, actor=agent, channel=Channel.WEB, title="Payroll DRP", kind="drp")
    return services.create_plan(actor=agent, channel=Channel.WEB, document=document, services=[payroll["service"]],
                                rto_minutes=240, rpo_minutes=15, test_interval_days=180,
                                contacts=[{"name": "Kim", "role": "Recovery lead"}],
                                steps=["Declare", "Fail over", "Check"])
