import pytest

from cmdb.tests.factories import make_ci, relate
from monitoring.models import IncidentRule


@pytest.fixture
def estate(db):
    """Payroll (service) → payroll-web → vm-payroll-01 → esx-01; payroll-web → payroll-db. (arrows: "needs")"""
    service = make_ci("Payroll", "business_service", criticality=1)
    app = make_ci("payroll-web", "application", criticality=2)
    database = make_ci("payroll-db", "database", attributes={"engine": "postgresql"}, external_id="cmdb-db-1")
    vm = make_ci("vm-payroll-01", "virtual_machine")
    host = make_ci("esx-01", "server")
    relate(service, app, "depends_on")
    relate(app, database, "depends_on")
    relate(app, vm, "runs_on")
    relate(vm, host, "hosted_on")
    return {"service": service, "app": app, "db": database, "vm": vm, "host": host}


@pytest.fixture
def rules(db):
    """Critical and major alerts open incidents; warnings in production open a low one."""
    return [
        IncidentRule.objects.create(name="critical", order=10, min_severity="critical", impact=1, urgency=1),
        IncidentRule.objects.create(name="major", order=20, min_severity="major", impact=2, urgency=2),
        IncidentRule.objects.create(name="staging quiet", order=5, min_severity="info", environment="staging",
                                    open_incident=False),
    ]


@pytest.fixture
def no_hold_down(settings):
    settings.MONITORING_HOLD_DOWN_MINUTES = 0
