"""Fault test (issue 10, defect 7): one incident row locked FOR UPDATE by another transaction
for longer than the lock timeout. A write on it answers 409 with a clear message within about
the lock timeout, instead of hanging until gunicorn kills the worker, and /healthz keeps
answering meanwhile. The desk page answers the same."""

import json
import threading
import time
import urllib.error
import urllib.request

import psycopg2
import pytest
from django.db import connection, transaction

from accounts.models import ApiToken
from core.choices import Channel
from incidents import services
from incidents.models import Incident
from itsm.dbtimeouts import with_timeouts

pytestmark = pytest.mark.django_db(transaction=True)

LOCK_TIMEOUT_S = 2.0
MESSAGE = "Someone else is changing this record right now. Try again in a moment."


@pytest.fixture
def short_lock_timeout():
    """Every new connection of this test (the live server's threads included: they share the
    settings dict) gives up on a lock after two seconds, as production does after DB_LOCK_TIMEOUT_MS."""
    options = connection.settings_dict.setdefault("OPTIONS", {})
    before = options.get("options", "")
    with_timeouts(connection.settings_dict, statement_ms=30000, lock_ms=int(LOCK_TIMEOUT_S * 1000))
    connection.close()
    yield
    options["options"] = before
    connection.close()


@pytest.fixture
def incident(agent, end_user):
    return services.open_incident(actor=agent, channel=Channel.WEB, title="Mail queue stalls", caller=end_user)


@pytest.fixture
def row_lock(short_lock_timeout):
    """Lock a row FOR UPDATE in a connection of its own, held until the test ends."""
    holders = []

    def lock(obj):
        holder = psycopg2.connect(**connection.get_connection_params())
        holders.append(holder)
        with holder.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {obj._meta.db_table} WHERE id = %s FOR UPDATE", [obj.pk])
        return holder

    yield lock
    for holder in holders:
        holder.rollback()
        holder.close()


def _request(url, *, method="GET", body=None, headers=None, timeout=30):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_api_write_on_a_locked_row_answers_409_while_health_answers(live_server, agent, incident, row_lock):
    _token, key = ApiToken.issue(agent, name="fault test")
    row_lock(incident)
    answer = {}

    def patch():
        started = time.monotonic()
        answer["result"] = _request(f"{live_server.url}/api/v1/incidents/{incident.pk}/", method="PATCH",
                                    body={"title": "Mail queue stalls again", "version": incident.version},
                                    headers={"Authorization": f"Token {key}"})
        answer["seconds"] = time.monotonic() - started

    writer = threading.Thread(target=patch)
    writer.start()
    # While the PATCH waits on the lock, the health probe answers at once.
    time.sleep(0.3)
    probe_started = time.monotonic()
    health_status, _headers, health_body = _request(f"{live_server.url}/healthz", timeout=5)
    probe_seconds = time.monotonic() - probe_started
    assert writer.is_alive(), "the PATCH was expected to be still waiting on the lock"
    writer.join(timeout=20)

    assert (health_status, json.loads(health_body)) == (200, {"status": "ok"})
    assert probe_seconds < LOCK_TIMEOUT_S
    status, headers, body = answer["result"]
    assert (status, json.loads(body)) == (409, {"detail": MESSAGE})
    assert headers["Retry-After"] == "2"
    assert LOCK_TIMEOUT_S * 0.9 <= answer["seconds"] < LOCK_TIMEOUT_S + 3
    assert Incident.objects.get(pk=incident.pk).title == "Mail queue stalls"


def test_desk_page_write_on_a_locked_row_answers_409_page(client, agent, incident, row_lock):
    client.force_login(agent)
    row_lock(incident)
    started = time.monotonic()

    response = client.post(f"/incidents/{incident.pk}/take/")

    assert time.monotonic() - started < LOCK_TIMEOUT_S + 3
    assert response.status_code == 409
    assert MESSAGE in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).assigned_to_id is None


