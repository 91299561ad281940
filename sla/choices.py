"""Choices of service level management, with their groupings and badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    """SLA with a customer, OLA with an internal group, UC with an external supplier."""

    SLA = "sla", _("Service level agreement (SLA)")
    OLA = "ola", _("Operational level agreement (OLA)")
    UC = "uc", _("Underpinning contract (UC)")


class ClockKind(models.TextChoices):
    RESPONSE = "response", _("Response")
    RESOLUTION = "resolution", _("Resolution")


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    CANCELLED = "cancelled", _("Cancelled")


# A breached clock keeps counting until the ticket stops it, so it is "live" like these.
LIVE_STATES = frozenset({ClockState.RUNNING, ClockState.PAUSED})
FINAL_STATES = frozenset({ClockState.MET, ClockState.BREACHED, ClockState.CANCELLED})


class ReopenPolicy(models.TextChoices):
    RESUME = "resume", _("Resume the stopped clock")
    RESTART = "restart", _("Restart from zero")


class PriorityChangePolicy(models.TextChoices):
    RETARGET = "retarget", _("Re-target from the original start")
    RESTART = "restart", _("Restart from the change")


class StopAt(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class EventKind(models.TextChoices):
    START = "start", _("Started")
    PAUSE = "pause", _("Paused")
    RESUME = "resume", _("Resumed")
    RETARGET = "retarget", _("Re-targeted")
    WARNING = "warning", _("Warning")
    BREACH = "breach", _("Breached")
    STOP = "stop", _("Stopped")
    CANCEL = "cancel", _("Cancelled")
    REOPEN = "reopen", _("Reopened")


class ExceptionKind(models.TextChoices):
    """A calendar's own dates: an extra holiday, or a working day (full or half) despite one."""

    CLOSED = "closed", _("Closed (extra holiday)")
    OPEN = "open", _("Open (working day or custom hours)")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class EscalationAction(models.TextChoices):
    NOTIFY_ASSIGNEE = "notify_assignee", _("Notify the assignee")
    NOTIFY_GROUP_MANAGER = "notify_group_manager", _("Notify the group manager")
    NOTIFY_CALLER = "notify_caller", _("Notify the caller")
    RAISE_PRIORITY = "raise_priority", _("Raise the priority")
    REASSIGN = "reassign", _("Reassign to a group")
    WORK_NOTE = "work_note", _("Add a work note")
    WEBHOOK = "webhook", _("Call a webhook")


# Trigger percentage of an escalation rule that means "at breach".
BREACH_PERCENT = 100

BADGE_CLASS = {
    "ok": "badge-sla-ok",
    "warning": "badge-sla-warning",
    "breached": "badge-sla-breached",
    "paused": "badge-sla-paused",
    "met": "badge-sla-ok",
    "cancelled": "badge-sla-paused",
}
