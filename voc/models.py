"""Voice of the customer: complaints, suggestions, compliments and inquiries (VOC…), a ticket type
on the core contract, linked to the tickets, the service and the organisation they are about."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from core.models import Ticket, TicketQuerySet
from core.search import SearchFields
from core.tickets import Lifecycle
from voc import workflow
from voc.choices import BADGES, OPEN_STATES, VocChannel, VocKind, VocState


class VocQuerySet(TicketQuerySet):
    def visible_to(self, user):
        """Desk staff see every record; anyone else the ones they raised."""
        if roles.is_agent(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(reported_by=user)

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Voc(Ticket):
    NUMBER_PREFIX = "VOC"
    REQUESTER_FIELD = "reported_by"
    badge_colours = BADGES
    EDITABLE_FIELDS = frozenset({"title", "description", "kind", "organisation", "service", "assignment_group",
                                 "assigned_to", "response", "due_at", "channel"})
    # The full-text document (core.search), written at creation: number and title, then the
    # person's words and the response.
    SEARCH_FIELDS = SearchFields((("number", "title"), "A"), (("description", "response"), "B"), max_terms=8)
    lifecycle = Lifecycle(
        states=VocState, initial={VocState.NEW}, resolved={VocState.RESPONDED},
        terminal={VocState.CLOSED, VocState.WITHDRAWN}, cancelled={VocState.WITHDRAWN},
        workflow=workflow,
        timestamps={VocState.RESPONDED: "responded_at", VocState.CLOSED: "closed_at"},
        desk_only_fields=frozenset({"assignment_group", "assigned_to", "response", "due_at", "organisation"}),
        reporter_fields=frozenset({"title", "description", "kind", "service", "tickets"}),
    )
    AUDIT_EXCLUDE = Ticket.AUDIT_EXCLUDE | {"responded_at", "closed_at"}

    kind = models.CharField(_("kind"), max_length=20, choices=VocKind.choices)
    state = models.CharField(_("state"), max_length=20, choices=VocState.choices, default=VocState.NEW)
    channel = models.CharField(_("channel"), max_length=20, choices=VocChannel.choices, default=VocChannel.DESK)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("raised by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="voc_records")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("cmdb.ConfigurationItem", verbose_name=_("service"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    response = models.TextField(_("response to the person"), blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responded by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = VocQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("VOC record")
        verbose_name_plural = _("VOC records")
        indexes = [
            models.Index(fields=["kind", "state", "-created_at"], name="voc_kind_state_idx"),
            models.Index(fields=["reported_by", "-created_at"], name="voc_reported_by_idx"),
            models.Index(fields=["created_at"], name="voc_created_idx"),
            GinIndex(fields=["search_vector"], name="voc_search_idx"),
        ]

    def get_absolute_url(self):
        return reverse("voc:detail", args=[self.pk])

    def get_portal_url(self):
        return reverse("voc_portal:detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def is_overdue(self):
        return workflow.is_overdue(state=self.state, due=self.due_at, now=timezone.now())


class VocTicketLink(models.Model):
    """A ticket the VOC is about (an incident, a request, any ticket type), kept by number too."""

    voc = models.ForeignKey(Voc, on_delete=models.CASCADE, related_name="ticket_links")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    number = models.CharField(_("ticket"), max_length=20)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["voc", "content_type", "object_id"], name="voc_ticket_once")]
        indexes = [models.Index(fields=["content_type", "object_id"], name="voc_ticket_link_idx")]

    def __str__(self):
        return self.number
