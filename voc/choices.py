from django.utils.translation import gettext_lazy as _
from django.db import models


class VocKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    COMPLIMENT = "compliment", _("Compliment")
    INQUIRY = "inquiry", _("Inquiry")


class VocState(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class VocChannel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    EMAIL = "email", _("E-mail")
    DESK = "desk", _("Desk")
    PHONE = "phone", _("Phone")


OPEN_STATES = (VocState.NEW, VocState.IN_PROGRESS)
BADGE_COLOURS = {
    VocState.NEW: "info", VocState.IN_PROGRESS: "primary", VocState.RESPONDED: "success",
    VocState.CLOSED: "secondary", VocState.WITHDRAWN: "light",
}
KIND_COLOURS = {VocKind.COMPLAINT: "danger", VocKind.SUGGESTION: "primary", VocKind.COMPLIMENT: "success",
                VocKind.INQUIRY: "info"}

# core_tags.badge reads a record's colours by field.
BADGES = {"state": BADGE_COLOURS, "kind": KIND_COLOURS}
