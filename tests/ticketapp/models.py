from django.conf import settings
from django.db import models

from core.models import Ticket
from core.tickets import Lifecycle
from tests.ticketapp import workflow


class CaseState(models.TextChoices):
    NEW = "new", "New"
    CLOSED = "closed", "Closed"


class CaseTicket(Ticket):
    """A ticket with a requester, like an incident: end users see their own."""

    NUMBER_PREFIX = "TST"
    REQUESTER_FIELD = "requester"

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=20, default="new", choices=CaseState.choices)

    EDITABLE_FIELDS = frozenset({"title", "description", "state", "assignment_group", "assigned_to"})
    SEARCH_FIELDS = ("number", "title")
    lifecycle = Lifecycle(states=CaseState, initial={"new"}, resolved=(), terminal={"closed"}, workflow=workflow,
                          desk_only_fields={"assignment_group", "assigned_to"})

    class Meta:
        app_label = "ticketapp"


class DeskTicket(Ticket):
    """A desk-only ticket type (like a change): no requester, so end users see none."""

    NUMBER_PREFIX = "TSD"

    class Meta:
        app_label = "ticketapp"
