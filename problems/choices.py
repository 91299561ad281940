"""Problem states, cause categories and the badge colours shown beside them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Impact, Priority  # noqa: F401  (shared by every ticket type)


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

# Badge colour of each choice field, read by the `badge` template filter (core_tags) via the model.
BADGE_COLOURS = {"state": STATE_BADGES}
