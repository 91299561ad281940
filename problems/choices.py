"""Problem states, cause categories and the badge colours shown beside them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProblemState(models.TextChoices):
    NEW = "new", _("New")
    INVESTIGATION = "investigation", _("Under investigation")
    KNOWN_ERROR = "known_error", _("Known error")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Groupings used by filters, the known-error database and the incident resolution offer.
OPEN_STATES = frozenset({ProblemState.NEW, ProblemState.INVESTIGATION, ProblemState.KNOWN_ERROR})
TERMINAL_STATES = frozenset({ProblemState.CLOSED, ProblemState.CANCELLED})

STATE_BADGES = {
    ProblemState.NEW: "primary",
    ProblemState.INVESTIGATION: "info",
    ProblemState.KNOWN_ERROR: "warning",
    ProblemState.RESOLVED: "success",
    ProblemState.CLOSED: "secondary",
    ProblemState.CANCELLED: "dark",
}


class CauseCategory(models.TextChoices):
    """Where the root cause lies; feeds trend reporting (ISO/IEC 20000-1 8.6.3, 9.4)."""

    HARDWARE = "hardware", _("Hardware")
    SOFTWARE = "software", _("Software defect")
    CONFIGURATION = "configuration", _("Configuration")
    CAPACITY = "capacity", _("Capacity")
    NETWORK = "network", _("Network")
    SECURITY = "security", _("Security")
    SUPPLIER = "supplier", _("Supplier / third party")
    PROCESS = "process", _("Process or human error")
    UNKNOWN = "unknown", _("Unknown")


class Impact(models.IntegerChoices):
    HIGH = 1, _("1 - High")
    MEDIUM = 2, _("2 - Medium")
    LOW = 3, _("3 - Low")


class Priority(models.IntegerChoices):
    CRITICAL = 1, _("P1 - Critical")
    HIGH = 2, _("P2 - High")
    MODERATE = 3, _("P3 - Moderate")
    LOW = 4, _("P4 - Low")
    PLANNING = 5, _("P5 - Planning")
