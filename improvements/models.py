"""The continual improvement register (ISO/IEC 20000-1 10.1, 10.2): improvement items and
corrective actions, each raised from a source (an SLA breach, a review, a problem, a complaint, a
low survey score, an audit finding) or typed in by hand."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Ticket, TicketQuerySet
from core.search import SearchFields
from core.tickets import Lifecycle
from improvements import workflow
from improvements.choices import (
    BADGE_COLOURS, OPEN_STATES, ImprovementPriority, ImprovementState, Kind, SourceType,
)

S = ImprovementState


class ImprovementQuerySet(TicketQuerySet):
    # Desk-only records (no REQUESTER_FIELD): the core rule applies.

    def open(self):
        return self.filter(state__in=OPEN_STATES)


SCORE_CHECK = Q(benefit__gte=1, benefit__lte=5, effort__gte=1, effort__lte=5, risk__gte=1, risk__lte=5)


class Improvement(Ticket):
    """One entry of the register: an improvement opportunity or a corrective action for a
    nonconformity, with its source, scores and priority, owner, due date, linked change, and the
    baseline and result measurements that show whether it worked."""

    NUMBER_PREFIX = "IMP"
    badge_colours = BADGE_COLOURS
    EDITABLE_FIELDS = frozenset({
        "title", "description", "kind", "source_type", "organisation", "service", "benefit", "effort", "risk",
        "owner", "due_date", "change", "baseline_value", "baseline_unit", "baseline_date", "result_value",
        "result_date", "verified_by", "closure_note", "nonconformity", "cause", "correction", "corrective_action",
        "effectiveness_review", "assignment_group", "assigned_to",
    })
    SEARCH_FIELDS = SearchFields((("number", "title"), "A"), (("source_label", "description"), "B"),
                                 (("nonconformity", "cause"), "C"), max_terms=8)
    lifecycle = Lifecycle(
        states=ImprovementState, initial={S.PROPOSED}, resolved={S.IMPLEMENTED},
        terminal={S.CLOSED_EFFECTIVE, S.CLOSED_INEFFECTIVE, S.REJECTED, S.CANCELLED},
        cancelled={S.REJECTED, S.CANCELLED}, workflow=workflow,
        timestamps={S.APPROVED: "approved_at", S.IMPLEMENTED: "implemented_at", S.CLOSED_EFFECTIVE: "closed_at",
                    S.CLOSED_INEFFECTIVE: "closed_at", S.REJECTED: "closed_at", S.CANCELLED: "closed_at"},
    )
    AUDIT_EXCLUDE = Ticket.AUDIT_EXCLUDE | {"approved_at", "implemented_at", "closed_at", "priority"}

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.IMPROVEMENT)
    state = models.CharField(_("state"), max_length=20, choices=ImprovementState.choices, default=S.PROPOSED)
    source_type = models.CharField(_("source"), max_length=20, choices=SourceType.choices, default=SourceType.MANUAL)
    # The record that raised it (an incident, a change, a VOC record, a survey response…): one
    # item per source and type, whatever the app that owns the record.
    source_content_type = models.ForeignKey(ContentType, verbose_name=_("source record type"), null=True,
                                            blank=True, on_delete=models.PROTECT, related_name="+")
    source_object_id = models.PositiveBigIntegerField(_("source record id"), null=True, blank=True)
    source = GenericForeignKey("source_content_type", "source_object_id")
    # What people call the source (its number, "INC0001234 resolution breach"): kept as text so
    # the register reads without loading records of other apps, and survives their deletion.
    source_label = models.CharField(_("source label"), max_length=200, blank=True)
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="improvements")
    service = models.ForeignKey("cmdb.ConfigurationItem", verbose_name=_("service"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="improvements")
    benefit = models.PositiveSmallIntegerField(_("benefit"), default=3, help_text=_("1 (little) to 5 (large)"))
    effort = models.PositiveSmallIntegerField(_("effort"), default=3, help_text=_("1 (little) to 5 (large)"))
    risk = models.PositiveSmallIntegerField(_("risk"), default=3, help_text=_("1 (low) to 5 (high)"))
    # Derived from the three scores by improvements.scoring (services set it on every write).
    priority = models.PositiveSmallIntegerField(_("priority"), choices=ImprovementPriority.choices, default=3)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_improvements")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    change = models.ForeignKey("changes.Change", verbose_name=_("change"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="improvements")
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=3, null=True, blank=True)
    baseline_unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    result_value = models.DecimalField(_("result value"), max_digits=14, decimal_places=3, null=True, blank=True)
    result_date = models.DateField(_("result date"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="verified_improvements")
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    closure_note = models.TextField(_("closing note"), blank=True)
    # Corrective actions (kind corrective_action), ISO/IEC 20000-1 10.1 a-e.
    nonconformity = models.TextField(_("nonconformity"), blank=True)
    cause = models.TextField(_("cause"), blank=True)
    correction = models.TextField(_("correction"), blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    effectiveness_review = models.TextField(_("effectiveness review"), blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("implemented"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ImprovementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("improvement")
        verbose_name_plural = _("improvements")
        constraints = [
            # Raising is idempotent: a redelivered event finds the item it raised the first time.
            models.UniqueConstraint(fields=["source_type", "source_content_type", "source_object_id"],
                                    condition=Q(source_object_id__isnull=False), name="improvement_one_per_source"),
            models.CheckConstraint(condition=SCORE_CHECK, name="improvement_scores_1_to_5"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="improvement_search_idx"),
            # The register's default order (newest first): a page without sorting every row.
            models.Index(fields=["-created_at", "-id"], name="improvement_created_idx"),
            # The register filtered by state, newest first; the summary's open / overdue counts.
            models.Index(fields=["state", "-created_at"], name="improvement_state_idx"),
            models.Index(fields=["owner", "state"], name="improvement_owner_idx"),
            # Service reports: one organisation's (or service's) items raised in a month.
            models.Index(fields=["organisation", "created_at"], name="improvement_org_idx"),
            models.Index(fields=["service", "created_at"], name="improvement_service_idx"),
        ]

    def get_absolute_url(self):
        return reverse("improvements:detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def is_corrective(self):
        return self.kind == Kind.CORRECTIVE_ACTION
