import pytest

from cmdb.tests.factories import make_ci


@pytest.fixture
def db_server(db):
    return make_ci("db-01", "server", external_id="cmdb-db-01")
