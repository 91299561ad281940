"""Choices of event management: severities with their order, event and alert states, mapping kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    MAJOR = "major", _("Major")
    MINOR = "minor", _("Minor")
    WARNING = "warning", _("Warning")
    INFO = "info", _("Info")


# Lower is worse: a rule's "at least" severity compares on this rank.
SEVERITY_RANK = {Severity.CRITICAL: 1, Severity.MAJOR: 2, Severity.MINOR: 3, Severity.WARNING: 4, Severity.INFO: 5}


class EventStatus(models.TextChoices):
    FIRING = "firing", _("Firing")
    RESOLVED = "resolved", _("Resolved")


class AlertState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class MatchOn(models.TextChoices):
    """What part of the event a CI mapping rule reads."""

    CI = "ci", _("The event's CI field")
    NODE = "node", _("The event's node")
    LABEL = "label", _("A label")


class CITarget(models.TextChoices):
    """Which CI field the value read from the event is compared with."""

    NAME = "name", _("CI name")
    EXTERNAL_ID = "external_id", _("External id")
    ATTRIBUTE = "attribute", _("A CI attribute")


SEVERITY_BADGES = {"critical": "danger", "major": "warning", "minor": "primary", "warning": "info", "info": "secondary"}
STATE_BADGES = {"open": "danger", "closed": "success"}
BADGE_COLOURS = {"severity": SEVERITY_BADGES, "state": STATE_BADGES}
