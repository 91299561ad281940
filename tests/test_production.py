"""Production mode (DJANGO_ENV=production) fails closed and passes Django's deployment checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "k3y-" + "x9Qz" * 16


def _manage(*args, tmp_path, **env):
    base = {key: value for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL",
                           "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}  # the browser fixture sets the last
    base.update(DJANGO_SETTINGS_MODULE="itsm.settings", DJANGO_ENV="production", ITSM_VAR_DIR=str(tmp_path),
                STATIC_ROOT=str(tmp_path / "static"))
    base.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_reports_nothing(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path,
                     SECRET_KEY=SECRET, ALLOWED_HOSTS="example.com")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_is_improperly_configured(tmp_path):
    result = _manage("check", tmp_path=tmp_path, ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DJANGO_ENV=production." in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_is_not_debug_and_secure(tmp_path):
    code = ("from django.conf import settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS)")
    result = _manage("shell", "--no-imports", "-c", code, tmp_path=tmp_path, SECRET_KEY=SECRET, ALLOWED_HOSTS="example.com")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False True True True ['example.com']"


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    env = {"DJANGO_ENV": "development"}
    first = _manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", tmp_path=tmp_path, **env)
    second = _manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", tmp_path=tmp_path, **env)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert second.stdout.strip().splitlines()[-1] == key and len(key) > 40
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_collectstatic_and_a_page_in_production_mode(tmp_path):
    # given: hashed, compressed static files, as the Docker image builds them
    env = {"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "example.com", "CELERY_BROKER_URL": "memory://"}
    collected = _manage("collectstatic", "--noinput", tmp_path=tmp_path, **env)
    assert collected.returncode == 0, collected.stdout[-2000:] + collected.stderr[-2000:]
    # when: the log-in page is served behind a TLS proxy
    code = ("from django.test import Client; "
            "r = Client().get('/accounts/login/', HTTP_HOST='example.com', HTTP_X_FORWARDED_PROTO='https'); "
            "print(r.status_code); print(r.content.decode())")
    result = _manage("shell", "--no-imports", "-c", code, tmp_path=tmp_path, **env)
    # then
    assert result.returncode == 0, result.stderr[-2000:]
    status, _, html = result.stdout.partition("\n")
    assert status.strip() == "200"
    assert re.search(r'href="/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css"', html), html[:1500]
