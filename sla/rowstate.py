"""A ticket's SLA standing on its own row, kept by the SLA engine (core.models.Ticket's
`sla_breached` and `sla_due_at`).

- `sla_breached`: one of its clocks, not cancelled, recorded a breach (`breached_at` set).
- `sla_due_at`: the earliest due instant of its clocks still counting towards a breach
  (running, not paused, not stopped, no breach recorded); None when none is.
- `sla_calendar`: the business calendar those clocks count on, when they share one (its id;
  DEFAULT_CALENDAR for the 24×7 default), SEVERAL_CALENDARS when they do not; None when none
  counts.

With these, sla.queues answers "breached" as `sla_breached OR sla_due_at <= now` (a clock past
due whose breach the sweep has not recorded yet counts, as on the clock's badge), and "breaching
soon" as `now < sla_due_at <= the window's end on sla_calendar`, from the columns of the
open-queue index. Only two kinds of ticket still have their clocks probed for it: one with a
clock past due (the earliest instant says nothing of the others; the sweep records such a breach
within a minute) and one whose clocks count on several calendars. Without the columns, each open
ticket cost two probes of its clocks on every queue page: 10-21 ms of tab counts with two clocks
per incident at 100,000 incidents (bench/README.md, "Issue 12, twelfth round").

The engine writes the standing where clocks change: `keep` after a ticket's clocks were
started, paused, resumed, stopped, cancelled or re-targeted (from the clocks it holds, one
UPDATE only when the standing moved), `refresh` for the sweep's batch (set-based, in SQL). A new
ticket's standing is worked out before its row is written (sla.hooks.ticket_creating), so a
create still writes the row once.
"""

from __future__ import annotations

from django.db.models import Case, Exists, F, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from sla.choices import ClockState

DEFAULT_CALENDAR = 0  # sla_calendar of clocks on the 24×7 default (a definition without a calendar)
SEVERAL_CALENDARS = -1

# The clocks whose due instant is a ticket's sla_due_at: still counting towards a breach.
COUNTING = Q(state=ClockState.RUNNING, paused_at__isnull=True, stopped_at__isnull=True, breached_at__isnull=True)
# The clocks that make a ticket sla_breached.
RECORDED_BREACH = Q(breached_at__isnull=False) & ~Q(state=ClockState.CANCELLED)


def _counting(clock) -> bool:
    return (clock.state == ClockState.RUNNING and clock.paused_at is None and clock.stopped_at is None
            and clock.breached_at is None)


def of_clocks(clocks) -> tuple[bool, object, int | None]:
    """(sla_breached, sla_due_at, sla_calendar) of a ticket whose clocks are all in `clocks`
    (COUNTING and RECORDED_BREACH, in Python)."""
    breached = any(c.breached_at is not None and c.state != ClockState.CANCELLED for c in clocks)
    counting = [c for c in clocks if _counting(c)]
    due = min((c.due_at for c in counting if c.due_at is not None), default=None)
    calendars = {c.definition.calendar_id or DEFAULT_CALENDAR for c in counting}
    calendar = None if not calendars else calendars.pop() if len(calendars) == 1 else SEVERAL_CALENDARS
    return breached, due, calendar


def set_on(ticket, clocks) -> bool:
    """Put the standing of `clocks` (all the ticket's) on the ticket in memory; True if it moved."""
    standing = of_clocks(clocks)
    if (ticket.sla_breached, ticket.sla_due_at, ticket.sla_calendar) == standing:
        return False
    ticket.sla_breached, ticket.sla_due_at, ticket.sla_calendar = standing
    return True


def keep(ticket, clocks) -> None:
    """Write the standing of `clocks` (all the ticket's, as the engine just left them) on the
    ticket's row, when it moved. Not an edit of the ticket: no version, no audit row."""
    if set_on(ticket, clocks):
        type(ticket)._base_manager.filter(pk=ticket.pk).update(
            sla_breached=ticket.sla_breached, sla_due_at=ticket.sla_due_at, sla_calendar=ticket.sla_calendar)


def refresh(model, ids) -> int:
    """Recompute the standing of `model`'s tickets `ids` from their clocks, in one UPDATE (the
    sweep's batch); returns the rows written."""
    from django.contrib.contenttypes.models import ContentType

    from sla.models import SLAClock

    tickets = model._base_manager.filter(pk__in=list(ids))
    return _update(tickets, SLAClock, ContentType.objects.get_for_model(model).pk)


def _update(tickets, clock_model, content_type_id):
    clocks = clock_model._base_manager.filter(content_type_id=content_type_id, object_id=OuterRef("pk")).order_by()
    counting = clocks.filter(COUNTING).values("object_id")
    earliest = counting.annotate(due=Min("due_at")).values("due")
    on_calendar = Coalesce("definition__calendar_id", Value(DEFAULT_CALENDAR))
    calendar = counting.annotate(low=Min(on_calendar), high=Max(on_calendar)).annotate(
        calendar=Case(When(low=F("high"), then=F("low")), default=Value(SEVERAL_CALENDARS))).values("calendar")
    return tickets.update(sla_breached=Exists(clocks.filter(RECORDED_BREACH)), sla_due_at=Subquery(earliest),
                          sla_calendar=Subquery(calendar))


def refresh_definition(definition) -> int:
    """After a definition moved to another calendar: the standing of the tickets it is counting on."""
    from sla.models import SLAClock

    model = definition.ticket_type.model_class()
    if model is None:
        return 0
    counting = SLAClock.objects.filter(COUNTING, definition=definition).values("object_id")
    return _update(model._base_manager.filter(pk__in=counting), SLAClock, definition.ticket_type_id)


def backfill(app_label, model_name):
    """A migration's RunPython after adding the columns: the standing of every ticket of one type
    from its clocks, with the migration's historical models. Only the tickets whose standing is
    not the columns' default are written (a clock counting or a breach recorded), not the table."""

    def run(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")._base_manager.filter(
            app_label=app_label, model=model_name.lower()).first()
        if content_type is None:
            return  # a new database: no ticket of this type, no clock
        clock_model = apps.get_model("sla", "SLAClock")
        standing = clock_model._base_manager.filter(COUNTING | RECORDED_BREACH, content_type_id=content_type.pk,
                                                    object_id=OuterRef("pk"))
        tickets = apps.get_model(app_label, model_name)._base_manager.filter(Exists(standing))
        _update(tickets, clock_model, content_type.pk)

    return run
