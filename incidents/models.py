"""Incident management records: incidents, their categories and automatic routing rules."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Ticket, TicketQuerySet
from core.search import SearchFields
from core.tickets import Lifecycle
from incidents import workflow
from incidents.choices import (
    BADGE_COLOURS,
    OPEN_STATES,
    CIAImpact,
    SecurityRecipient,
    Impact,
    IncidentChannel,
    IncidentState,
    OnHoldReason,
    Priority,
    ResolutionCode,
    Urgency,
)


class Category(models.Model):
    """An incident category (e.g. "Network"); a category with a parent is a subcategory ("VPN")."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent category"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="incidents_category_unique_name"),
        ]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    def clean(self):
        super().clean()
        # Two levels only: category and subcategory.
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("A subcategory cannot have subcategories.")})


class IncidentQuerySet(TicketQuerySet):
    def visible_to(self, user):
        """As every ticket type, and: an information security incident only for the security group
        (incidents.security); its caller still sees their own on the portal."""
        from incidents import security

        visible = super().visible_to(user)
        restriction = security.hidden_from(user)
        return visible if restriction is None else visible.filter(restriction)

    def sees(self, user, incident):
        """visible_to's rule for an incident already read (core.models.TicketQuerySet.sees)."""
        from incidents import security

        return super().sees(user, incident) and not security.hides(user, is_security=incident.is_security)

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def with_list_relations(self):
        """What the queue rows and API list render, fetched in a constant number of queries."""
        # Loaded apart rather than joined: with seven LEFT JOINs PostgreSQL spends ~10-17 ms
        # planning a query that executes in ~1 ms; four primary-key look-ups (users, teams,
        # categories, CIs: core.models.attach_rows) cost less than the planning.
        return self.with_rows(
            "caller", "assignment_group", "assigned_to", "category", "subcategory",
            "service", "configuration_item",
        ).defer("search_vector")  # the search document is never displayed; keep rows small


# The full-text document (core.search): number, title, description and the public comments.
# Unranked (newest first), so no weights are read and the row's own words need not be stored:
# they are searched through a GIN index on their expression (inc_words_gin); `search_vector`
# holds the whole document of an incident with public comments only (issue 12: storage).
SEARCH_FIELDS = SearchFields(("number", "A"), ("title", "A"), ("description", "B"), comments="C", max_terms=8,
                             row_index=True)


