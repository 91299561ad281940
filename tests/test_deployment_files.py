"""docker-compose.yml and the Dockerfile describe the production stack (no Docker engine here)."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_five_services(compose):
    assert set(compose["services"]) == {"postgres", "redis", "web", "worker", "beat"}


@pytest.mark.parametrize("service", ["postgres", "redis", "web", "worker", "beat"])
def test_every_service_has_a_health_check(compose, service):
    check = compose["services"][service]["healthcheck"]
    assert check["test"] and check["interval"] and check["retries"]


def test_web_health_check_calls_the_readiness_endpoint(compose):
    test = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "/readyz" in test


def test_web_migrates_then_serves_with_gunicorn(compose):
    command = compose["services"]["web"]["command"]
    assert command.index("migrate") < command.index("gunicorn")
    # Migrations may build indexes on large tables: no statement timeout for them.
    assert "DB_STATEMENT_TIMEOUT_MS=0 python manage.py migrate" in command


def test_web_and_image_run_gunicorn_with_the_config_file(compose):
    assert "gunicorn -c itsm/gunicorn.conf.py itsm.wsgi:application" in compose["services"]["web"]["command"]
    assert 'CMD ["gunicorn", "-c", "itsm/gunicorn.conf.py", "itsm.wsgi:application"]' in (
        ROOT / "Dockerfile").read_text()


def _gunicorn_config(monkeypatch, **env):
    import runpy

    from gunicorn.config import KNOWN_SETTINGS

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = {k: v for k, v in runpy.run_path(str(ROOT / "itsm" / "gunicorn.conf.py")).items()
              if not k.startswith("_") and k != "os"}
    assert set(config) <= {s.name for s in KNOWN_SETTINGS}, "not a gunicorn setting"
    return config


def test_gunicorn_keeps_probes_answering_while_requests_wait(monkeypatch):
    monkeypatch.delenv("DB_STATEMENT_TIMEOUT_MS", raising=False)
    config = _gunicorn_config(monkeypatch)
    # Threads: a request waiting on a row lock holds a thread, not the worker that answers /healthz.
    assert (config["worker_class"], config["workers"], config["threads"]) == ("gthread", 3, 8)
    # gunicorn kills a worker only well after PostgreSQL has cancelled a slow statement (30 s).
    assert (config["timeout"], config["bind"], config["accesslog"]) == (60, "0.0.0.0:8000", "-")


def test_gunicorn_timeout_follows_a_longer_statement_timeout(monkeypatch):
    assert _gunicorn_config(monkeypatch, DB_STATEMENT_TIMEOUT_MS="120000")["timeout"] == 150


@pytest.mark.parametrize("service, needle", [("worker", "worker"), ("beat", "beat")])
def test_celery_processes(compose, service, needle):
    assert ["celery", "-A", "itsm", needle] == compose["services"][service]["command"][:4]


def test_data_lives_in_named_volumes(compose):
    assert set(compose["volumes"]) == {"postgres-data", "redis-data", "itsm-data"}
    services = compose["services"]
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "redis-data:/data" in services["redis"]["volumes"]
    for name in ("web", "worker", "beat"):
        assert "itsm-data:/var/lib/itsm" in services[name]["volumes"]


def test_app_services_wait_for_healthy_database_and_broker(compose):
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends == {"postgres": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}


def test_app_services_run_in_production_mode_with_a_required_secret(compose):
    env = compose["services"]["web"]["environment"]
    assert env["DJANGO_ENV"] == "production"
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert env["DATABASE_URL"].startswith("postgres://") and env["CELERY_BROKER_URL"].startswith("redis://redis:")


def test_dockerfile_builds_every_app_and_runs_gunicorn_unprivileged():
    text = (ROOT / "Dockerfile").read_text()
    for app in ("itsm", "accounts", "core", "incidents", "problems", "changes", "releases", "cmdb", "sla",
                "templates", "static", "locale"):
        assert f"COPY {app} ./{app}" in text, app
    assert "collectstatic" in text and "compilemessages" in text
    assert "USER itsm" in text and "HEALTHCHECK" in text and "gunicorn" in text


def test_image_runs_the_code_from_its_source_tree():
    # pip does not copy the apps' templates into site-packages; /app must win on sys.path.
    text = (ROOT / "Dockerfile").read_text()
    assert "PYTHONPATH=/app" in text and "WORKDIR /app" in text
