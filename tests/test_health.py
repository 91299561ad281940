import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_healthz_needs_nothing(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_database_and_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_with_a_reason_when_the_broker_is_unreachable(client, settings):
    # given: nothing listens on port 1
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    # when
    response = client.get("/readyz")
    # then
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error: ")
    assert "connection refused" in body["checks"]["broker"].lower()


def test_health_endpoints_refuse_writes(client):
    assert client.post("/healthz").status_code == 405


def _run_django(code, **env):
    """Run a snippet in a fresh interpreter with the production-like settings module."""
    full_env = {key: value for key, value in os.environ.items()
                if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ENV", "SECRET_KEY", "LOG_FORMAT", "DEBUG",
                               "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    full_env.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True,
                          timeout=120)


def test_request_logs_one_json_line_in_json_mode(tmp_path):
    # when
    result = _run_django(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'itsm.settings'; django.setup();"
        "from django.test import Client; print(Client().get('/accounts/login/?next=/x').status_code)",
        LOG_FORMAT="json", ITSM_VAR_DIR=str(tmp_path), SECRET_KEY="test-" * 12, LOG_LEVEL="INFO",
        CELERY_BROKER_URL="memory://",
    )
    # then
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    [request] = [line for line in lines if line.get("event") == "request"]
    assert (request["method"], request["path"], request["status"]) == ("GET", "/accounts/login/", 200)
    assert request["level"] == "info" and request["logger"] == "itsm.request"
    assert len(request["request_id"]) == 32 and "timestamp" in request and "duration_ms" in request


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_by_ip_over_http_get_a_real_answer(client, settings, path):
    # given: production-like settings, a probe that uses the container's address
    settings.ALLOWED_HOSTS = ["example.com"]
    settings.SECURE_SSL_REDIRECT = True
    # when
    response = client.get(path, HTTP_HOST="10.0.0.7:8000")
    # then
    assert response.status_code == 200


def test_other_pages_still_validate_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["example.com"]
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_errors_log_their_traceback_inside_the_json_line(tmp_path):
    result = _run_django(
        "import django, os, logging; os.environ['DJANGO_SETTINGS_MODULE'] = 'itsm.settings'; django.setup()\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    logging.getLogger('django.request').exception('Internal Server Error: /x')",
        LOG_FORMAT="json", ITSM_VAR_DIR=str(tmp_path), SECRET_KEY="test-" * 12,
        CELERY_BROKER_URL="memory://",
    )
    assert result.returncode == 0, result.stderr
    [line] = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert line["level"] == "error" and line["event"] == "Internal Server Error: /x"
    assert "ZeroDivisionError" in line["exception"] and line["exception"].startswith("Traceback")
