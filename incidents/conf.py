"""Incident settings, read from Django settings with safe defaults (override per deployment)."""

from django.conf import settings

from incidents import priority, workflow


def reopen_window_days():
    return int(getattr(settings, "INCIDENT_REOPEN_WINDOW_DAYS", workflow.DEFAULT_REOPEN_WINDOW_DAYS))


def auto_close_days():
    return int(getattr(settings, "INCIDENT_AUTO_CLOSE_DAYS", workflow.DEFAULT_AUTO_CLOSE_DAYS))


def priority_matrix():
    return priority.validate_matrix(getattr(settings, "INCIDENT_PRIORITY_MATRIX", priority.DEFAULT_MATRIX))
