import pytest

from cmdb.tests.factories import make_ci, relate


@pytest.fixture
def estate(db):
    """service → app → (db, vm); db → vm; vm → host; host → switch.  (arrows: "needs")"""
    service = make_ci("Payroll", "business_service")
    app = make_ci("payroll-web", "application")
    database = make_ci("payroll-db", "database", attributes={"engine": "postgresql"})
    vm = make_ci("vm-payroll-01", "virtual_machine")
    host = make_ci("esx-01", "server")
    switch = make_ci("sw-core-01", "network_device", attributes={"device_type": "switch"})
    relate(service, app, "depends_on")
    relate(app, database, "depends_on")
    relate(app, vm, "runs_on")
    relate(database, vm, "hosted_on")
    relate(vm, host, "hosted_on")
    relate(host, switch, "depends_on")  # the host's uplink
    return {"service": service, "app": app, "db": database, "vm": vm, "host": host, "switch": switch}


@pytest.fixture
def desk_client(client, agent):
    client.force_login(agent)
    return client
