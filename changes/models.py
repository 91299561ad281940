"""Change management: requests for change, their standard-change templates, approval
policies and decisions, post-implementation reviews and change freezes."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from changes import workflow
from changes.choices import (
    ACTIVE_WINDOW_STATES,
    BADGE_COLOURS,
    ApprovalMode,
    ChangeState,
    ChangeType,
    Decision,
    Outcome,
    Risk,
)
from core.models import Ticket
from core.tickets import Lifecycle


class ChangeTemplate(models.Model):
    """A pre-approved standard change kept by administrators: its plans are copied into each
    change made from it, and such changes need no approval (still recorded)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    implementation_plan = models.TextField(_("implementation plan"))
    backout_plan = models.TextField(_("backout plan"))
    test_plan = models.TextField(_("test plan"))
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, default=Risk.LOW)
    assignment_group = models.ForeignKey(
        "accounts.Team", verbose_name=_("assignment group"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("standard change template")
        verbose_name_plural = _("standard change templates")

    def __str__(self):
        return self.name


class ApprovalPolicy(models.Model):
    """Who authorises changes of a type (and optionally a risk level): stages worked in order.

    The most specific active policy wins: (type, risk) before (type, any risk). An emergency
    policy is usually a single stage of a smaller emergency board (ECAB).
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    change_type = models.CharField(_("change type"), max_length=20, choices=ChangeType.choices)
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, blank=True,
                            help_text=_("Leave empty to apply to every risk level."))
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)
    # Separation of duties by default: whoever decided one stage of a change's round does not
    # also decide a later one (changes.approvals). A board too small to staff its stages apart
    # needs this switched on, deliberately.
    approvers_may_repeat = models.BooleanField(
        _("one person may decide several stages"), default=False,
        help_text=_("Let a person who decided one stage of a change also decide its later stages in the "
                    "same round. Off: each stage is decided by different people."))

    class Meta:
        ordering = ["change_type", "risk", "name"]
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")
        constraints = [
            # One active policy per type and risk, so the choice is never ambiguous.
            models.UniqueConstraint(fields=["change_type", "risk"], condition=Q(active=True),
                                    name="changes_policy_type_risk_active"),
        ]

    def __str__(self):
        return self.name


class ApprovalStage(models.Model):
    """One stage of a policy: its group decides by any one member, all members or a quorum."""

    policy = models.ForeignKey(ApprovalPolicy, on_delete=models.CASCADE, related_name="stages",
                               verbose_name=_("policy"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=150)
    group = models.ForeignKey("accounts.Team", verbose_name=_("approver group"), on_delete=models.PROTECT,
                              related_name="+")
    mode = models.CharField(_("mode"), max_length=10, choices=ApprovalMode.choices, default=ApprovalMode.ANY)
    quorum = models.PositiveSmallIntegerField(_("quorum"), null=True, blank=True,
                                              help_text=_("How many approvals a quorum stage needs."))
    # A change-manager stage is the role's, not a team's: a manager appointed later (create_user
    # --role manager) must be able to decide without also being added to the board.
    managers_decide = models.BooleanField(
        _("managers decide"), default=False,
        help_text=_("Every holder of the manager role may decide this stage, besides the group's members."))

    class Meta:
        ordering = ["policy", "order"]
        verbose_name = _("approval stage")
        verbose_name_plural = _("approval stages")
        constraints = [models.UniqueConstraint(fields=["policy", "order"], name="changes_stage_order_unique")]

    def __str__(self):
        return f"{self.policy}: {self.order}. {self.name}"

    def clean(self):
        super().clean()
        if self.mode == ApprovalMode.QUORUM and not self.quorum:
            raise ValidationError({"quorum": _("A quorum stage needs the number of approvals.")})


class Change(Ticket):
    """A request for change (RFC): adding, modifying or removing anything that could affect
    services, with its plans, planned window, risk, approvals and outcome."""

    NUMBER_PREFIX = "CHG"
    badge_colours = BADGE_COLOURS
    # Plan fields are editable only while new or in assessment (changes.services).
    EDITABLE_FIELDS = frozenset({
        "type", "risk", "planned_start", "planned_end", "implementation_plan", "backout_plan", "test_plan",
        "emergency_reason", "template", "title", "description", "assignment_group", "assigned_to",
        "requested_by",
    })
    SEARCH_FIELDS = ("number", "title")
    lifecycle = Lifecycle(
        states=ChangeState, initial={ChangeState.NEW}, resolved=(),
        terminal={ChangeState.CLOSED, ChangeState.CANCELLED}, cancelled={ChangeState.CANCELLED},
        workflow=workflow,
        timestamps={ChangeState.IMPLEMENT: "actual_start", ChangeState.REVIEW: "actual_end"},
    )
    # Derived data, and the approval stamp (each decision has its own audit row).
    AUDIT_EXCLUDE = Ticket.AUDIT_EXCLUDE | {"conflicts", "conflicts_checked_at", "impacted_services",
                                            "impacted_ci_count", "approved_at"}

    type = models.CharField(_("type"), max_length=20, choices=ChangeType.choices, default=ChangeType.NORMAL)
    state = models.CharField(_("state"), max_length=20, choices=ChangeState.choices, default=ChangeState.NEW)
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, blank=True)
    risk_score = models.PositiveSmallIntegerField(_("risk score"), null=True, blank=True)
    risk_answers = models.JSONField(_("risk questionnaire"), default=dict, blank=True)
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    affected_cis = models.ManyToManyField("cmdb.ConfigurationItem", verbose_name=_("affected CIs"), blank=True,
                                          related_name="changes")
    implementation_plan = models.TextField(_("implementation plan"), blank=True)
    backout_plan = models.TextField(_("backout plan"), blank=True)
    test_plan = models.TextField(_("test plan"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="requested_changes")
    emergency_reason = models.TextField(_("emergency reason"), blank=True)
    template = models.ForeignKey(ChangeTemplate, verbose_name=_("template"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="changes")
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    # Incidents this change caused (set from either side; the incident page may show it).
    caused_incidents = models.ManyToManyField("incidents.Incident", verbose_name=_("caused incidents"),
                                              blank=True, related_name="caused_by_changes")
    approval_policy = models.ForeignKey(ApprovalPolicy, verbose_name=_("approval policy"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    # Each rejection sends the change back for rework and starts a new round of approvals.
    approval_round = models.PositiveSmallIntegerField(_("approval round"), default=1)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # Business services downstream of the affected CIs, taken from the CMDB graph when the
    # change is scheduled: conflict detection compares these arrays instead of walking the
    # graph for every other scheduled change.
    impacted_services = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    impacted_ci_count = models.PositiveIntegerField(_("downstream CIs"), default=0, editable=False)
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True, editable=False)
    conflicts_checked_at = models.DateTimeField(_("conflicts checked"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        # Migration 0002 adds a partial GiST index on tstzrange(planned_start, planned_end) for
        # "windows overlap" (&&), an expression index kept out of this list.
        indexes = [
            # Conflict detection and the calendar: changes holding a slot, by window.
            models.Index(fields=["planned_start", "planned_end"], name="changes_window_active_idx",
                         condition=Q(state__in=sorted(ACTIVE_WINDOW_STATES))),
            # The calendar of every state, by month.
            models.Index(fields=["planned_start"], name="changes_planned_start_idx"),
            # The list page's default filter and order.
            models.Index(fields=["state", "-created_at"], name="changes_state_created_idx"),
            # "Shares a business service" (array overlap).
            GinIndex(fields=["impacted_services"], name="changes_impacted_services_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True) | Q(planned_end__isnull=True)
                | Q(planned_end__gt=models.F("planned_start")),
                name="changes_window_order",
            ),
        ]

    def get_absolute_url(self):
        return reverse("changes:change_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end <= self.planned_start:
            errors["planned_end"] = [_("The planned window ends before it starts: the end must be after "
                                       "the start.")]
        if self.type == ChangeType.EMERGENCY and not (self.emergency_reason or "").strip():
            errors["emergency_reason"] = [_("An emergency change needs an emergency reason.")]
        if self.type == ChangeType.STANDARD and not self.template_id:
            errors["template"] = [_("A standard change must come from a pre-approved template.")]
        if errors:
            raise ValidationError(errors)


class Approval(models.Model):
    """One approver's decision on one stage of a change's approval round, with a comment."""

    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="approvals")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    stage = models.ForeignKey(ApprovalStage, verbose_name=_("stage"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    stage_order = models.PositiveSmallIntegerField(_("stage"))
    stage_name = models.CharField(_("stage name"), max_length=150)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approver"), on_delete=models.PROTECT,
                                 related_name="change_approvals")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["change", "round", "stage_order", "created_at", "id"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            # Approving twice is refused by the service; the database makes it impossible.
            models.UniqueConstraint(fields=["change", "round", "stage_order", "approver"],
                                    name="changes_approval_once"),
        ]

    def __str__(self):
        return f"{self.change_id} {self.stage_name}: {self.approver} {self.decision}"


class PostImplementationReview(models.Model):
    """The review (PIR) of how a change went, required before closing failed, backed-out
    and emergency changes."""

    change = models.OneToOneField(Change, on_delete=models.CASCADE, related_name="pir")
    summary = models.TextField(_("summary"))
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    follow_up_actions = models.TextField(_("follow-up actions"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("reviewed"), default=timezone.now)

    class Meta:
        verbose_name = _("post-implementation review")
        verbose_name_plural = _("post-implementation reviews")

    def __str__(self):
        return f"PIR {self.change_id}"


class FreezeWindowQuerySet(models.QuerySet):
    def overlapping(self, start, end):
        return self.filter(active=True, start__lt=end, end__gt=start)


class FreezeWindow(models.Model):
    """A change freeze (blackout) set by administrators: no change may be scheduled in it
    except an emergency. Limited to some business services, or everything when none given."""

    name = models.CharField(_("name"), max_length=150)
    reason = models.TextField(_("reason"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    services = models.ManyToManyField("cmdb.ConfigurationItem", verbose_name=_("business services"),
                                      blank=True, related_name="+",
                                      help_text=_("Empty means the freeze applies to every change."))
    active = models.BooleanField(_("active"), default=True)

    objects = FreezeWindowQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("freeze window")
        verbose_name_plural = _("freeze windows")
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")),
                                              name="changes_freeze_order")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The freeze ends before it starts.")})
