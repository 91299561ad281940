"""States and kinds of the management system's own records, with their badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    # In context: the desk's plain "Reported" is the date an incident was reported.
    REPORTED = "reported", pgettext_lazy("audit state", "Reported")
    CLOSED = "closed", _("Closed")


# An audit counts as done (its clauses audited) once its report is out.
DONE_AUDIT_STATES = frozenset({AuditState.REPORTED, AuditState.CLOSED})


class FindingKind(models.TextChoices):
    MAJOR_NC = "major_nc", _("Major nonconformity")
    MINOR_NC = "minor_nc", _("Minor nonconformity")
    OFI = "ofi", _("Opportunity for improvement")


# ISO/IEC 20000-1 10.1: a nonconformity needs a corrective action; an opportunity does not.
NONCONFORMITIES = frozenset({FindingKind.MAJOR_NC, FindingKind.MINOR_NC})


class FindingState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ActionState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CertificationKind(models.TextChoices):
    ENQUIRY = "enquiry", _("Enquiry")
    APPLICATION = "application", _("Application")
    STAGE1 = "stage1", _("Stage 1 audit")
    PRE_AUDIT = "pre_audit", _("Pre-audit")
    STAGE2 = "stage2", _("Stage 2 audit")
    DECISION = "decision", _("Certification decision")
    SURVEILLANCE = "surveillance", _("Surveillance audit")
    RECERTIFICATION = "recertification", _("Recertification audit")


AUDIT_BADGES = {
    AuditState.PLANNED: "secondary",
    AuditState.IN_PROGRESS: "warning",
    AuditState.REPORTED: "info",
    AuditState.CLOSED: "success",
}
FINDING_BADGES = {FindingKind.MAJOR_NC: "danger", FindingKind.MINOR_NC: "warning", FindingKind.OFI: "info"}
FINDING_STATE_BADGES = {FindingState.OPEN: "warning", FindingState.CLOSED: "success"}
ACTION_BADGES = {ActionState.OPEN: "warning", ActionState.DONE: "success", ActionState.CANCELLED: "secondary"}
