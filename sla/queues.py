"""Which tickets are breaching soon and which have breached: the one definition that the desk
queues, their tab counts, the SLA dashboard cards, the API filter and the tests all use.

Definitions (for any ticket type that declares a Lifecycle, core.tickets):

- **Breached** — the ticket has a clock (not cancelled) that breached: `breached_at` is set
  (whether that clock is running, paused or stopped, e.g. a response answered late), or it is
  running and its due instant has passed while the sweep has not recorded the breach yet
  (the same rule the clock badge follows, sla.selectors.badge_status).
- **Breached and still open** — breached, and the ticket is in an open state (its Lifecycle:
  not resolved, not terminal; on hold counts as open).
- **Breaching soon** — the ticket is open and has a clock that is running (not paused, not
  stopped, not breached) whose due instant falls within the window from now, the window being
  *business* time on that clock's own calendar (`SLA_BREACHING_SOON_BUSINESS_MINUTES`, default
  240 = four business hours). At 17:00 on a Friday with 09:00–18:00 weekday hours, four business
  hours reach to 12:00 on Monday, so a clock due Monday morning is breaching soon; a 24×7
  calendar's window is four wall-clock hours.

  Why not the warning thresholds: a definition warning at 50 % of a five-day target would put a
  ticket in "breaching soon" two and a half days early, so the queue would mean something
  different for each agreement. The window gives one meaning everywhere; a shorter target than
  the window (a P1 due in one hour) is inside it from the start, which is what the desk wants.
  The warnings still reach people through escalations (sla.escalations).

Queries: resolving the window reads the calendars once per process and configuration change
(core.memo; plus two queries when a calendar changed since it was last built), then each count
or list is one query. "Breached" and "breaching soon" read the ticket's own row (its SLA standing, sla.rowstate),
probing the clocks (EXISTS) only of the few tickets the row cannot answer for; per-definition
questions probe the clocks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, prefetch_related_objects
from django.utils import timezone

from core import memo
from sla import calendars, rowstate
from sla.choices import ClockState
from sla.clock import NoWorkingTime, add_business_minutes
from sla.models import BusinessCalendar, SLAClock

DEFAULT_WINDOW_MINUTES = 4 * 60


def window_minutes() -> int:
    """The breaching-soon window in business minutes (setting SLA_BREACHING_SOON_BUSINESS_MINUTES)."""
    return max(0, int(getattr(settings, "SLA_BREACHING_SOON_BUSINESS_MINUTES", DEFAULT_WINDOW_MINUTES)))


@dataclass(frozen=True)
class Window:
    """Where the breaching-soon window ends, per calendar (None: clocks on the 24×7 default)."""

    now: dt.datetime
    minutes: int
    ends: dict  # calendar pk or None → UTC instant (None: no working time ahead, nothing is soon)
    # The latest of the ends, unless given (a statement compiled with stand-in instants names its own).
    reach: dt.datetime | None = None

    @property
    def furthest(self):
        """The latest instant any calendar's window reaches (None: nothing can be soon)."""
        if self.reach is not None:
            return self.reach
        return max((end for end in self.ends.values() if end is not None), default=None)

    def clock_q(self):
        """Q over SLAClock: running, not breached, due after now and within its calendar's window."""
        by_calendar = Q()
        for calendar_id, end in self.ends.items():
            if end is None:
                continue
            on_calendar = Q(definition__calendar_id=calendar_id) if calendar_id is not None \
                else Q(definition__calendar__isnull=True)
            by_calendar |= on_calendar & Q(due_at__lte=end)
        if not by_calendar:
            return Q(pk__in=[])
        return Q(state=ClockState.RUNNING, paused_at__isnull=True, stopped_at__isnull=True, breached_at__isnull=True,
                 due_at__gt=self.now) & by_calendar


def window(now=None, minutes=None) -> Window:
    """The breaching-soon window from `now` on every calendar (no query while the calendars are
    kept in memory; one, plus two for a changed calendar, after a change)."""
    now = now or timezone.now()
    minutes = window_minutes() if minutes is None else minutes
    ends = {None: now + dt.timedelta(minutes=minutes)}
    for pk, calendar in memo.memoised("sla.queues.calendars", _calendar_values):
        try:
            ends[pk] = add_business_minutes(calendar, now, minutes)
        except NoWorkingTime:
            ends[pk] = None
    return Window(now=now, minutes=minutes, ends=ends)


def _calendar_values():
    """[(pk, calendar value)] of every business calendar. Kept per process until a calendar, its
    hours or its exceptions change (core.memo, watched in SLAConfig.ready): the desk's queue page
    read the calendars on every request for the breaching-soon window (issue 12, third round)."""
    rows = list(BusinessCalendar.objects.all())
    stale = [row for row in rows if not calendars.is_cached(row)]
    if stale:
        prefetch_related_objects(stale, "intervals", "exceptions")
    return [(row.pk, calendars.calendar_value(row)) for row in rows]


