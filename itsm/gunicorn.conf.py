"""gunicorn settings for the web container (Dockerfile, docker-compose.yml: `gunicorn -c itsm/gunicorn.conf.py`).

Sized so that health probes keep answering while requests wait on the database: each worker
serves several threads (a request waiting on a row lock holds one thread, not the process),
PostgreSQL cancels a lock wait after DB_LOCK_TIMEOUT_MS and a statement after
DB_STATEMENT_TIMEOUT_MS (itsm/settings.py), and gunicorn's own timeout is well past the latter,
so a slow request answers 503 itself instead of gunicorn killing the worker and every request
on it. /healthz never touches the database (core.middleware.HealthCheckMiddleware).
"""

import os


def _int(name, default):
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("GUNICORN_WORKERS", 3)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 8)
# Seconds without a heartbeat before a worker is killed: past the statement timeout, so the
# database cancels a slow statement (and the request answers) before gunicorn kills anything.
_statement_timeout_s = _int("DB_STATEMENT_TIMEOUT_MS", 30000) / 1000
timeout = max(_int("GUNICORN_TIMEOUT", 60), int(_statement_timeout_s) + 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
accesslog = "-"
