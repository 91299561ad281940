"""bin/devservers.py: the embedded PostgreSQL and Redis that bin/run and bin/test start when no
server answers on 127.0.0.1 start, are reused while they run, and stop."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import psycopg2
import pytest

from tests.database_url import database_url

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bin" / "devservers.py"

spec = importlib.util.spec_from_file_location("devservers", SCRIPT)
devservers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(devservers)


def _devservers(*args, **env):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


def test_a_socket_directory_survives_the_url_round_trip():
    url = devservers.pg_url("/work/var/pg", 5432, "itsm")
    parsed = dj_database_url.parse(url)
    assert (parsed["HOST"], parsed["PORT"], parsed["NAME"]) == ("/work/var/pg", 5432, "itsm")
    assert parsed["USER"] == "postgres"
    assert dj_database_url.parse(database_url(parsed))["HOST"] == "/work/var/pg"


def test_embedded_redis_starts_is_reused_and_stops(tmp_path):
    # when
    port, started = devservers.start_redis(tmp_path)
    try:
        again, started_again = devservers.start_redis(tmp_path)
        # then
        assert started and devservers.redis_answers(port)
        assert (again, started_again) == (port, False)
        # down with nothing of its own to stop leaves a server that another run is using
        assert _devservers("down", "--data", str(tmp_path), "--only", "").returncode == 0
        assert devservers.redis_answers(port)
    finally:
        devservers.stop_redis(tmp_path)
    assert not devservers.redis_answers(port)


def test_embedded_postgres_starts_keeps_its_data_and_stops(tmp_path):
    # given: a server started the way bin/run does it
    up = ["up", "--data", str(tmp_path), "--postgres", "--database", "itsm", "--fast"]
    first = _devservers(*up, ITSM_EMBEDDED="1")
    assert first.returncode == 0, first.stderr
    values = dict(line.split("=", 1) for line in first.stdout.split())
    assert values["ITSM_DEV_STARTED"] == "pg"
    settings = dj_database_url.parse(values["ITSM_DEV_PG_URL"].strip("'"))

    def connect():
        return psycopg2.connect(host=settings["HOST"], port=settings["PORT"], user="postgres", dbname="itsm")

    try:
        with connect() as conn:
            with conn.cursor() as cursor:
                cursor.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')")
                cursor.execute("SELECT name FROM pg_available_extensions"
                               " WHERE name IN ('pg_trgm', 'btree_gist')")
                assert sorted(row[0] for row in cursor.fetchall()) == ["btree_gist", "pg_trgm"]
        conn.close()
        # when: stopped and started again
        assert _devservers("down", "--data", str(tmp_path), "--only", "pg").returncode == 0
        with pytest.raises(psycopg2.OperationalError):
            connect()
        second = _devservers(*up, ITSM_EMBEDDED="1")
        assert second.returncode == 0, second.stderr
        # then: the data is still there
        with connect() as conn:
            with conn.cursor() as cursor:
                cursor.execute("SELECT note FROM kept")
                assert cursor.fetchall() == [("still here",)]
        conn.close()
    finally:
        _devservers("down", "--data", str(tmp_path), "--only", "pg")

