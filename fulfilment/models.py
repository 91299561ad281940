"""Request fulfilment (ISO/IEC 20000-1 8.6.2): service requests, the catalog items they hold,
their approvals, and the fulfilment tasks the desk works.

A request and a task are both tickets on the core contract (numbering, activity, attachments,
audit, versions, SLA clocks, events). A request follows its items: fulfilment.services rolls
the items' states up into the request's.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from core.choices import Decision
from core.models import Ticket, TicketQuerySet
from core.search import SearchFields
from core.tickets import Lifecycle
from fulfilment import task_workflow, workflow
from fulfilment.choices import (
    LIVE_TASK_STATES, OPEN_REQUEST_STATES, OPEN_TASK_STATES, REQUEST_BADGE_COLOURS, TASK_BADGE_COLOURS, ItemState, RequestState,
    TaskState,
)


class RequestQuerySet(TicketQuerySet):
    def visible_to(self, user):
        """Desk staff see every request; anyone else the requests they placed or that were
        placed for them (both people follow a request made on someone's behalf)."""
        if roles.is_agent(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(requested_by=user) | Q(requested_for=user))

    def open(self):
        return self.filter(state__in=OPEN_REQUEST_STATES)

    def visible_or_decidable_by(self, user):
        """What the person may see, and the requests naming them as an approver of an item (a line
        manager who is not desk staff decides a request they did not place)."""
        if roles.is_agent(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        named = RequestItem.objects.filter(approval_plan__contains=[{"eligible": [user.pk]}]).values("request_id")
        return self.filter(Q(requested_by=user) | Q(requested_for=user) | Q(pk__in=named))


class Request(Ticket):
    """A service request: one or more catalog items ordered together, for oneself or for
    someone else. Its title is made from its items when it is submitted."""

    NUMBER_PREFIX = "REQ"
    REQUESTER_FIELD = "requested_for"
    badge_colours = REQUEST_BADGE_COLOURS
    EDITABLE_FIELDS = frozenset({"title", "description", "assignment_group", "assigned_to"})
    SEARCH_FIELDS = SearchFields(("number", "A"), ("title", "A"), ("description", "B"), comments="C", max_terms=8)
    lifecycle = Lifecycle(
        states=RequestState, initial={RequestState.SUBMITTED},
        resolved={RequestState.FULFILLED},
        terminal={RequestState.CLOSED, RequestState.REJECTED, RequestState.CANCELLED},
        cancelled={RequestState.REJECTED, RequestState.CANCELLED},
        workflow=workflow,
        timestamps={RequestState.IN_FULFILMENT: "approved_at", RequestState.FULFILLED: "fulfilled_at",
                    RequestState.CLOSED: "closed_at"},
        reporter_fields=frozenset({"title", "description"}),
    )
    AUDIT_EXCLUDE = Ticket.AUDIT_EXCLUDE | {"approved_at", "fulfilled_at", "closed_at"}

    state = models.CharField(_("state"), max_length=20, choices=RequestState.choices,
                             default=RequestState.SUBMITTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="placed_requests")
    requested_for = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested for"),
                                      on_delete=models.PROTECT, related_name="service_requests")
    channel = models.CharField(_("channel"), max_length=20, default="portal")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    sla_clocks = GenericRelation("sla.SLAClock")

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            GinIndex(fields=["search_vector"], name="fulfilment_request_search_idx"),
            models.Index(fields=["state", "-created_at"], name="fulfilment_request_state_idx"),
            # The portal's "my requests" (placed by me, and placed for me).
            models.Index(fields=["requested_for", "-created_at"], name="fulfilment_request_for_idx"),
            models.Index(fields=["requested_by", "-created_at"], name="fulfilment_request_by_idx"),
        ]

    def get_absolute_url(self):
        return reverse("fulfilment:request_detail", args=[self.pk])

    # The resolution target the request's catalog items set (the longest delivery time among
    # the items marked `sla_from_delivery_time`), in hours. The submission sets it before the
    # request is saved, when its clocks start and its items do not exist yet; otherwise it is
    # read from the items.
    @property
    def delivery_target_hours(self):
        if getattr(self, "_delivery_target_hours", None) is None and self.pk:
            from django.db.models import Max

            self._delivery_target_hours = (self.items.filter(catalog_item__sla_from_delivery_time=True)
                                           .aggregate(hours=Max("catalog_item__delivery_time"))["hours"] or 0)
        return getattr(self, "_delivery_target_hours", None) or 0

    @delivery_target_hours.setter
    def delivery_target_hours(self, hours):
        self._delivery_target_hours = hours

    def sla_target_minutes(self, kind, default):
        """sla.engine.ticket_target_minutes: the items' delivery time is the resolution target
        where they say so (in the definition's business hours), else the definition's target."""
        if kind == "resolution" and self.delivery_target_hours:
            return self.delivery_target_hours * 60
        return default


