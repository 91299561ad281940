"""Problem management: the cause of one or more incidents, and the known-error database."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Ticket
from core.search import SearchFields
from core.tickets import Lifecycle
from problems import workflow
from problems.choices import BADGE_COLOURS, OPEN_STATES, CauseCategory, Impact, Priority, ProblemState


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Problems are desk-only records (no REQUESTER_FIELD): the core rule applies.
        from core.models import TicketQuerySet

        return TicketQuerySet.visible_to(self, user)

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def known_errors(self):
        """The known-error database: published problems that are not cancelled."""
        return self.filter(known_error=True).exclude(state=ProblemState.CANCELLED)


class Problem(Ticket):
    """A problem: the cause, or potential cause, of one or more incidents (ITIL; ISO/IEC 20000-1 8.6.3).

    Once analysed, its root cause and/or workaround can be published (`known_error`) to the
    known-error database, where agents find it from matching incidents and apply its workaround.
    """

    NUMBER_PREFIX = "PRB"
    badge_colours = BADGE_COLOURS
    EDITABLE_FIELDS = frozenset({
        "title", "description", "state", "impact", "priority", "cause_category", "root_cause", "workaround",
        "analysis_notes", "known_error", "assignment_group", "assigned_to",
    })
    # The full-text document (core.search): number and title weigh most, then the known-error
    # content (workaround, root cause), then the analysis. Ranked; an exact number also matches.
    SEARCH_FIELDS = SearchFields(
        (("number", "title"), "A"), (("workaround", "root_cause"), "B"), (("description", "analysis_notes"), "C"),
        ranked=True, also_match=(("number", "iexact"), ("title", "icontains")), max_terms=12,
    )
    lifecycle = Lifecycle(
        states=ProblemState, initial={ProblemState.NEW}, resolved={ProblemState.RESOLVED},
        terminal={ProblemState.CLOSED, ProblemState.CANCELLED}, cancelled={ProblemState.CANCELLED},
        workflow=workflow,
        timestamps={ProblemState.RESOLVED: "resolved_at", ProblemState.CLOSED: "closed_at"},
    )
    # The state row of the same save already dates these; a raw timestamp row adds only noise.
    AUDIT_EXCLUDE = Ticket.AUDIT_EXCLUDE | {"resolved_at", "closed_at"}

    state = models.CharField(_("state"), max_length=20, choices=ProblemState.choices, default=ProblemState.NEW)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Impact.choices, null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, null=True, blank=True)
    cause_category = models.CharField(
        _("cause category"), max_length=20, choices=CauseCategory.choices, blank=True
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    workaround = models.TextField(_("workaround"), blank=True)
    analysis_notes = models.TextField(_("analysis notes"), blank=True)
    known_error = models.BooleanField(
        _("published as known error"), default=False,
        help_text=_("Publish the root cause and workaround to the known-error database."),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Full-text document (number, title, workaround, root cause, description, notes), kept by
    # the services (problems.selectors.refresh_search); GIN-indexed by migration 0004.
    search_vector = SearchVectorField(null=True, editable=False)

    incidents = models.ManyToManyField(
        "incidents.Incident", verbose_name=_("incidents"), blank=True, related_name="problems"
    )
    configuration_items = models.ManyToManyField(
        "cmdb.ConfigurationItem", verbose_name=_("configuration items"), blank=True, related_name="problems"
    )
    changes = models.ManyToManyField(
        "changes.Change", verbose_name=_("changes"), blank=True, related_name="problems"
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [
            # The desk list filtered by state, newest first.
            models.Index(fields=["state", "-created_at"], name="problem_state_created_idx"),
            # The known-error database: published problems only.
            models.Index(fields=["known_error", "state"], name="problem_known_error_idx"),
        ]

    def get_absolute_url(self):
        return reverse("problems:problem_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state in OPEN_STATES
