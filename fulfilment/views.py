"""Agent desk views for service requests and fulfilment tasks (thin: visibility, a filterset or
a form, a fulfilment.services call). The pages plug into core's ticket views like incidents and
changes do; the answers, approvals and stages are read here and shown as they are."""

from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import approvals as inbox
from core.choices import Channel, Decision
from core.paging import capped_paginator
from core.selectors import timeline
from core.ticket_views import TicketActionView, TicketDetailView, TicketListView, TicketMixin
from fulfilment import services, task_workflow
from fulfilment.desk_display import answer_rows, item_answer_rows, item_panels
from fulfilment.choices import (
    FINISHED_TASK_STATES, OPEN_REQUEST_STATES, OPEN_TASK_STATES, REQUEST_STATE_BADGES, RequestState, TaskState,
)
from fulfilment.filtersets import (
    QUEUE_COUNT_CAP, REQUEST_ORDERING, TASK_ORDERING, RequestFilterSet, RequestQueue, TaskFilterSet, TaskQueue,
    request_queue_counts, task_queue_counts, team_ids,
)
from fulfilment.forms import CancelRequestForm, RequestDecisionForm, TaskAssignForm, TaskWorkForm, VersionForm
from fulfilment.models import Request, RequestApproval, RequestItem, Task
from sla.selectors import clocks_for_ticket, clocks_for_tickets

WEB = Channel.WEB
PAGE_SIZE = 25
# The approvals inbox source the engine registers for requests (core.approvals).
REQUEST_APPROVAL_KIND = "request"
# The "Awaiting approval" tab shows the oldest ones; the approvals inbox lists them all.
APPROVALS_SHOWN = 100


def attach_clocks(rows):
    """Each row's SLA clocks as `row.clocks`, for the page in one query."""
    rows = list(rows)
    clocks = clocks_for_tickets(rows)
    for row in rows:
        row.clocks = clocks.get(row.pk, [])
    return rows


def unboosted_htmx(request):
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.boosted)


# --- requests ----------------------------------------------------------------------------------

class RequestDeskMixin(TicketMixin):
    """Requests on the desk: every agent sees every request (Request.objects.visible_to)."""

    model = Request


class RequestListView(RequestDeskMixin, TicketListView):
    filterset_class = RequestFilterSet
    template_name = "fulfilment/desk/request_list.html"
    rows_template_name = "fulfilment/desk/_request_rows.html"
    ordering_fields = REQUEST_ORDERING
    default_ordering = ("-created_at", "-id")
    paginate_by = PAGE_SIZE
    sort_columns = (("number", gettext_lazy("Number")), ("state", gettext_lazy("State")),
                    ("title", gettext_lazy("Title")), ("created_at", gettext_lazy("Created")))

    def get_queryset(self):
        return (Request.objects.visible_to(self.request.user)
                .select_related("requested_by", "requested_for", "assignment_group", "assigned_to")
                .prefetch_related(Prefetch("items", queryset=RequestItem.objects.select_related("catalog_item"))))

    def get_params(self):
        params = super().get_params()
        if "queue" not in params and not any(k for k in params if k not in ("page", "ordering")):
            params["queue"] = RequestQueue.OPEN
        return params

    def get_extra_context(self, params, page):
        rows = attach_clocks(page.object_list)
        # Task progress of the page's rows in one query (annotating the list would make the
        # paginator's count join every task).
        progress = {r["request"]: r for r in Task.objects.filter(request__in=[row.pk for row in rows])
                    .values("request").annotate(total=Count("pk"), done=Count("pk", filter=Q(state=TaskState.DONE)))}
        for row in rows:
            row.task_count = progress.get(row.pk, {}).get("total", 0)
            row.tasks_done = progress.get(row.pk, {}).get("done", 0)
        counts = {} if unboosted_htmx(self.request) else request_queue_counts(
            Request.objects.visible_to(self.request.user), self.request.user)
        return {"queues": [(value, label, counts.get(value)) for value, label in RequestQueue.choices],
                "queue": params.get("queue", "")}


