"""Operations (issue 11, item 12): what a developer running the desk sees in the terminal, the
mail links, the API documentation pages and the project metadata."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _settings_value(name, tmp_path, **env):
    """A setting as a fresh interpreter computes it from `env` (the development settings)."""
    full_env = {key: value for key, value in os.environ.items()
                if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ENV", "SITE_URL", "PORT"}}
    full_env.update(ITSM_VAR_DIR=str(tmp_path), CELERY_BROKER_URL="memory://", **env)
    result = subprocess.run(
        [sys.executable, "-c", f"from itsm import settings; print(settings.{name})"],
        cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_mail_links_follow_the_port_the_development_server_runs_on(tmp_path):
    assert _settings_value("SITE_URL", tmp_path, PORT="8765") == "http://127.0.0.1:8765"
    assert _settings_value("SITE_URL", tmp_path) == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins_over_the_port(tmp_path):
    assert _settings_value("SITE_URL", tmp_path, PORT="8765",
                           SITE_URL="https://desk.example.com") == "https://desk.example.com"


def test_bin_run_exports_the_port_to_the_worker_that_sends_the_mail():
    assert 'export PORT="${PORT:-8000}"' in (ROOT / "bin/run").read_text()


@pytest.mark.django_db
def test_seeding_the_demo_sends_no_notification_mail(mailoutbox):
    # given: demo incidents, with callers, assignments and comments, and their SLA clocks
    from django.core.management import call_command

    from core import outbox
    from core.models import Delivery
    from sla.models import SLAClock

    call_command("seed_demo", "--only", "accounts", "cmdb", "sla", "incidents", "--incidents", "30",
                 "--cis", "20", "--relationships", "20", stdout=open(os.devnull, "w"))
    # when: the worker sweeps the clocks (beat's first run finds the demo's old breaches) and
    # delivers what the outbox holds
    from sla.sweep import sweep

    sweep()
    outbox.deliver_due()
    # then: nobody was mailed, no notification or escalation is waiting; the clocks did start
    assert mailoutbox == []
    assert not Delivery.objects.filter(handler__startswith="incidents.notify").exists()
    assert not Delivery.objects.filter(handler__in=["sla.escalation_mail", "sla.escalation_webhook"]).exists()
    assert SLAClock.objects.exists()
    # and the demo's old breaches are already recorded (settled quietly while seeding)
    from sla.models import ClockEvent

    assert ClockEvent.objects.filter(kind="breach").exists()


def test_mail_the_worker_prints_in_development_is_logged_at_info():
    from itsm.celery import app

    assert app.conf.worker_redirect_stdouts_level == "INFO"


def test_the_development_worker_does_not_bury_the_banner_in_beat_chatter(tmp_path):
    lines = _run_django("import logging\nfor name in ('celery.beat', 'celery.app.trace'):\n"
                        "    print(name, logging.getLogger(name).getEffectiveLevel(), file=__import__('sys').stderr)",
                        tmp_path)
    assert lines == ["celery.beat 30", "celery.app.trace 30"]


def test_bin_run_prints_the_banner_after_the_worker_answers_a_ping():
    script = (ROOT / "bin/run").read_text()
    worker = script.index('-n "$node"')
    ping = script.index('inspect ping --destination "$node"')
    banner = script.index("Service desk:")
    assert worker < ping < banner
    # and the wait never blocks Ctrl-C: every command in it runs as a background job
    assert "--timeout 1 >/dev/null 2>&1 & wait $! && break" in script


def _run_django(code, tmp_path, **env):
    """Run a snippet in a fresh interpreter with the development settings; its log on stderr."""
    full_env = {key: value for key, value in os.environ.items()
                if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ENV", "LOG_FORMAT", "DEBUG"}}
    full_env.update(ITSM_VAR_DIR=str(tmp_path), CELERY_BROKER_URL="memory://", LOG_LEVEL="INFO", **env)
    setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'itsm.settings'; django.setup()\n"
    result = subprocess.run([sys.executable, "-c", setup + code], cwd=ROOT, env=full_env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stderr.splitlines()


FORBIDDEN = (
    "from django.core.exceptions import PermissionDenied\n"
    "from django.http import HttpResponse\n"
    "from django.test import RequestFactory\n"
    "from django.utils.log import log_response\n"
    "for path in ('/incidents/7/', '/static/css/missing.css'):\n"
    "    try:\n"
    "        raise PermissionDenied\n"
    "    except PermissionDenied as exc:\n"
    "        log_response('Forbidden (Permission denied): %s', path, response=HttpResponse(status=403),\n"
    "                     request=RequestFactory().get(path), exception=exc)\n"
    "from django.test import Client\n"
    "Client().get('/no-such-page/')\n"
)


@pytest.mark.parametrize("log_format", ["console", "json"])
def test_a_forbidden_or_missing_page_logs_one_line_and_no_traceback(tmp_path, log_format):
    # when: a 403 on a page, one on a static file, a 404 on a page
    lines = _run_django(FORBIDDEN, tmp_path, LOG_FORMAT=log_format)
    # then: the request log's line for the page, one line for the static file, no traceback
    assert not any("Traceback" in line or "PermissionDenied" in line for line in lines), lines
    assert [line for line in lines if "/incidents/7/" in line] == []
    assert len([line for line in lines if "/static/css/missing.css" in line]) == 1
    [missing] = [line for line in lines if "/no-such-page/" in line]
    assert "itsm.request" in missing and "404" in missing


def test_a_server_error_keeps_its_traceback_in_console_mode(tmp_path):
    lines = _run_django("import logging\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n"
                        "    logging.getLogger('django.request').exception('Internal Server Error: /x')",
                        tmp_path, LOG_FORMAT="console")
    assert "ERROR django.request Internal Server Error: /x" in lines[0]
    assert "Traceback (most recent call last):" in lines and lines[-1] == "ZeroDivisionError: division by zero"


def test_the_request_log_is_one_readable_line_in_console_mode(tmp_path):
    lines = _run_django("from django.test import Client\nClient().get('/accounts/login/?next=/x')",
                        tmp_path, LOG_FORMAT="console")
    [request] = [line for line in lines if "itsm.request" in line]
    assert re.search(r" INFO itsm\.request GET /accounts/login/ 200 \d+(\.\d+)? ms user=- id=[0-9a-f]{32}$",
                     request), request


@pytest.fixture
def static_served(settings):
    """WhiteNoise serves the files under static/ as in development (no collectstatic in tests)."""
    settings.WHITENOISE_USE_FINDERS = True


@pytest.mark.django_db
def test_pages_link_a_favicon_that_is_served(client, static_served):
    # when
    page = client.get("/accounts/login/").content.decode()
    # then
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)


def test_browsers_that_ask_for_favicon_ico_get_one(client, static_served):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == "/static/favicon.ico"
    assert b"".join(response.streaming_content)[6 + 16:][:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("path", ["/api/redoc/", "/api/docs/"])
def test_the_api_documentation_loads_nothing_from_another_host(client, path):
    # when
    response = client.get(path)
    # then: every address in the page is on this site (ReDoc and Swagger UI come from the sidecar)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.findall(r"(?:https?:)?//[\w.-]+", page.replace("//testserver", "")) == []
    assert "/static/drf_spectacular_sidecar/" in page


def test_pyproject_names_its_licence_as_an_spdx_expression():
    import tomllib

    from packaging.requirements import Requirement

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["license"] == "AGPL-3.0-or-later"
    assert not any(c.startswith("License ::") for c in meta["project"].get("classifiers", []))
    # SPDX strings need setuptools 77 (older ones read only the deprecated table)
    [setuptools] = [Requirement(r) for r in meta["build-system"]["requires"] if r.startswith("setuptools")]
    assert "76.9" not in setuptools.specifier and "77.0" in setuptools.specifier


@pytest.mark.django_db
def test_the_admin_is_branded_in_english_and_korean(admin_client, client):
    # when
    index = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    login = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    # then
    assert "<title>Records and settings | Service desk admin</title>" in index
    assert "Service desk administration" in index and "Django administration" not in index
    assert "<title>로그인 | 서비스 데스크 관리자 화면</title>" in login and "서비스 데스크 관리" in login
