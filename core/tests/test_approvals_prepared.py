"""The approvals badge's probe runs as a statement prepared once per database session
(core.approvals._fetch_prepared through core.prepared, issue 12 seventh round): the same answers as
the plain statement, one statement per page whatever the session's age. How a prepared statement
survives rollbacks, reconnects and a server that forgot it is core/tests/test_prepared.py's (a
DEALLOCATE ALL here would also drop the token look-up's statement on this test connection)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import approvals

SQL = ("SELECT COUNT(*) FILTER (WHERE username LIKE 'a%%'), COUNT(*) FILTER (WHERE id > %s), %s::int "
       "FROM accounts_user")


def _plain(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@pytest.mark.django_db
def test_the_same_row_as_the_plain_statement_in_one_statement_each_time(agent, manager):
    for params in ([0, 1], [agent.pk, 2], [manager.pk, 3], [0, 4], [0, 5], [0, 6], [0, 7]):
        with CaptureQueriesContext(connection) as seen:
            row = approvals._fetch_prepared(SQL, params)
        assert row == _plain(SQL, params)
        assert len(seen.captured_queries) == 1
    assert [q["sql"].split()[0] for q in seen.captured_queries] == ["EXECUTE"]

