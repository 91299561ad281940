"""Choices of incident management: states with their groupings and badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Impact, Priority, Urgency  # noqa: F401  (shared by every ticket type)


class IncidentState(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Groupings the queues, SLA pause rules and the portal rely on.
OPEN_STATES = frozenset({IncidentState.NEW, IncidentState.IN_PROGRESS, IncidentState.ON_HOLD})
TERMINAL_STATES = frozenset({IncidentState.CLOSED, IncidentState.CANCELLED})

STATE_BADGES = {
    IncidentState.NEW: "info",
    IncidentState.IN_PROGRESS: "primary",
    IncidentState.ON_HOLD: "warning",
    IncidentState.RESOLVED: "success",
    IncidentState.CLOSED: "secondary",
    IncidentState.CANCELLED: "dark",
}


class OnHoldReason(models.TextChoices):
    AWAITING_CALLER = "awaiting_caller", _("Awaiting caller")
    AWAITING_VENDOR = "awaiting_vendor", _("Awaiting vendor")
    AWAITING_CHANGE = "awaiting_change", _("Awaiting change")


class ResolutionCode(models.TextChoices):
    SOLVED_PERMANENTLY = "solved_permanently", _("Solved (permanently)")
    SOLVED_WORKAROUND = "solved_workaround", _("Solved (workaround)")
    RESOLVED_BY_CHANGE = "resolved_by_change", _("Resolved by change")
    NOT_REPRODUCIBLE = "not_reproducible", _("Not reproducible")
    USER_ERROR = "user_error", _("User error / advice given")
    DUPLICATE = "duplicate", _("Duplicate")
    RESOLVED_BY_PARENT = "resolved_by_parent", _("Resolved with major incident")


class IncidentChannel(models.TextChoices):
    """How the incident was reported."""

    PORTAL = "portal", _("Self-service portal")
    AGENT = "agent", _("Service desk agent")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")
    MONITORING = "monitoring", _("Monitoring")


PRIORITY_BADGES = {1: "danger", 2: "warning", 3: "primary", 4: "info", 5: "secondary"}

# Badge colour of each choice field, read by the `badge` template filter (core_tags) via the model
# (the CIA impact colours are added below, beside their choices).
BADGE_COLOURS = {"state": STATE_BADGES, "priority": PRIORITY_BADGES}


# --- information security incidents (ISO/IEC 20000-1 8.7.3) ------------------------------------

class CIAImpact(models.TextChoices):
    """How badly confidentiality, integrity or availability of information was hurt."""

    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


CIA_BADGES = {"none": "light", "low": "info", "medium": "warning", "high": "danger"}
BADGE_COLOURS.update({"confidentiality_impact": CIA_BADGES, "integrity_impact": CIA_BADGES,
                      "availability_impact": CIA_BADGES})


class SecurityRecipient(models.TextChoices):
    """Who was told about an information security incident (Korean law names the regulators)."""

    KISA = "kisa", _("KISA (Korea Internet & Security Agency)")
    PIPC = "pipc", _("Personal Information Protection Commission")
    DATA_SUBJECTS = "data_subjects", _("Affected data subjects")
    MANAGEMENT = "management", _("Top management")
    CUSTOMER = "customer", _("Customer")
    OTHER = "other", _("Other")


# The recipients a "time to notify a regulator" figure is measured to.
REGULATORS = frozenset({SecurityRecipient.KISA, SecurityRecipient.PIPC})
