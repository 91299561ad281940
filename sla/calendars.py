"""Building the clock's calendar value object from the calendar models (cached per version)."""

from __future__ import annotations

import threading

from sla.choices import ExceptionKind
from sla.clock import DAY_SECONDS, Calendar

TWENTY_FOUR_SEVEN = Calendar.twenty_four_seven("UTC", name="24×7")

_cache: dict = {}
_lock = threading.Lock()


def _seconds(value, *, is_end=False):
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    if is_end and seconds == 0:
        return DAY_SECONDS  # an end of 00:00 is midnight at the end of the day
    return seconds


def build_calendar(model, intervals=None, exceptions=None) -> Calendar:
    """The frozen value of a BusinessCalendar row (with its intervals and exceptions)."""
    intervals = list(model.intervals.all()) if intervals is None else intervals
    exceptions = list(model.exceptions.all()) if exceptions is None else exceptions
    weekly = [[] for _ in range(7)]
    for interval in intervals:
        weekly[interval.weekday].append((_seconds(interval.start), _seconds(interval.end, is_end=True)))
    closed = frozenset(e.date for e in exceptions if e.kind == ExceptionKind.CLOSED)
    opened = []
    for e in exceptions:
        if e.kind != ExceptionKind.OPEN:
            continue
        if e.start is not None:
            hours = ((_seconds(e.start), _seconds(e.end, is_end=True)),)
        else:
            # A working day without its own hours: that weekday's hours, or the first working weekday's.
            hours = tuple(weekly[e.date.weekday()]) or next((tuple(d) for d in weekly if d), ())
        if hours:
            opened.append((e.date, hours))
    return Calendar(
        time_zone=model.time_zone,
        weekly=tuple(tuple(sorted(day)) for day in weekly),
        country=(model.holiday_country or "").upper(),
        subdivision=model.holiday_subdivision or "",
        language=model.holiday_language or "",
        closed=closed,
        opened=tuple(sorted(opened)),
        always_open=model.always_open,
        name=model.name,
    )


def held(pk, updated_at):
    """The value of the calendar `pk` at the version `updated_at` if this process built it, else
    None: what a reader holding only those two (a clock's row, sla.api.rows) may use without
    reading the calendar's row."""
    return _cache.get((pk, updated_at))


def is_cached(model) -> bool:
    """Whether `calendar_value(model)` answers without reading intervals and exceptions."""
    return (model.pk, model.updated_at) in _cache


def calendar_value(model) -> Calendar:
    """The value for a calendar row, rebuilt only when the row's `updated_at` moved
    (interval and exception saves touch the calendar)."""
    if model is None:
        return TWENTY_FOUR_SEVEN
    key = (model.pk, model.updated_at)
    value = _cache.get(key)
    if value is None:
        value = build_calendar(model)
        with _lock:
            for old in [k for k in _cache if k[0] == model.pk]:
                _cache.pop(old, None)
            _cache[key] = value
    return value


def calendar_for_definition(definition) -> Calendar:
    return calendar_value(definition.calendar if definition.calendar_id else None)
