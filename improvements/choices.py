"""Kinds, sources and states of the improvement register, with their badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    IMPROVEMENT = "improvement", _("Improvement")
    # ISO/IEC 20000-1 10.1: a nonconformity's correction and the action against its cause.
    CORRECTIVE_ACTION = "corrective_action", _("Corrective action")


class SourceType(models.TextChoices):
    """Where an item came from. All but `manual` and `audit_finding` are raised by the register's
    subscribers (improvements.sources); those two are typed in."""

    SLA_BREACH = "sla_breach", _("SLA breach")
    CHANGE_REVIEW = "change_review", _("Change review")
    INCIDENT_REVIEW = "incident_review", _("Post-incident review")
    PROBLEM = "problem", _("Problem")
    COMPLAINT = "complaint", _("Complaint")
    LOW_SATISFACTION = "low_satisfaction", _("Low satisfaction")
    AUDIT_FINDING = "audit_finding", _("Audit finding")
    MANUAL = "manual", _("Manual entry")


# What a person may choose when creating an item by hand; the others carry a record raised them.
MANUAL_SOURCE_TYPES = frozenset({SourceType.MANUAL, SourceType.AUDIT_FINDING})


class ImprovementState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    CLOSED_EFFECTIVE = "closed_effective", _("Closed: effective")
    CLOSED_INEFFECTIVE = "closed_ineffective", _("Closed: not effective")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


S = ImprovementState
OPEN_STATES = frozenset({S.PROPOSED, S.APPROVED, S.IN_PROGRESS, S.IMPLEMENTED})
CLOSED_STATES = frozenset({S.CLOSED_EFFECTIVE, S.CLOSED_INEFFECTIVE})
TERMINAL_STATES = frozenset({S.CLOSED_EFFECTIVE, S.CLOSED_INEFFECTIVE, S.REJECTED, S.CANCELLED})

STATE_BADGES = {
    S.PROPOSED: "primary",
    S.APPROVED: "info",
    S.IN_PROGRESS: "warning",
    S.IMPLEMENTED: "success",
    S.CLOSED_EFFECTIVE: "success",
    S.CLOSED_INEFFECTIVE: "danger",
    S.REJECTED: "dark",
    S.CANCELLED: "secondary",
}


class ImprovementPriority(models.IntegerChoices):
    P1 = 1, _("P1 - act now")
    P2 = 2, _("P2 - next")
    P3 = 3, _("P3 - planned")
    P4 = 4, _("P4 - when convenient")


PRIORITY_BADGES = {1: "danger", 2: "warning", 3: "info", 4: "secondary"}

BADGE_COLOURS = {"state": STATE_BADGES, "priority": PRIORITY_BADGES}