def breached_clock_q(now=None):
    """Q over SLAClock: breached (recorded, or running past its due instant), not cancelled."""
    now = now or timezone.now()
    return ~Q(state=ClockState.CANCELLED) & (
        Q(breached_at__isnull=False)
        | Q(state=ClockState.RUNNING, paused_at__isnull=True, stopped_at__isnull=True, due_at__lte=now)
    )


def _clocks_of(model, condition):
    return Exists(SLAClock.objects.filter(condition, content_type=ContentType.objects.get_for_model(model),
                                          object_id=OuterRef("pk")))


def open_q(model):
    """Q over a ticket model: its open states (Lifecycle.open: on hold included)."""
    return Q(state__in=sorted(model.lifecycle.open))


def breached_q(model, now=None, definition=None):
    """Q over a ticket model: it has a breached clock (open or not), of `definition` if given.

    Of any definition, read from the ticket's row (sla.rowstate): a breach recorded, or a clock
    still counting whose due instant has passed; the same tickets breached_clock_q finds."""
    now = now or timezone.now()
    if definition is None:
        return Q(sla_breached=True) | Q(sla_due_at__lte=now)
    return Q(_clocks_of(model, breached_clock_q(now) & Q(definition=definition)))


def under_definition_q(model, definition):
    """Q over a ticket model: a clock of the definition counts (or counted) on it, not cancelled."""
    return Q(_clocks_of(model, Q(definition=definition) & ~Q(state=ClockState.CANCELLED)))


def breached_open_q(model, now=None):
    """Q over a ticket model: breached and still open."""
    return open_q(model) & breached_q(model, now)


def clock_breaching_soon_q(model, soon: Window | None = None):
    """Q over a ticket model: it has a clock breaching within the window (open or not: callers
    that already hold the open states, such as the desk's tab counts, leave them out).

    Read from the ticket's row (sla.rowstate): its earliest counting due instant is ahead and
    within the window's end on the calendar its clocks count on. Two kinds of ticket have their
    clocks probed instead, and only if due before the window's furthest end: one with a clock
    past due (the earliest instant hides the others) and one whose clocks count on several
    calendars. The row's conditions come first: PostgreSQL's AND stops there for the rest."""
    soon = soon or window()
    if soon.furthest is None:
        return Q(pk__in=[])
    on_calendar = Q()  # some end is set: furthest is one of them
    for calendar_id, end in soon.ends.items():
        if end is not None:
            on_calendar |= Q(sla_calendar=rowstate.DEFAULT_CALENDAR if calendar_id is None else calendar_id,
                             sla_due_at__lte=end)
    from_row = Q(sla_due_at__gt=soon.now) & on_calendar
    probed = (Q(sla_due_at__lte=soon.furthest)
              & (Q(sla_due_at__lte=soon.now) | Q(sla_calendar=rowstate.SEVERAL_CALENDARS))
              & Q(_clocks_of(model, soon.clock_q())))
    return from_row | probed


def breaching_soon_q(model, soon: Window | None = None):
    """Q over a ticket model: open with a clock breaching within the window."""
    return open_q(model) & clock_breaching_soon_q(model, soon)


def clock_state_q(model, state):
    """Q over a ticket model: it has a clock counting (`running`) or paused (`paused`), not breached."""
    live = Q(stopped_at__isnull=True, breached_at__isnull=True) & ~Q(state=ClockState.CANCELLED)
    if state == ClockState.PAUSED:
        return Q(_clocks_of(model, live & Q(paused_at__isnull=False)))
    return Q(_clocks_of(model, live & Q(state=ClockState.RUNNING, paused_at__isnull=True)))


def breaching_soon(queryset, soon: Window | None = None):
    return queryset.filter(breaching_soon_q(queryset.model, soon))


def breached_open(queryset, now=None):
    return queryset.filter(breached_open_q(queryset.model, now))


# --- the desk lists the dashboard cards link to ---------------------------------------------
_LIST_PAGES: list = []


@dataclass(frozen=True)
class ListPage:
    """A ticket type's desk list and the query strings of its SLA views."""

    model: type
    url_name: str
    breaching_soon: str
    breached_open: str
    running: str
    paused: str


def register_list_page(model, url_name, *, breaching_soon, breached_open, running, paused):
    """Called by a ticket app's ready(): the dashboard shows its cards linking to that list."""
    if not any(page.model is model for page in _LIST_PAGES):
        _LIST_PAGES.append(ListPage(model, url_name, breaching_soon, breached_open, running, paused))


def list_pages():
    return list(_LIST_PAGES)


def dashboard_counts(model, queryset, now=None):
    """The four dashboard numbers of one ticket type, in one query (plus the window's)."""
    now = now or timezone.now()
    soon = window(now)
    return queryset.aggregate(
        breaching_soon=Count("pk", filter=breaching_soon_q(model, soon)),
        breached_open=Count("pk", filter=breached_open_q(model, now)),
        running=Count("pk", filter=clock_state_q(model, ClockState.RUNNING)),
        paused=Count("pk", filter=clock_state_q(model, ClockState.PAUSED)),
    )
