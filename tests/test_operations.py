"""Operations (issue 11, item 12): what a developer running the desk sees in the terminal, the
mail links, the API documentation pages and the project metadata."""

import os
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
    # when: the worker delivers what the outbox holds
    outbox.deliver_due()
    # then: nobody was mailed, no notification or escalation is waiting; the clocks did start
    assert mailoutbox == []
    assert not Delivery.objects.filter(handler__startswith="incidents.notify").exists()
    assert not Delivery.objects.filter(handler__in=["sla.escalation_mail", "sla.escalation_webhook"]).exists()
    assert SLAClock.objects.exists()


def test_mail_the_worker_prints_in_development_is_logged_at_info():
    from itsm.celery import app

    assert app.conf.worker_redirect_stdouts_level == "INFO"


def test_bin_run_prints_the_banner_after_the_worker_answers_a_ping():
    script = (ROOT / "bin/run").read_text()
    worker = script.index('-n "$node"')
    ping = script.index('inspect ping --destination "$node"')
    banner = script.index("Service desk:")
    assert worker < ping < banner
    # and the wait never blocks Ctrl-C: every command in it runs as a background job
    assert "--timeout 1 >/dev/null 2>&1 & wait $! && break" in script
