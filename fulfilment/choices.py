"""Choices of request fulfilment: request, item and task states, with badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    IN_FULFILMENT = "in_fulfilment", _("In fulfilment")
    FULFILLED = "fulfilled", _("Fulfilled")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


# A requested item moves through the same states as its request (the request follows its items).
ItemState = RequestState

OPEN_REQUEST_STATES = frozenset({RequestState.SUBMITTED, RequestState.AWAITING_APPROVAL,
                                 RequestState.IN_FULFILMENT})
TERMINAL_REQUEST_STATES = frozenset({RequestState.CLOSED, RequestState.REJECTED, RequestState.CANCELLED})


class TaskState(models.TextChoices):
    PENDING = "pending", _("Pending")          # its stage has not started yet
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TASK_STATES = frozenset({TaskState.OPEN, TaskState.IN_PROGRESS})
# Work not finished: open, and pending behind an earlier stage ("my groups" shows what is coming).
LIVE_TASK_STATES = OPEN_TASK_STATES | {TaskState.PENDING}
FINISHED_TASK_STATES = frozenset({TaskState.DONE, TaskState.FAILED, TaskState.CANCELLED})

REQUEST_STATE_BADGES = {
    RequestState.SUBMITTED: "info",
    RequestState.AWAITING_APPROVAL: "warning",
    RequestState.IN_FULFILMENT: "primary",
    RequestState.FULFILLED: "success",
    RequestState.CLOSED: "secondary",
    RequestState.REJECTED: "danger",
    RequestState.CANCELLED: "dark",
}
TASK_STATE_BADGES = {
    TaskState.PENDING: "light",
    TaskState.OPEN: "info",
    TaskState.IN_PROGRESS: "primary",
    TaskState.DONE: "success",
    TaskState.FAILED: "danger",
    TaskState.CANCELLED: "dark",
}
REQUEST_BADGE_COLOURS = {"state": REQUEST_STATE_BADGES}
TASK_BADGE_COLOURS = {"state": TASK_STATE_BADGES}
