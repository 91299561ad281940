from django.db import models
from django.utils.translation import gettext_lazy as _


class PlannedPolicy(models.TextChoices):
    """How an agreement treats announced maintenance."""

    EXCLUDE = "exclude", _("Excluded from service hours")
    COUNT = "count", _("Counted as downtime")


class OutageSource(models.TextChoices):
    MANUAL = "manual", _("Recorded by an agent")
    INCIDENT = "incident", _("Incident (service down)")
    MONITORING = "monitoring", _("Monitoring alert")


class TargetStatus(models.TextChoices):
    MET = "met", _("Met")
    WARNING = "warning", _("At risk")
    BREACHED = "breached", _("Below target")


BADGE_COLOURS = {TargetStatus.MET: "success", TargetStatus.WARNING: "warning", TargetStatus.BREACHED: "danger"}
