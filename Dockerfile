# The service desk image: one image for web (gunicorn), worker and beat.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_ENV=production \
    ITSM_VAR_DIR=/var/lib/itsm \
    MEDIA_ROOT=/var/lib/itsm/media \
    STATIC_ROOT=/app/staticfiles \
    PYTHONPATH=/app

# gettext: compilemessages at build time; curl: the health checks; fonts-nanum: Hangul in the
# service reports' PDF (reports.exports.pdf).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext curl fonts-nanum \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /home/itsm itsm \
 && mkdir -p /var/lib/itsm/media \
 && chown -R itsm:itsm /var/lib/itsm

WORKDIR /app
COPY pyproject.toml README.md ./
COPY itsm ./itsm
COPY accounts ./accounts
COPY core ./core
COPY incidents ./incidents
COPY problems ./problems
COPY changes ./changes
COPY releases ./releases
COPY cmdb ./cmdb
COPY sla ./sla
# Installs the dependencies; the code itself runs from /app (PYTHONPATH), templates and all.
RUN pip install .
COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# Build-time only: a throwaway key lets the settings load for collectstatic/compilemessages.
RUN export SECRET_KEY=build-only-not-secret CELERY_BROKER_URL=memory:// \
 && python manage.py compilemessages --ignore=.venv \
 && python manage.py collectstatic --noinput

USER itsm
EXPOSE 8000
VOLUME ["/var/lib/itsm"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
# Workers, threads and timeouts: itsm/gunicorn.conf.py (probes answer while requests wait on locks).
CMD ["gunicorn", "-c", "itsm/gunicorn.conf.py", "itsm.wsgi:application"]
