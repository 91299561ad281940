"""Every connection carries a statement and a lock timeout (issue 10, defect 7); workers get
their own, longer ones. The fault test itself is tests/test_lock_timeout.py."""

import pytest
from django.conf import settings
from django.db import connection

from itsm.celery import _worker_database_timeouts
from itsm.dbtimeouts import with_timeouts


def test_timeouts_replace_their_own_and_keep_other_options():
    database = {"OPTIONS": {"options": "-c search_path=itsm -c lock_timeout=1 -c statement_timeout=2"}}

    with_timeouts(database, statement_ms=30000, lock_ms=5000)

    assert database["OPTIONS"]["options"] == "-c search_path=itsm -c statement_timeout=30000 -c lock_timeout=5000"


@pytest.mark.django_db
def test_a_web_connection_gives_up_after_the_configured_limits():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()[0]
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()[0]
    assert (settings.DB_STATEMENT_TIMEOUT_MS, settings.DB_LOCK_TIMEOUT_MS) == (30000, 5000)
    assert (statement, lock) == ("30s", "5s")


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_connection_gets_the_longer_worker_limits():
    options = settings.DATABASES["default"]["OPTIONS"]
    before = options["options"]
    try:
        _worker_database_timeouts()
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            statement = cursor.fetchone()[0]
            cursor.execute("SHOW lock_timeout")
            lock = cursor.fetchone()[0]
    finally:
        options["options"] = before
        connection.close()
    assert (statement, lock) == ("5min", "30s")
