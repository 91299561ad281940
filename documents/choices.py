"""Kinds and states of the document register, with their badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    POLICY = "policy", _("Policy")
    PLAN = "plan", _("Plan")
    PROCEDURE = "procedure", _("Procedure")
    ARCHITECTURE = "architecture", _("Architecture document (EA/ITA)")
    ISP = "isp", _("Information strategy plan (ISP)")
    POC = "poc", _("Proof of concept")
    REQUIREMENT = "requirement", _("Requirement")
    BCP = "bcp", _("Business continuity plan (BCP)")
    DRP = "drp", _("Disaster recovery plan (DRP)")
    OTHER = "other", _("Other")


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    APPROVED = "approved", _("Approved")
    RETIRED = "retired", _("Retired")


OPEN_STATES = (DocumentState.DRAFT, DocumentState.REVIEW)
BADGES = {
    DocumentState.DRAFT: "secondary",
    DocumentState.REVIEW: "warning",
    DocumentState.APPROVED: "success",
    DocumentState.RETIRED: "dark",
}