class RequestItem(models.Model):
    """One catalog item in a request, with its answers and quantity. Approved stage by stage
    per the item's approval stages, then fulfilled by its tasks."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="items",
                                verbose_name=_("request"))
    catalog_item = models.ForeignKey("catalog.CatalogItem", verbose_name=_("catalog item"),
                                     on_delete=models.PROTECT, related_name="requested_items")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=ItemState.choices, default=ItemState.SUBMITTED)
    # Each rejection ends the item; a round counts re-submissions should they ever be allowed.
    approval_round = models.PositiveSmallIntegerField(_("approval round"), default=1)
    # The stage whose tasks are open now (0: fulfilment has not started).
    current_stage = models.PositiveSmallIntegerField(_("current stage"), default=0)
    # The item's approval stages as they stood at submission (order, name, approver kind, group,
    # mode, quorum, and the resolved eligible user ids), so editing the catalog later does not
    # change who decides a request already in flight.
    approval_plan = models.JSONField(_("approval plan"), default=list, blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("requested item")
        verbose_name_plural = _("requested items")
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="fulfilment_item_quantity_positive")]
        indexes = [
            # The approvals inbox (every desk page's count): the waiting items whose plan names a
            # person, `approval_plan @> [{"eligible": [id]}]`, without reading the others.
            GinIndex(fields=["approval_plan"], opclasses=["jsonb_path_ops"], name="fulfilment_item_waiting_idx",
                     condition=Q(state="awaiting_approval")),
        ]

    def __str__(self):
        return f"{self.request_id}: {self.catalog_item_id} × {self.quantity}"


class RequestApproval(models.Model):
    """One approver's decision on one stage of a requested item, with a comment."""

    request_item = models.ForeignKey(RequestItem, on_delete=models.CASCADE, related_name="approvals")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    stage_order = models.PositiveSmallIntegerField(_("stage"))
    stage_name = models.CharField(_("stage name"), max_length=150)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approver"), on_delete=models.PROTECT,
                                 related_name="request_approvals")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=20, default="web")
    created_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["request_item", "round", "stage_order", "created_at", "id"]
        verbose_name = _("request approval")
        verbose_name_plural = _("request approvals")
        constraints = [
            models.UniqueConstraint(fields=["request_item", "round", "stage_order", "approver"],
                                    name="fulfilment_approval_once"),
        ]

    def __str__(self):
        return f"{self.request_item_id} {self.stage_name}: {self.approver_id} {self.decision}"


class ApprovalDue(models.Model):
    """Who may decide a waiting requested item now: one row per item and person whose vote the
    approval rules offer on the item's current stage (fulfilment.deciders keeps them in step with
    every submission, decision and cancellation). The approvals badge on every desk page and the
    inbox read these narrow rows by the person's index instead of evaluating every waiting item
    whose plan names them, so their cost follows what the person has to decide, not the size of
    their groups' backlog."""

    request_item = models.ForeignKey(RequestItem, on_delete=models.CASCADE, related_name="deciders_now")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="+")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stage_order = models.PositiveSmallIntegerField(_("stage"))
    stage_name = models.CharField(_("stage name"), max_length=150)
    # Since when the stage waits on its deciders: the request's submission or the last decision
    # of an earlier stage.
    since = models.DateTimeField(_("waiting since"))

    class Meta:
        verbose_name = _("approval due")
        verbose_name_plural = _("approvals due")
        constraints = [models.UniqueConstraint(fields=["request_item", "approver"], name="fulfilment_due_once")]
        indexes = [
            # The badge's count of distinct requests (index-only) and the inbox's rows, per person.
            models.Index(fields=["approver", "request"], name="fulfilment_due_approver_idx"),
        ]


