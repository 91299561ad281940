"""Tunables of event management, read from settings with safe defaults (documented in
monitoring/README.md). Override them in itsm/settings.py or, in tests, with the `settings` fixture."""

from django.conf import settings


def flap_window_minutes() -> int:
    """A resolved alert that fires again within this many minutes reopens (same alert, same incident)."""
    return int(getattr(settings, "MONITORING_FLAP_WINDOW_MINUTES", 10))


def hold_down_minutes() -> int:
    """A resolve waits this long before resolving the incident; firing again meanwhile cancels it."""
    return int(getattr(settings, "MONITORING_HOLD_DOWN_MINUTES", 3))


def storm_window_minutes() -> int:
    """A new alert joins an open monitoring incident of its business service opened this recently."""
    return int(getattr(settings, "MONITORING_STORM_WINDOW_MINUTES", 30))


def max_labels_bytes() -> int:
    """Labels larger than this (serialised JSON) are refused with 413."""
    return int(getattr(settings, "MONITORING_MAX_LABELS_BYTES", 16 * 1024))


def max_batch() -> int:
    """The most events one request may carry (a list body, or an Alertmanager group)."""
    return int(getattr(settings, "MONITORING_MAX_BATCH", 500))


def suspect_hours() -> int:
    return int(getattr(settings, "MONITORING_SUSPECT_HOURS", 24))


def async_commit() -> bool:
    """Commit event ingest without waiting for the WAL flush (monitoring.ingest.ingest_many)."""
    return bool(getattr(settings, "MONITORING_ASYNC_COMMIT", True))
