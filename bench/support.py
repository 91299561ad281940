"""What the benchmark scripts share: a database of their own, created if missing."""

from urllib.parse import urlparse


def ensure_database(url):
    """Create the database named by `url` unless it exists (connecting to `postgres`)."""
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(host=parsed.hostname, port=parsed.port or 5432, user=parsed.username,
                            password=parsed.password, dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def setup_django(url, broker):
    """Django on `url` with Celery on `broker`, migrated; mail goes to the console."""
    import os

    os.environ["DATABASE_URL"] = url
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ["DJANGO_SETTINGS_MODULE"] = "itsm.settings"
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
