from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a change to a record came from; every audit row names one."""

    WEB = "web", _("Agent desk")
    PORTAL = "portal", _("Self-service portal")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")
    MONITORING = "monitoring", _("Monitoring")
    SYSTEM = "system", _("System")


class AuditAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    TRANSITIONED = "transitioned", _("State changed")
    ASSIGNED = "assigned", _("Assigned")
    COMMENTED = "commented", _("Commented")
    ATTACHED = "attached", _("File attached")
    LINKED = "linked", _("Linked")
    UNLINKED = "unlinked", _("Unlinked")
    ESCALATED = "escalated", _("Escalated")
    SLA = "sla", _("SLA event")
    DELETED = "deleted", _("Deleted")


class DeliveryState(models.TextChoices):
    """Where one outbox delivery (an event handed to one after-commit handler) stands."""

    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Dead (gave up)")


# Impact, urgency and priority classify every ticket type the same way (ITIL priority matrix).
class Impact(models.IntegerChoices):
    HIGH = 1, _("1 - High")
    MEDIUM = 2, _("2 - Medium")
    LOW = 3, _("3 - Low")


class Urgency(models.IntegerChoices):
    HIGH = 1, _("1 - High")
    MEDIUM = 2, _("2 - Medium")
    LOW = 3, _("3 - Low")


class Priority(models.IntegerChoices):
    CRITICAL = 1, _("P1 - Critical")
    HIGH = 2, _("P2 - High")
    MODERATE = 3, _("P3 - Moderate")
    LOW = 4, _("P4 - Low")
    PLANNING = 5, _("P5 - Planning")


class ApprovalMode(models.TextChoices):
    ANY = "any", _("Any one member of the group")
    ALL = "all", _("Every member of the group")
    QUORUM = "quorum", _("A quorum of the group")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class ApprovalStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required")
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