class TaskQuerySet(TicketQuerySet):
    def open(self):
        return self.filter(state__in=OPEN_TASK_STATES)


class Task(Ticket):
    """A fulfilment task (catalog task): one step of a requested item's plan, worked by a group.
    Tasks of one stage run in parallel; the next stage opens when all of them are done."""

    NUMBER_PREFIX = "TSK"
    badge_colours = TASK_BADGE_COLOURS
    EDITABLE_FIELDS = frozenset({"title", "description", "assignment_group", "assigned_to", "notes"})
    SEARCH_FIELDS = SearchFields(("number", "A"), ("title", "A"), ("description", "B"), max_terms=8)
    lifecycle = Lifecycle(
        states=TaskState, initial={TaskState.PENDING, TaskState.OPEN},
        resolved=(), terminal={TaskState.DONE, TaskState.CANCELLED},
        cancelled={TaskState.CANCELLED},
        workflow=task_workflow,
        timestamps={TaskState.OPEN: "opened_at", TaskState.DONE: "completed_at"},
    )
    AUDIT_EXCLUDE = Ticket.AUDIT_EXCLUDE | {"opened_at", "completed_at"}

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("request"))
    request_item = models.ForeignKey(RequestItem, on_delete=models.CASCADE, related_name="tasks",
                                     verbose_name=_("requested item"))
    template = models.ForeignKey("catalog.TaskTemplate", verbose_name=_("task template"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    stage = models.PositiveSmallIntegerField(_("stage"), default=1)
    state = models.CharField(_("state"), max_length=20, choices=TaskState.choices, default=TaskState.PENDING)
    notes = models.TextField(_("notes"), blank=True)
    # A plan step that raises a standard change is tracked by its change (linked both ways).
    change = models.OneToOneField("changes.Change", verbose_name=_("change"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="fulfilment_task")
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    sla_clocks = GenericRelation("sla.SLAClock")

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("fulfilment task")
        verbose_name_plural = _("fulfilment tasks")
        indexes = [
            GinIndex(fields=["search_vector"], name="fulfilment_task_search_idx"),
            # The agents' queues (fulfilment.filtersets.task_queue_q, oldest first, ties on id; the
            # API's newest first reads them backwards). Each condition is the tab's states, so the
            # planner can use it: "my groups" lists the pending tasks of later stages too.
            # All open and unassigned walk this one in order (and "my groups" when the person's
            # groups hold most of the work); its capped counts stop after a thousand entries.
            models.Index(fields=["created_at", "id"], name="fulfilment_task_live_idx",
                         condition=Q(state__in=sorted(LIVE_TASK_STATES))),
            # My groups (a small group's tasks without walking everyone's) and the API's
            # ?assignment_group=&state=open; with the state included, the API's count of one
            # state of a group is an index-only scan.
            models.Index(fields=["assignment_group", "created_at", "id"], name="fulfilment_task_group_idx",
                         include=["state"], condition=Q(state__in=sorted(LIVE_TASK_STATES))),
            # My tasks, and the API's ?assigned_to=&state=.
            models.Index(fields=["assigned_to", "created_at", "id"], name="fulfilment_task_assignee_idx",
                         include=["state"], condition=Q(state__in=sorted(OPEN_TASK_STATES))),
            # Unassigned: "assigned_to IS NULL" is no equality, so the assignee index would not
            # give the rows in date order (the planner sorted all 32,000 of them).
            models.Index(fields=["created_at", "id"], name="fulfilment_task_unassigned_idx",
                         condition=Q(state__in=sorted(OPEN_TASK_STATES), assigned_to__isnull=True)),
            models.Index(fields=["state", "-created_at"], name="fulfilment_task_state_idx"),
            # The API's unfiltered list, newest first (read backwards), and its capped count.
            models.Index(fields=["created_at", "id"], name="fulfilment_task_created_idx"),
        ]

    def get_absolute_url(self):
        return reverse("fulfilment:task_detail", args=[self.pk])
