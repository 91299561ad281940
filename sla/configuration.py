"""Rules of the SLA configuration pages, without HTTP: weekly hours entered once for several
weekdays, and the holidays a calendar applies (public ones by name, and its own dates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sla.choices import ExceptionKind
from sla.clock import public_holidays

# Targets count business minutes of the calendar, so a "day" would be ambiguous: minutes or hours.
UNIT_MINUTES = {"minutes": 1, "hours": 60}


def expand_weekly_hours(rows) -> list[dict]:
    """[{"weekdays": [0, 1, 2, 3, 4], "start": 09:00, "end": 18:00}, ...] → one interval per
    weekday ({"weekday", "start", "end"}), as the calendar stores them, Monday first."""
    intervals = []
    for row in rows:
        for weekday in sorted({int(w) for w in row["weekdays"]}):
            intervals.append({"weekday": weekday, "start": row["start"], "end": row["end"]})
    return sorted(intervals, key=lambda i: (i["weekday"], i["start"]))


def group_weekly_hours(intervals) -> list[dict]:
    """The inverse, for the form: the same hours on several weekdays become one row
    (Mon–Fri 09:00–12:00 and 13:00–18:00 are two rows, not ten)."""
    days_of: dict[tuple, list[int]] = {}
    for interval in intervals:
        days_of.setdefault((interval.start, interval.end), []).append(interval.weekday)
    rows = [{"weekdays": sorted(set(days)), "start": start, "end": end} for (start, end), days in days_of.items()]
    return sorted(rows, key=lambda r: (r["weekdays"][0], r["start"]))


def minutes_of(amount, unit):
    """A target typed as an amount and a unit, in minutes (None for no target)."""
    if amount in (None, ""):
        return None
    return int(amount * UNIT_MINUTES[unit])


def amount_and_unit(minutes):
    """The largest whole unit for a target in minutes (240 → 4 hours), for the form."""
    if minutes is None:
        return None, "hours"
    if minutes % UNIT_MINUTES["hours"] == 0:
        return minutes // UNIT_MINUTES["hours"], "hours"
    return minutes, "minutes"


@dataclass(frozen=True)
class PreviewDay:
    date: dt.date
    name: str
    source: str  # "public" (the country's list), "closed" (the calendar's own), "worked" (opened anyway)

    @property
    def is_closed(self):
        return self.source != "worked"


def holiday_preview(calendar, years, exceptions=None) -> dict[int, list[PreviewDay]]:
    """The days off a calendar applies in each of `years`: the public holidays of its country
    in its language (lunar and substitute days included), its own closed dates with their
    reasons, and the public holidays it works anyway (an open date wins)."""
    exceptions = list(calendar.exceptions.all()) if exceptions is None else exceptions
    closed = {e.date: e.reason for e in exceptions if e.kind == ExceptionKind.CLOSED}
    opened = {e.date: e.reason for e in exceptions if e.kind == ExceptionKind.OPEN}
    preview = {}
    for year in years:
        days = {}
        if calendar.holiday_country and not calendar.always_open:
            names = public_holidays(calendar.holiday_country.upper(), calendar.holiday_subdivision or "", year,
                                    calendar.holiday_language or "")
            for day, name in names.items():
                days[day] = PreviewDay(day, name, "worked" if day in opened else "public")
        if not calendar.always_open:
            for day, reason in closed.items():
                if day.year == year and day not in opened:
                    days[day] = PreviewDay(day, reason, "closed")
        preview[year] = [days[day] for day in sorted(days)]
    return preview


def days_text(weekdays) -> str:
    """Ticked weekdays for people: runs of three or more read as a range ("Monday–Friday")."""
    from sla.choices import Weekday

    days = sorted(set(weekdays))
    runs, run = [], []
    for day in days:
        if run and day != run[-1] + 1:
            runs.append(run)
            run = []
        run.append(day)
    if run:
        runs.append(run)
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{Weekday(run[0]).label}–{Weekday(run[-1]).label}")
        else:
            parts.extend(str(Weekday(day).label) for day in run)
    return ", ".join(parts)


def target_text(minutes) -> str:
    """A target in minutes for people: "4 h", "1 h 30 min", "15 min"; "—" for none."""
    from django.utils.translation import gettext as _

    if minutes is None:
        return "—"
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)s h") % {"h": hours}
    return _("%(m)s min") % {"m": rest}
