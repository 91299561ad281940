"""The document register (DOC…): policies, plans and procedures of the service management system,
architecture documents, information strategy plans, proof-of-concept records, requirements and
continuity plans. A ticket type on the core contract (numbering, audit trail, versions, activity,
attachments, events); each approved text is kept as a numbered `DocumentVersion`."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Ticket, TicketQuerySet
from core.search import SearchFields
from core.tickets import Lifecycle
from documents import workflow
from documents.choices import BADGES, DocumentKind, DocumentState


class DocumentQuerySet(TicketQuerySet):
    def current(self):
        """Approved documents: the ones in force."""
        return self.filter(state=DocumentState.APPROVED)


class Document(Ticket):
    NUMBER_PREFIX = "DOC"
    badge_colours = {"state": BADGES}
    EDITABLE_FIELDS = frozenset({"title", "description", "kind", "owner", "review_at", "clauses",
                                 "assignment_group", "assigned_to"})
    SEARCH_FIELDS = SearchFields((("number", "title"), "A"), (("description",), "B"), max_terms=8)
    lifecycle = Lifecycle(
        states=DocumentState, initial={DocumentState.DRAFT}, resolved={DocumentState.APPROVED},
        terminal={DocumentState.RETIRED}, workflow=workflow,
    )

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    state = models.CharField(_("state"), max_length=20, choices=DocumentState.choices, default=DocumentState.DRAFT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_documents")
    # The number of the approved version in force (0 until the first approval).
    current_version = models.PositiveIntegerField(_("current version"), default=0)
    review_at = models.DateField(_("next review"), null=True, blank=True)
    # ISO/IEC 20000-1 clause ids (core.clauses) the document serves.
    clauses = ArrayField(models.CharField(max_length=10), verbose_name=_("clauses"), default=list, blank=True)
    services = models.ManyToManyField("cmdb.ConfigurationItem", verbose_name=_("services"), blank=True,
                                      related_name="documents")
    configuration_items = models.ManyToManyField("cmdb.ConfigurationItem", verbose_name=_("configuration items"),
                                                 blank=True, related_name="documents_about")
    # Requirements trace to the changes and releases that deliver them.
    changes = models.ManyToManyField("changes.Change", verbose_name=_("changes"), blank=True,
                                     related_name="documents")
    releases = models.ManyToManyField("releases.Release", verbose_name=_("releases"), blank=True,
                                      related_name="documents")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    search_vector = SearchVectorField(null=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            GinIndex(fields=["search_vector"], name="document_search_idx"),
            GinIndex(fields=["clauses"], name="document_clauses_idx"),
            models.Index(fields=["kind", "state"], name="document_kind_state_idx"),
            models.Index(fields=["review_at"], name="document_review_idx"),
        ]

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.pk])

    @property
    def version_in_force_label(self):
        """`v3`, or, before the first approval, words: a bare "version 0" reads as a real version."""
        if self.current_version:
            return f"v{self.current_version}"
        return _("draft, not yet approved")

    @property
    def is_review_overdue(self):
        return workflow.review_overdue(self.state, self.review_at, timezone.localdate())


class DocumentVersion(models.Model):
    """One numbered text of a document, kept for good once approved (what was in force when)."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"), blank=True)
    change_summary = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self):
        return f"{self.document.number} v{self.number}"


class Distribution(models.Model):
    """Who a document is distributed to (a team or a person), and whether they acknowledged the
    version in force (ISO/IEC 20000-1 7.5.4: documented information available where needed)."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="distribution")
    team = models.ForeignKey("accounts.Team", verbose_name=_("team"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="distributed_documents")
    acknowledgement_required = models.BooleanField(_("acknowledgement required"), default=False)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # The version that was acknowledged: a newer approved version asks again.
    acknowledged_version = models.PositiveIntegerField(_("acknowledged version"), null=True, blank=True)
    created_at = models.DateTimeField(_("distributed"), default=timezone.now)

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distribution")
        constraints = [
            models.CheckConstraint(condition=(Q(team__isnull=True) & Q(person__isnull=False))
                                   | (Q(team__isnull=False) & Q(person__isnull=True)),
                                   name="distribution_team_or_person"),
            models.UniqueConstraint(fields=["document", "team"], condition=Q(team__isnull=False),
                                    name="distribution_one_per_team"),
            models.UniqueConstraint(fields=["document", "person"], condition=Q(person__isnull=False),
                                    name="distribution_one_per_person"),
        ]

    def __str__(self):
        return f"{self.document.number} → {self.team or self.person}"
