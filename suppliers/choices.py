"""Kinds and states of supplier management records, with their badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractKind(models.TextChoices):
    """The three agreements of one timer engine (sla.choices.AgreementKind): with a customer,
    with an internal group, with an external supplier."""

    SLA = "sla", _("Service level agreement (SLA)")
    OLA = "ola", _("Operational level agreement (OLA)")
    UC = "uc", _("Underpinning contract (UC)")


# Agreements that underpin an SLA: their targets must be at least as tight as the SLA's.
UNDERPINNING = frozenset({ContractKind.OLA, ContractKind.UC})


class DisputeState(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


DISPUTE_BADGES = {DisputeState.OPEN: "warning", DisputeState.RESOLVED: "success"}
KIND_BADGES = {ContractKind.SLA: "primary", ContractKind.OLA: "info", ContractKind.UC: "secondary"}
