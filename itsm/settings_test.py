"""Test settings: the real PostgreSQL and Redis by default, eager Celery, fast hashing."""

import os

# TEST_DATABASE_URL and TEST_CELERY_BROKER_URL (what bin/test reads) also work for a bare pytest:
# parallel checkouts each name their own database and Redis db.
for _name in ("DATABASE_URL", "CELERY_BROKER_URL"):
    if os.environ.get(f"TEST_{_name}"):
        os.environ[_name] = os.environ[f"TEST_{_name}"]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itsm")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")

from itsm.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
AXES_ENABLED = True
# Per test process: xdist workers must not share rate-limit counters through Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# A concrete ticket type for testing core/ without the domain apps (tests/ticketapp).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.ticketapp"]  # noqa: F405

# pytest-django turns DEBUG off, which makes WhiteNoise index STATIC_ROOT (absent before
# collectstatic) and warn; tests look static files up the way development does.
WHITENOISE_AUTOREFRESH = True
