"""The database connection's health check (itsm/db/base.py): skipped for a kept connection that
answered a request moments ago, done as Django does for one back from idle, so a connection the
server dropped meanwhile is replaced before the request uses it."""

import pytest
from django.db import connection, connections

from itsm.db import base as backend

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    """A connection of its own, kept between requests with health checks on (production's
    settings; the test settings close connections after every request)."""
    conn = connections.create_connection("default")
    conn.settings_dict = {**connection.settings_dict, "CONN_MAX_AGE": None, "CONN_HEALTH_CHECKS": True}
    checks = []
    real_is_usable = conn.is_usable
    conn.is_usable = lambda: checks.append(1) or real_is_usable()
    conn.checks = checks
    yield conn
    conn.close()


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(backend.time, "monotonic", lambda: now[0])
    return now


def request(conn, sql="SELECT 1"):
    """What Django does around one request that runs one statement; answers the backend's pid."""
    conn.close_if_unusable_or_obsolete()  # request_started
    with conn.cursor() as cursor:
        cursor.execute(sql)
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    conn.close_if_unusable_or_obsolete()  # request_finished
    return pid


def test_a_connection_that_answered_a_moment_ago_is_not_checked_again(kept, clock):
    first = request(kept)
    clock[0] += backend.HEALTH_CHECK_AFTER_IDLE_SECONDS / 2
    assert request(kept) == first
    clock[0] += backend.HEALTH_CHECK_AFTER_IDLE_SECONDS / 2
    assert request(kept) == first
    assert kept.checks == []


def test_a_connection_back_from_idle_is_checked_before_its_first_statement(kept, clock):
    request(kept)
    clock[0] += backend.HEALTH_CHECK_AFTER_IDLE_SECONDS + 0.01
    request(kept)
    assert kept.checks == [1]


def test_a_connection_the_server_dropped_while_idle_is_replaced_and_the_request_succeeds(kept, clock):
    first = request(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    clock[0] += backend.HEALTH_CHECK_AFTER_IDLE_SECONDS + 0.01
    second = request(kept)
    assert second != first
    assert kept.checks == [1]


def test_a_request_without_a_statement_does_not_vouch_for_the_connection(kept, clock):
    request(kept)
    clock[0] += backend.HEALTH_CHECK_AFTER_IDLE_SECONDS + 0.01
    kept.close_if_unusable_or_obsolete()  # a request that never touched the database
    kept.close_if_unusable_or_obsolete()
    request(kept)
    assert kept.checks == [1]


def test_a_connection_dropped_during_a_request_is_replaced_for_the_next_one(kept, clock):
    first = request(kept)
    kept.close_if_unusable_or_obsolete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    with pytest.raises(Exception), kept.cursor() as cursor:  # the request that saw it fail
        cursor.execute("SELECT 1")
    kept.close_if_unusable_or_obsolete()  # Django tests it here (errors occurred) and drops it
    clock[0] += 0.01
    assert request(kept) != first


def test_the_running_settings_use_this_backend():
    assert type(connections["default"]).__module__ == "itsm.db.base"
