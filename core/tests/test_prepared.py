"""core.prepared: a statement is prepared once per database connection and stays right across
rollbacks, savepoints, failures, a reconnect and a server that forgot it."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core import prepared

pytestmark = pytest.mark.django_db(transaction=True)

SQL = "SELECT %s::int + %s::int, '100%%' || %s::text"


def run(sql=SQL, params=(1, 2, "x")):
    with connection.cursor() as cursor:
        prepared.execute(connection, cursor, sql, list(params))
        return cursor.fetchall()


def server_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'itsm%%' ORDER BY name")
        return [name for (name,) in cursor.fetchall()]


@pytest.fixture(autouse=True)
def fresh_connection():
    connection.close()  # each test starts with a connection (and a registry) of its own
    yield
    connection.close()


def test_prepared_on_first_use_then_executed_in_one_statement_each():
    with CaptureQueriesContext(connection) as ctx:
        assert run() == [(3, "100%x")]
        assert run(params=(5, 6, "y")) == [(11, "100%y")]
    first, second = (q["sql"] for q in ctx.captured_queries)
    assert first.startswith("PREPARE itsm_1 AS SELECT $1::int + $2::int, '100%' || $3::text; "
                            "EXECUTE itsm_1 (")
    assert second.startswith("EXECUTE itsm_1 (")
    assert server_statements() == ["itsm_1"]


def test_a_new_connection_prepares_again():
    run()
    connection.close()
    with CaptureQueriesContext(connection) as ctx:
        assert run() == [(3, "100%x")]
    assert ctx.captured_queries[-1]["sql"].startswith("PREPARE itsm_1 AS")


def test_a_statement_prepared_in_a_rolled_back_transaction_or_savepoint_stays_usable():
    with transaction.atomic():
        with transaction.atomic():  # a savepoint
            run()
            transaction.set_rollback(True)
        run(sql="SELECT %s::int * %s::int, %s::text")
        transaction.set_rollback(True)
    with CaptureQueriesContext(connection) as ctx:
        assert run() == [(3, "100%x")]
        assert run(sql="SELECT %s::int * %s::int, %s::text") == [(2, "x")]
    assert [q["sql"].split(" (")[0] for q in ctx.captured_queries] == ["EXECUTE itsm_1", "EXECUTE itsm_2"]


def test_a_failed_first_use_is_never_taken_for_prepared():
    # The PREPARE succeeds and the EXECUTE fails (division by zero): the statement exists on the
    # server but its name is not recorded, and the next use prepares under a fresh name.
    sql = "SELECT 1 / %s::int, %s::int, %s::int"
    with pytest.raises(DatabaseError), transaction.atomic():
        run(sql, (0, 1, 2))
    assert run(sql, (1, 1, 2)) == [(1, 1, 2)]
    assert server_statements() == ["itsm_1", "itsm_2"]
    with CaptureQueriesContext(connection) as ctx:
        run(sql, (1, 1, 2))
    assert ctx.captured_queries[0]["sql"].startswith("EXECUTE itsm_2 (")


def test_a_failed_execution_keeps_the_statement():
    sql = "SELECT 1 / %s::int, %s::int, %s::int"
    run(sql, (1, 1, 2))
    with pytest.raises(DatabaseError), transaction.atomic():
        run(sql, (0, 1, 2))
    with CaptureQueriesContext(connection) as ctx:
        assert run(sql, (1, 1, 2)) == [(1, 1, 2)]
    assert ctx.captured_queries[0]["sql"].startswith("EXECUTE itsm_1 (")


def test_a_statement_the_server_forgot_fails_once_then_is_prepared_again():
    run()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with pytest.raises(DatabaseError), transaction.atomic():
        run()
    assert run() == [(3, "100%x")]
    assert server_statements() == ["itsm_2"]


def test_the_setting_turns_it_off(settings):
    settings.DB_PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as ctx:
        assert run() == [(3, "100%x")]
    assert ctx.captured_queries[0]["sql"].startswith("SELECT 1::int + 2::int")
    assert server_statements() == []


def test_past_the_limit_the_statement_used_least_recently_makes_way_in_the_same_round_trip(monkeypatch):
    monkeypatch.setattr(prepared, "LIMIT", 2)
    run()  # itsm_1
    run(sql="SELECT %s::int * %s::int, %s::text")  # itsm_2
    run()  # itsm_1 used again: itsm_2 is now the least recently used
    with CaptureQueriesContext(connection) as ctx:
        assert run(sql="SELECT %s::int - %s::int, %s::text") == [(-1, "x")]
        assert run() == [(3, "100%x")]
        assert run(sql="SELECT %s::int - %s::int, %s::text", params=(9, 4, "y")) == [(5, "y")]
    assert [q["sql"].split(" AS ")[0] for q in ctx.captured_queries[:1]] == ["DEALLOCATE itsm_2; PREPARE itsm_3"]
    assert [q["sql"][:15] for q in ctx.captured_queries[1:]] == ["EXECUTE itsm_1 ", "EXECUTE itsm_3 "]
    assert server_statements() == ["itsm_1", "itsm_3"]
    # The evicted shape comes back as a new statement, evicting the next least recently used.
    assert run(sql="SELECT %s::int * %s::int, %s::text") == [(2, "x")]
    assert server_statements() == ["itsm_3", "itsm_4"]


def test_another_driver_gets_the_plain_statement(monkeypatch):
    # psycopg 3 binds parameters on the server and refuses PREPARE and EXECUTE in one execute().
    monkeypatch.setattr(connection, "Database", type("psycopg", (), {"__name__": "psycopg"}), raising=False)
    assert not prepared.enabled(connection)


def test_the_written_look_ups_by_key_are_prepared_once_and_read_the_same_rows(django_user_model):
    from core.selects import rows_by_id

    users = [django_user_model.objects.create(username=f"prep{n}") for n in range(3)]
    with CaptureQueriesContext(connection) as ctx:
        first = rows_by_id(django_user_model, [users[0].pk, users[2].pk])
        again = rows_by_id(django_user_model, [users[1].pk])
    assert sorted(u.username for u in first) == ["prep0", "prep2"]
    assert [u.username for u in again] == ["prep1"]
    assert [q["sql"].split(" ", 2)[:2] for q in ctx.captured_queries] == [["PREPARE", "itsm_1"], ["EXECUTE", "itsm_1"]]
    assert rows_by_id(django_user_model, []) == []  # no statement for no keys, prepared or not


def test_instants_and_ints_are_written_as_the_drivers_own_literals_and_read_back_the_same():
    import datetime as dt
    import zoneinfo

    from psycopg2.extensions import adapt

    utc = dt.timezone.utc
    instants = [dt.datetime(2026, 12, 4, 13, 42, 12, 714035, tzinfo=utc), dt.datetime(2026, 1, 1, tzinfo=utc),
                dt.datetime.max.replace(tzinfo=utc), dt.datetime(1, 1, 1, tzinfo=utc),
                dt.datetime(2026, 3, 29, 2, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")),
                dt.datetime(2026, 1, 1, 1, 2, 3, 4, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))]
    for instant in instants:
        assert prepared._instant(instant) == adapt(instant).getquoted().decode()
    naive = dt.datetime(2026, 1, 1)
    assert prepared._instant(naive) is None  # left to the driver ('…'::timestamp)
    now = instants[0]
    arguments, bound = prepared._arguments([now, 7, naive, now, -2, True, "x"])
    assert arguments == f" ({prepared._instant(now)}, 7, %s, {prepared._instant(now)}, %s, %s, %s)"
    assert bound == [naive, -2, True, "x"]
    with connection.cursor() as cursor:  # the same text as the driver's own binding
        values = [now, 0, 7, 2 ** 70, -2, True, naive, "x", None, instants[4]]
        arguments, bound = prepared._arguments(values)
        assert cursor.cursor.mogrify("EXECUTE x" + arguments, bound) == cursor.cursor.mogrify(
            "EXECUTE x (" + ", ".join(["%s"] * len(values)) + ")", values)
    sql = "SELECT %s::timestamptz, %s::int, %s::timestamp, %s::timestamptz = %s::timestamptz"
    for _ in range(2):  # prepared, then executed
        assert run(sql, (now, 7, naive, now, instants[4])) == [(now, 7, naive, False)]
