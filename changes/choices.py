"""Choices for change management, with their groupings and badge colours beside them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The approval engine is core's, shared by every ticket type that is approved (changes, requests).
from core.choices import ApprovalMode, ApprovalStatus, Decision  # noqa: F401


class ChangeType(models.TextChoices):
    STANDARD = "standard", _("Standard")
    NORMAL = "normal", _("Normal")
    EMERGENCY = "emergency", _("Emergency")


class ChangeState(models.TextChoices):
    NEW = "new", _("New")
    ASSESS = "assess", _("Assess")
    AUTHORIZE = "authorize", _("Authorize")
    SCHEDULED = "scheduled", _("Scheduled")
    IMPLEMENT = "implement", _("Implement")
    REVIEW = "review", _("Review")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


TERMINAL_STATES = frozenset({ChangeState.CLOSED, ChangeState.CANCELLED})
OPEN_STATES = frozenset(set(ChangeState) - TERMINAL_STATES)
# Changes that hold a slot in the calendar: they conflict with one another.
ACTIVE_WINDOW_STATES = frozenset({ChangeState.SCHEDULED, ChangeState.IMPLEMENT})
# Changes past authorisation (what a release's readiness check asks for).
AUTHORISED_STATES = frozenset({ChangeState.SCHEDULED, ChangeState.IMPLEMENT, ChangeState.REVIEW,
                               ChangeState.CLOSED})

STATE_BADGES = {
    ChangeState.NEW: "secondary",
    ChangeState.ASSESS: "info",
    ChangeState.AUTHORIZE: "warning",
    ChangeState.SCHEDULED: "primary",
    ChangeState.IMPLEMENT: "danger",
    ChangeState.REVIEW: "info",
    ChangeState.CLOSED: "success",
    ChangeState.CANCELLED: "dark",
}


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


RISK_BADGES = {Risk.LOW: "success", Risk.MODERATE: "warning", Risk.HIGH: "danger"}
TYPE_BADGES = {ChangeType.STANDARD: "secondary", ChangeType.NORMAL: "primary", ChangeType.EMERGENCY: "danger"}


class Outcome(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    SUCCESSFUL_WITH_ISSUES = "successful_with_issues", _("Successful with issues")
    FAILED = "failed", _("Failed")
    BACKED_OUT = "backed_out", _("Backed out")


# Outcomes after which the change may not close without a post-implementation review.
PIR_OUTCOMES = frozenset({Outcome.FAILED, Outcome.BACKED_OUT})


class ConflictKind(models.TextChoices):
    SAME_CI = "same_ci", _("Same configuration item")
    SHARED_SERVICE = "shared_service", _("Shared business service")
    FREEZE = "freeze", _("Freeze window")

# Badge colour of each choice field, read by the `badge` template filter (core_tags) via the model.
BADGE_COLOURS = {"state": STATE_BADGES, "risk": RISK_BADGES, "type": TYPE_BADGES}
