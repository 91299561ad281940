"""States and kinds of a service report."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly service report")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    DISTRIBUTED = "distributed", _("Distributed")


BADGE_COLOURS = {
    ReportState.DRAFT: "secondary",
    ReportState.APPROVED: "primary",
    ReportState.DISTRIBUTED: "success",
}


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"