class Incident(Ticket):
    """An unplanned interruption or loss of quality of an IT service (ISO/IEC 20000-1 8.6.1)."""

    NUMBER_PREFIX = "INC"
    badge_colours = BADGE_COLOURS
    REQUESTER_FIELD = "caller"
    # What update_incident accepts; the caller of their own incident may change only the state.
    EDITABLE_FIELDS = frozenset({
        "title", "description", "caller", "category", "subcategory", "service", "configuration_item",
        "impact", "urgency", "priority", "priority_override", "priority_override_reason", "is_major", "parent",
        "service_down", "assignment_group", "assigned_to", "state", "on_hold_reason", "resolution_code",
        "resolution_notes",
    })
    SEARCH_FIELDS = SEARCH_FIELDS
    lifecycle = Lifecycle(
        states=IncidentState, initial={IncidentState.NEW}, paused={IncidentState.ON_HOLD},
        resolved={IncidentState.RESOLVED}, terminal={IncidentState.CLOSED, IncidentState.CANCELLED},
        cancelled={IncidentState.CANCELLED}, workflow=workflow,
        timestamps={IncidentState.RESOLVED: "resolved_at", IncidentState.CLOSED: "closed_at"},
        desk_only_fields=EDITABLE_FIELDS - {"state"}, pause_reason_field="on_hold_reason",
        # An end user says what is wrong, how urgent it is for them and which service (one they
        # may see); impact, priority, channel, category and CI are the desk's (as on the portal).
        reporter_fields=frozenset({"title", "description", "urgency", "service"}),
    )

    # Storage (issue 12): a relation gets a single-column index only where a query needs one that
    # no composite index already leads with; nullable ones index only their non-null rows.
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("caller"), on_delete=models.PROTECT,
        related_name="called_incidents", db_index=False,  # inc_caller_idx leads with it
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=IncidentChannel.choices, default=IncidentChannel.AGENT,
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="incidents", limit_choices_to={"parent__isnull": True},
    )
    subcategory = models.ForeignKey(
        Category, verbose_name=_("subcategory"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="sub_incidents", limit_choices_to={"parent__isnull": False},
    )
    service = models.ForeignKey(
        "cmdb.ConfigurationItem", verbose_name=_("service"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="service_incidents",
        help_text=_("The business service the caller experiences as broken."), db_index=False,  # inc_service_idx
    )
    configuration_item = models.ForeignKey(
        "cmdb.ConfigurationItem", verbose_name=_("configuration item"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="incidents", db_index=False,  # inc_ci_idx
    )
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Impact.choices, default=Impact.LOW)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.LOW)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.PLANNING)
    priority_override = models.BooleanField(_("priority overridden"), default=False)
    priority_override_reason = models.CharField(_("reason for priority override"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=IncidentState.choices, default=IncidentState.NEW)
    on_hold_reason = models.CharField(_("on-hold reason"), max_length=20, choices=OnHoldReason.choices, blank=True)
    resolution_code = models.CharField(
        _("resolution code"), max_length=30, choices=ResolutionCode.choices, blank=True,
    )
    resolution_notes = models.TextField(_("resolution notes"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first responded"), null=True, blank=True)
    is_major = models.BooleanField(_("major incident"), default=False)
    # The service is down (not merely degraded): availability opens an outage from it (issue 17).
    # db_default: the bulk loaders insert incidents with raw SQL that names no such column.
    service_down = models.BooleanField(_("service down"), default=False, db_default=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("major incident"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="children", help_text=_("The major incident this one is a symptom of."),
        db_index=False,  # inc_parent_idx
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # The full-text document of an incident with public comments (NULL without: its words are in
    # inc_words_gin), maintained by the services (core.search.refresh); GIN-indexed (inc_commented_gin).
    search_vector = SearchVectorField(null=True, editable=False)
    # The SLA engine's response and resolution clocks on this incident (badges, `slas` in the API).
    sla_clocks = GenericRelation("sla.SLAClock")
    # Information security incident (ISO/IEC 20000-1 8.7.3): seen by the security group only
    # (IncidentQuerySet.visible_to); set and cleared by incidents.security_services, never by an edit.
    # db_default too: bulk builders (demo data, benchmarks) insert rows with their own column lists.
    is_security = models.BooleanField(_("information security incident"), default=False, db_default=False)
    security_flagged_at = models.DateTimeField(_("flagged as security incident"), null=True, blank=True)
    confidentiality_impact = models.CharField(_("confidentiality impact"), max_length=10, choices=CIAImpact.choices,
                                              default=CIAImpact.NONE, db_default=CIAImpact.NONE)
    integrity_impact = models.CharField(_("integrity impact"), max_length=10, choices=CIAImpact.choices,
                                        default=CIAImpact.NONE, db_default=CIAImpact.NONE)
    availability_impact = models.CharField(_("availability impact"), max_length=10, choices=CIAImpact.choices,
                                           default=CIAImpact.NONE, db_default=CIAImpact.NONE)
    # The security group's own notes; never shown to the caller (portal, API for end users).
    security_notes = models.TextField(_("security notes"), blank=True, db_default="")

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        permissions = [
            # Designated person by person (e.g. the CISO outside the security team); no role has it.
            ("view_security_incidents", _("Can see information security incidents outside the security group")),
        ]
        # Which query each index serves, with its EXPLAIN: bench/README.md, "Issue 12 (create and storage)".
        indexes = [
            # Every open-work queue (all open, my groups, mine, unassigned) in priority order: a small
            # partial index read in order, filtered on its included columns, stopping at 25 rows.
            # The queue tabs' counts of open work read it alone (an index-only scan): is_security is
            # there for the visibility rule (IncidentQuerySet.visible_to), the SLA standing for the
            # Breached and Breaching soon tabs (sla.rowstate).
            models.Index(fields=["priority", "created_at", "id", "assignment_group", "assigned_to", "is_security",
                                 "sla_breached", "sla_due_at", "sla_calendar"],
                         condition=Q(state__in=["new", "in_progress", "on_hold"]), name="inc_open_queue_idx"),
            # The API list: ?state=…&assignment_group=… newest first (the default API ordering), and
            # the queue tabs' counts of open states × my groups (index-only).
            models.Index(fields=["state", "assignment_group", "-created_at", "id"], name="inc_group_recent_idx"),
            # "My work": open incidents assigned to me.
            models.Index(fields=["assigned_to", "state", "priority"], name="inc_assignee_idx"),
            # The portal's "my tickets" and ?caller= newest first.
            models.Index(fields=["caller", "-created_at"], name="inc_caller_idx"),
            # Default list order and created_after/created_before ranges.
            models.Index(fields=["-created_at"], name="inc_created_idx"),
            # updated_after/updated_before ranges (integrations polling for changes).
            models.Index(fields=["updated_at"], name="inc_updated_idx"),
            # auto_close_resolved: resolved incidents older than N days.
            models.Index(fields=["resolved_at"], condition=Q(state="resolved"), name="inc_resolved_idx"),
            # The "major incidents" queue: a handful of rows in a million.
            models.Index(fields=["state"], condition=Q(is_major=True), name="inc_major_idx"),
            # The children of a major incident (its page, the API's parent filter): a few rows.
            models.Index(fields=["parent"], condition=Q(parent__isnull=False), name="inc_parent_idx"),
            # The incidents of a CI or of a service (CMDB pages, impact, ?configuration_item=/?service=).
            models.Index(fields=["configuration_item"], condition=Q(configuration_item__isnull=False),
                         name="inc_ci_idx"),
            models.Index(fields=["service"], condition=Q(service__isnull=False), name="inc_service_idx"),
            # The security report: a handful of rows in a million, by month.
            models.Index(fields=["created_at"], condition=Q(is_security=True), name="inc_security_idx"),
            # Search (core.search.apply): the words of every row's number, title and description, and
            # the stored document of the rows with public comments (NULL elsewhere, so not indexed).
            # fastupdate off: rows go straight into the index. Its pending list grew the index row
            # by row to 13-16 MB at 100k instead of 9.5 MB, and handed the create that fills it
            # (every few thousand) the whole merge.
            GinIndex(SEARCH_FIELDS.row_document(), name="inc_words_gin", fastupdate=False),
            GinIndex(fields=["search_vector"], condition=Q(search_vector__isnull=False), name="inc_commented_gin"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=3), name="inc_impact_range"),
            models.CheckConstraint(condition=Q(urgency__gte=1, urgency__lte=3), name="inc_urgency_range"),
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=5), name="inc_priority_range"),
        ]

    def get_absolute_url(self):
        return reverse("incidents:incident_detail", args=[self.pk])

    def get_portal_url(self):
        return reverse("portal:incident_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    def clean(self):
        super().clean()
        errors = {}
        if self.subcategory_id and self.subcategory.parent_id != self.category_id:
            errors["subcategory"] = _("The subcategory does not belong to the category.")
        if self.priority_override and not self.priority_override_reason.strip():
            errors["priority_override_reason"] = _("Give a reason for overriding the priority.")
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("An incident cannot be its own major incident.")
        if errors:
            raise ValidationError(errors)


class AssignmentRule(models.Model):
    """Routes a new incident to an assignment group; the first matching rule (lowest order) wins.

    A rule matches on category, service or CI (all given conditions must match); it assigns a
    fixed group or, with `use_ci_owner_group`, the owner group of the incident's CI.
    """

    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE, related_name="+",
    )
    service = models.ForeignKey(
        "cmdb.ConfigurationItem", verbose_name=_("service"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )
    use_ci_owner_group = models.BooleanField(_("assign to the CI's owner group"), default=False)
    assignment_group = models.ForeignKey(
        "accounts.Team", verbose_name=_("assignment group"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not self.use_ci_owner_group and not self.assignment_group_id:
            raise ValidationError({"assignment_group": _("Choose a group or use the CI's owner group.")})


class SecurityNotification(models.Model):
    """Who was told about an information security incident, when, by whom, under which reference
    (a regulator's receipt number, a letter's reference). Written by incidents.security_services."""

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE,
                                 related_name="security_notifications")
    recipient = models.CharField(_("notified"), max_length=20, choices=SecurityRecipient.choices)
    recipient_detail = models.CharField(_("recipient detail"), max_length=200, blank=True,
                                        help_text=_("e.g. the office or the number of data subjects"))
    notified_at = models.DateTimeField(_("notified at"))
    notified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("notified by"),
                                    on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["notified_at", "id"]
        verbose_name = _("security notification")
        verbose_name_plural = _("security notifications")

    def __str__(self):
        return f"{self.incident_id} → {self.get_recipient_display()}"