class RequestDetailView(RequestDeskMixin, TicketDetailView):
    """The request page: who asked for whom, each item with its answers and approvals, the tasks
    by stage, the timeline and the comment form."""

    template_name = "fulfilment/desk/request_detail.html"
    comment_route = "fulfilment:request_comment"
    comment_public_label = gettext_lazy("Reply to requester (public)")
    comment_public_submit = gettext_lazy("Send reply to requester")

    def comment_audience(self, request_obj):
        people = {request_obj.requested_for, request_obj.requested_by}
        return _("%(people)s will see this on the portal.") % {
            "people": ", ".join(sorted(str(p) for p in people))}

    def get_context(self, request_obj, forms):
        request_obj = (Request.objects.select_related("requested_by", "requested_for", "assignment_group",
                                                      "assigned_to", "created_by")
                       .get(pk=request_obj.pk))
        items = list(request_obj.items.select_related("catalog_item").prefetch_related(
            Prefetch("approvals", queryset=RequestApproval.objects.select_related("approver")
                     .order_by("round", "stage_order", "created_at", "id"))))
        tasks = list(request_obj.tasks.select_related("assignment_group", "assigned_to", "change")
                     .order_by("request_item_id", "stage", "id"))
        rows = item_answer_rows(items)
        panels = item_panels(request_obj, items, self.request.user)
        for item in items:
            item.answer_rows = rows.get(item.pk, [])
            item.badge_colour = REQUEST_STATE_BADGES.get(item.state, "secondary")
            item.panel = panels.get(item.pk)
            item.stages = [(stage, list(group)) for stage, group in
                           groupby((t for t in tasks if t.request_item_id == item.pk), key=lambda t: t.stage)]
        offers = [(item, item.panel.offer) for item in items if item.panel and item.panel.offer is not None]
        state = request_obj.state
        return {
            "service_request": request_obj, "items": items, "task_total": len(tasks),
            "tasks_done": sum(1 for t in tasks if t.state == TaskState.DONE),
            # services.decide applies one decision to every item whose current stage the person may
            # decide: the buttons name those stages, as the change page's do.
            "decision_offers": offers,
            "decision_stage": ", ".join(dict.fromkeys(spec.name for _item, spec in offers)),
            "decision_items": [str(item.catalog_item) for item, _spec in offers],
            "decision_form": forms.get("decide") or RequestDecisionForm(),
            "cancel_form": forms.get("cancel") or CancelRequestForm(initial={"version": request_obj.version}),
            "can_cancel": state in OPEN_REQUEST_STATES,
            "can_close": state == RequestState.FULFILLED,
            "clocks": clocks_for_ticket(request_obj),
            "timeline": timeline(request_obj, include_internal=True),
            **self.comment_context(request_obj, forms),
        }


class RequestActionView(TicketActionView, RequestDetailView):
    """Decide, cancel, close and comment: POSTs from the request page, which shows their refusals."""

    flash_refusals = True

    def form_decide(self, request_obj):
        return RequestDecisionForm(self.request.POST)

    def do_decide(self, request_obj, form):
        data = form.cleaned_data
        services.decide(self.request.user, request_obj, decision=data["decision"], comment=data["comment"],
                        channel=WEB)
        message = (_("You approved %(number)s.") if data["decision"] == Decision.APPROVE
                   else _("You rejected %(number)s; the requester is told why."))
        self.success(message % {"number": request_obj.number})

    def form_cancel(self, request_obj):
        return CancelRequestForm(self.request.POST)

    def do_cancel(self, request_obj, form):
        services.cancel_request(self.request.user, request_obj, reason=form.cleaned_data["reason"],
                                version=form.cleaned_data.get("version"), channel=WEB)
        self.success(_("%(number)s is cancelled.") % {"number": request_obj.number})

    def form_close(self, request_obj):
        return VersionForm(self.request.POST)

    def do_close(self, request_obj, form):
        services.close_request(self.request.user, request_obj, version=form.cleaned_data.get("version"),
                               channel=WEB)
        self.success(_("%(number)s is closed.") % {"number": request_obj.number})


# --- tasks -------------------------------------------------------------------------------------

class TaskDeskMixin(TicketMixin):
    model = Task


def task_rows(user):
    return (Task.objects.visible_to(user)
            .select_related("request", "request_item__catalog_item", "assignment_group", "assigned_to"))


class TaskListView(TaskDeskMixin, TicketListView):
    """The agents' task queue: my tasks, my groups, unassigned, and the requests awaiting my decision."""

    filterset_class = TaskFilterSet
    template_name = "fulfilment/desk/task_list.html"
    rows_template_name = "fulfilment/desk/_task_rows.html"
    ordering_fields = TASK_ORDERING
    paginate_by = PAGE_SIZE
    # The page's ids from the queue's partial index (index-only), then its 25 rows by id; the
    # count stops at QUEUE_COUNT_CAP (core.paging). Issue 13: at 600,000 tasks the exact count
    # and the full-row sort were most of the page.
    defer_rows = True
    paginator_class = capped_paginator(QUEUE_COUNT_CAP)
    sort_columns = (("number", gettext_lazy("Number")), ("state", gettext_lazy("State")),
                    ("title", gettext_lazy("Task")), ("stage", gettext_lazy("Stage")),
                    ("created_at", gettext_lazy("Created")))

    def get_queryset(self):
        return task_rows(self.request.user)

    def get_params(self):
        params = super().get_params()
        if "queue" not in params and not any(k for k in params if k not in ("page", "ordering")):
            params["queue"] = TaskQueue.MY_GROUPS if team_ids(self.request.user) else TaskQueue.ALL_OPEN
        return params

    def get_default_ordering(self, params):
        # Oldest first in the working queues: first in, first served.
        return ("created_at", "id") if params.get("queue") in TaskQueue.task_tabs else ("-created_at", "-id")

    def get_extra_context(self, params, page):
        attach_clocks(page.object_list)
        queue = params.get("queue", "")
        # The list only on its tab; elsewhere the count the navigation shows too (core.approvals).
        approvals = ([item for item in inbox.pending_for_request(self.request) if item.kind == REQUEST_APPROVAL_KIND]
                     if queue == TaskQueue.AWAITING_APPROVAL else None)
        counts = {} if unboosted_htmx(self.request) else task_queue_counts(
            Task.objects.visible_to(self.request.user), self.request.user)
        # A capped tab reads "1,000+" (its list says "1,000 or more tasks").
        counts = {value: (f"{QUEUE_COUNT_CAP:,}+" if count >= QUEUE_COUNT_CAP else count)
                  for value, count in counts.items()}
        counts[TaskQueue.AWAITING_APPROVAL] = (len(approvals) if approvals is not None
                                               else inbox.source_count_for_request(self.request, REQUEST_APPROVAL_KIND))
        return {"queues": [(value, label, counts.get(value)) for value, label in TaskQueue.choices],
                "queue": queue, "approvals": approvals[:APPROVALS_SHOWN] if approvals is not None else None,
                "approvals_more": max(len(approvals or ()) - APPROVALS_SHOWN, 0),
                "count_capped": page.paginator.capped}


