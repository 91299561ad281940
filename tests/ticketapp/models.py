from django.conf import settings
from django.db import models

from core.models import Ticket


class CaseTicket(Ticket):
    """A ticket with a requester, like an incident: end users see their own."""

    NUMBER_PREFIX = "TST"
    REQUESTER_FIELD = "requester"

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=20, default="new", choices=[("new", "New"), ("closed", "Closed")])

    class Meta:
        app_label = "ticketapp"


class DeskTicket(Ticket):
    """A desk-only ticket type (like a change): no requester, so end users see none."""

    NUMBER_PREFIX = "TSD"

    class Meta:
        app_label = "ticketapp"