def test_desk_fragment_write_on_a_locked_row_answers_409_text(client, agent, incident, row_lock):
    client.force_login(agent)
    row_lock(incident)

    response = client.post(f"/incidents/{incident.pk}/take/", HTTP_HX_REQUEST="true")

    assert (response.status_code, response.content.decode(), response["HX-Refresh"]) == (409, MESSAGE, "true")
    # The page htmx reloads says why.
    assert MESSAGE in client.get(f"/incidents/{incident.pk}/").content.decode()


def _slow_statement(*_args, **_kwargs):
    """A statement past its limit, as DB_STATEMENT_TIMEOUT_MS cancels one."""
    # SET LOCAL: the limit goes with the transaction the cancelled statement rolls back.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 100")
        cursor.execute("SELECT pg_sleep(5)")


def test_api_statement_past_the_timeout_answers_503(agent_api, monkeypatch):
    from incidents.api.views import IncidentViewSet

    monkeypatch.setattr(IncidentViewSet, "list", _slow_statement)
    started = time.monotonic()

    response = agent_api.get("/api/v1/incidents/")

    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json() == {"detail": "The database took too long to answer. Try again in a moment."}
    assert response["Retry-After"] == "5"


def test_desk_page_statement_past_the_timeout_answers_503(client, agent, monkeypatch):
    from incidents.views import IncidentListView

    monkeypatch.setattr(IncidentListView, "get", _slow_statement)
    client.force_login(agent)

    response = client.get("/incidents/")

    assert response.status_code == 503
    assert "The database took too long to answer. Try again in a moment." in response.content.decode()


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_server(tmp_path):
    """The production web server (itsm/gunicorn.conf.py) with ONE worker, on this test's database."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    port = _free_port()
    from urllib.parse import quote

    db = connection.settings_dict
    # A socket directory (the embedded server) goes percent-encoded in the host part.
    credentials = quote(db["USER"], safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    url = f"postgres://{credentials}@{quote(db['HOST'] or '127.0.0.1', safe='')}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "itsm.settings_test", "DATABASE_URL": url,
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "4",
           "DB_LOCK_TIMEOUT_MS": str(int(LOCK_TIMEOUT_S * 1000))}
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "itsm/gunicorn.conf.py",
                                "itsm.wsgi:application"], cwd=root, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(150):
            try:
                if _request(f"{base}/healthz", timeout=1)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError((tmp_path / "gunicorn.log").read_text())
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_one_gunicorn_worker_answers_two_writers_and_the_probe_while_a_row_is_locked(
        gunicorn_server, agent, incident, row_lock):
    # The issue's fault: a row locked for longer than any request may wait, two PATCHes on it.
    _token, key = ApiToken.issue(agent, name="fault test")
    # Warm up: the first API request loads the URLconf and the API (the probe does not need them).
    assert _request(f"{gunicorn_server}/api/v1/incidents/{incident.pk}/",
                    headers={"Authorization": f"Token {key}"})[0] == 200
    row_lock(incident)
    answers = []

    def patch():
        started = time.monotonic()
        status, _headers, body = _request(f"{gunicorn_server}/api/v1/incidents/{incident.pk}/", method="PATCH",
                                          body={"title": "Mail queue stalls again", "version": incident.version},
                                          headers={"Authorization": f"Token {key}"})
        answers.append((status, json.loads(body), time.monotonic() - started))

    writers = [threading.Thread(target=patch) for _ in range(2)]
    for writer in writers:
        writer.start()
    time.sleep(0.3)
    health = _request(f"{gunicorn_server}/healthz", timeout=5)
    waiting = sum(writer.is_alive() for writer in writers)
    for writer in writers:
        writer.join(timeout=30)

    assert (health[0], waiting) == (200, 2)
    assert [(status, body) for status, body, _seconds in answers] == [(409, {"detail": MESSAGE})] * 2
    assert all(seconds < LOCK_TIMEOUT_S + 3 for _status, _body, seconds in answers), answers
    # The worker survived: it answers the next request.
    assert _request(f"{gunicorn_server}/healthz", timeout=5)[0] == 200