class TaskDetailView(TaskDeskMixin, TicketDetailView):
    """The task page: what to do, the answers it needs, its request and stage, and its actions."""

    template_name = "fulfilment/desk/task_detail.html"
    comment_route = "fulfilment:task_comment"

    def comment_audience(self, task):
        return _("Tasks are the desk's own records: only agents read their comments. Reply to the "
                 "requester on the request.")

    def get_context(self, task, forms):
        task = (Task.objects.select_related("request__requested_for", "request__requested_by",
                                            "request_item__catalog_item", "template", "assignment_group",
                                            "assigned_to", "change")
                .get(pk=task.pk))
        item = task.request_item
        siblings = list(Task.objects.filter(request_item=item).select_related("assignment_group", "assigned_to")
                        .order_by("stage", "id"))
        stage_count = max([t.stage for t in siblings] or [task.stage])
        waiting_on = [t for t in siblings if t.stage < task.stage and t.state != TaskState.DONE]
        fields = list(getattr(task.template, "answer_fields", None) or [])
        # A step that names the answers it needs shows those; one that names none shows them all
        # (an agent without the answers would have to open the request to do the work).
        rows = answer_rows(item.catalog_item, item.answers, only=fields or None)
        # A pending task is opened by its stage starting, never by hand; cancelling is the request's.
        allowed = () if task.state == TaskState.PENDING else task_workflow.allowed_targets(task.state)
        return {
            "task": task, "item": item, "service_request": task.request,
            "answer_rows": rows, "answers_limited": bool(fields),
            "stage_count": stage_count,
            "stage_tasks": [t for t in siblings if t.stage == task.stage and t.pk != task.pk],
            "waiting_on": waiting_on,
            "instructions": task.template.instructions if task.template else task.description,
            "actions": [(target, task.lifecycle.action_label(task.state, target)) for target in allowed
                        if target != TaskState.CANCELLED],
            "workable": task.state in OPEN_TASK_STATES or task.state == TaskState.FAILED,
            "finished": task.state in FINISHED_TASK_STATES,
            "work_form": forms.get("work") or TaskWorkForm(initial={"version": task.version}),
            "assign_form": forms.get("assign") or TaskAssignForm(initial={"version": task.version}),
            "clocks": clocks_for_ticket(task),
            "timeline": timeline(task, include_internal=True),
            **self.comment_context(task, forms),
        }


class TaskActionView(TicketActionView, TaskDetailView):
    flash_refusals = True

    def form_work(self, task):
        return TaskWorkForm(self.request.POST)

    def do_work(self, task, form):
        data = form.cleaned_data
        services.update_task(self.request.user, task, state=data["state"], notes=data["notes"] or None,
                             version=data.get("version"), channel=WEB)
        fresh = Task.objects.get(pk=task.pk)
        self.success(_("%(number)s is now %(state)s.") % {"number": fresh.number, "state": fresh.get_state_display()})

    def form_assign(self, task):
        return TaskAssignForm(self.request.POST)

    def do_assign(self, task, form):
        person = form.cleaned_data["assigned_to"]
        services.update_task(self.request.user, task, assigned_to=person, version=form.cleaned_data.get("version"),
                             channel=WEB)
        self.success(_("%(number)s is assigned to %(person)s.") % {"number": task.number, "person": person})

    def form_take(self, task):
        return VersionForm(self.request.POST)

    def do_take(self, task, form):
        services.update_task(self.request.user, task, assigned_to=self.request.user,
                             version=form.cleaned_data.get("version"), channel=WEB)
        self.success(_("%(number)s is assigned to you.") % {"number": task.number})


__all__ = ["RequestListView", "RequestDetailView", "RequestActionView", "TaskListView", "TaskDetailView",
           "TaskActionView"]
