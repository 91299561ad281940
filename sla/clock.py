"""Business-time arithmetic: pure functions over a frozen calendar value object.

Instants are aware datetimes (any zone; results are in UTC). Business time is the real
elapsed time that falls inside the calendar's working intervals, so a working interval
that spans a daylight-saving change counts the hours that really passed (01:00–03:00 on
the autumn fall-back day in New York is three hours). Wall times that do not exist (the
spring-forward gap) resolve as zoneinfo does with fold=0.

No database, no settings: the calendar, its holidays and the pauses are passed in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc
DAY_SECONDS = 86400
# The furthest we walk looking for working time: a calendar with none would loop forever.
MAX_DAYS = 366 * 5

Interval = tuple[int, int]  # seconds since local midnight: [start, end), end ≤ 86400


class NoWorkingTime(ValueError):
    """The calendar has no working time in the horizon searched."""


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str, year: int, language: str = "") -> dict:
    """Public holidays of one country and year as {date: name} (lunar and substitute days included)."""
    import holidays

    kwargs = {"years": year}
    if subdivision:
        kwargs["subdiv"] = subdivision
    if language:
        kwargs["language"] = language
    try:
        calendar = holidays.country_holidays(country, **kwargs)
    except NotImplementedError:
        kwargs.pop("language", None)
        calendar = holidays.country_holidays(country, **kwargs)
    return dict(calendar.items())


@dataclass(frozen=True)
class Calendar:
    """A business calendar as a value: built from the models (sla.calendars) or by hand in tests.

    weekly: seven tuples (Monday first) of (start, end) seconds-of-day intervals.
    closed: dates that are not worked (an administrator's extra holidays).
    opened: (date, intervals) pairs: dates worked despite a holiday or weekend, with their
      hours (a half day is an opened date with shorter intervals). They win over everything.
    """

    time_zone: str = "UTC"
    weekly: tuple[tuple[Interval, ...], ...] = ((),) * 7
    country: str = ""
    subdivision: str = ""
    language: str = ""
    closed: frozenset = frozenset()
    opened: tuple[tuple[dt.date, tuple[Interval, ...]], ...] = ()
    always_open: bool = False
    name: str = field(default="", compare=False)

    def __post_init__(self):
        ZoneInfo(self.time_zone)  # raises for an unknown zone
        if len(self.weekly) != 7:
            raise ValueError("weekly needs seven days, Monday first")
        for day in list(self.weekly) + [intervals for _d, intervals in self.opened]:
            _check_intervals(day)
        if not self.always_open and not any(self.weekly) and not self.opened:
            raise ValueError("a calendar needs working hours or the 24×7 flag")

    # -- construction helpers -------------------------------------------------------------
    @classmethod
    def twenty_four_seven(cls, time_zone="UTC", name="24×7"):
        return cls(time_zone=time_zone, always_open=True, name=name)

    @classmethod
    def office(cls, hours=((9, 0, 18, 0),), days=range(5), time_zone="UTC", **kwargs):
        """Convenience: the same hours (start h, start m, end h, end m) on the given weekdays."""
        day = tuple((sh * 3600 + sm * 60, eh * 3600 + em * 60) for sh, sm, eh, em in hours)
        weekly = tuple(day if weekday in set(days) else () for weekday in range(7))
        return cls(time_zone=time_zone, weekly=weekly, **kwargs)

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.time_zone)

    @property
    def fingerprint(self) -> str:
        """Stable digest of everything that decides business time, recorded on clock events."""
        cached = self.__dict__.get("_fingerprint")
        if cached is None:
            text = repr((self.time_zone, self.weekly, self.country, self.subdivision, sorted(self.closed),
                         self.opened, self.always_open))
            cached = hashlib.sha256(text.encode()).hexdigest()
            object.__setattr__(self, "_fingerprint", cached)
        return cached

    def holiday_name(self, day: dt.date) -> str | None:
        if day in self.closed:
            return "closed"
        if self.country:
            return public_holidays(self.country, self.subdivision, day.year, self.language).get(day)
        return None

    def intervals_on(self, day: dt.date) -> tuple[Interval, ...]:
        """Working intervals of a local date, in seconds since local midnight."""
        if self.always_open:
            return ((0, DAY_SECONDS),)
        opened = self._opened_map.get(day)
        if opened is not None:
            return opened
        if self.holiday_name(day) is not None:
            return ()
        return self.weekly[day.weekday()]

    @property
    def _opened_map(self) -> dict:
        cached = self.__dict__.get("_opened_cache")
        if cached is None:
            cached = {}
            for day, intervals in self.opened:
                cached[day] = tuple(sorted(cached.get(day, ()) + tuple(intervals)))
            object.__setattr__(self, "_opened_cache", cached)
        return cached


def _check_intervals(intervals):
    last_end = -1
    for start, end in sorted(intervals):
        if not (0 <= start < end <= DAY_SECONDS):
            raise ValueError(f"bad interval {start}–{end}")
        if start < last_end:
            raise ValueError("working intervals overlap")
        last_end = end


@lru_cache(maxsize=64)
def _zone(name):
    return ZoneInfo(name)


def _as_utc(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: pass an aware instant")
    return instant.astimezone(UTC)


def _local_instant(zone, day: dt.date, seconds: int) -> dt.datetime:
    """The UTC instant of a wall-clock time (seconds since midnight, 86400 = next midnight)."""
    if seconds >= DAY_SECONDS:
        day = day + dt.timedelta(days=1)
        seconds -= DAY_SECONDS
    wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
    return wall.replace(tzinfo=zone).astimezone(UTC)


_SPANS_KEPT = 2048  # days of UTC spans a calendar value keeps (~ five years); then it starts afresh


def _day_spans(calendar: Calendar, zone, day: dt.date):
    """The UTC (from, to) instants of a local date's working intervals, kept on the (frozen)
    calendar value: each clock scheduled converts the same few days (issue 12: `_local_instant`
    was ~36 conversions per incident created)."""
    kept = calendar.__dict__.get("_spans_cache")
    if kept is None or len(kept) >= _SPANS_KEPT:
        kept = {}
        object.__setattr__(calendar, "_spans_cache", kept)
    spans = kept.get(day)
    if spans is None:
        spans = kept[day] = tuple((_local_instant(zone, day, s), _local_instant(zone, day, e))
                                  for s, e in calendar.intervals_on(day))
    return spans


def working_spans(calendar: Calendar, start: dt.datetime, end: dt.datetime | None = None,
                  max_days: int = MAX_DAYS):
    """Yield the UTC (from, to) spans of working time from `start` (to `end` if given), in order."""
    start = _as_utc(start)
    end = _as_utc(end) if end is not None else None
    if calendar.always_open:
        if end is None:
            yield start, dt.datetime.max.replace(tzinfo=UTC)
        elif end > start:
            yield start, end
        return
    zone = calendar.zone
    # A day that starts earlier in UTC than the local date of `start` cannot matter, but the
    # day before can when its intervals end after midnight UTC; start one day early to be safe.
    day = start.astimezone(zone).date() - dt.timedelta(days=1)
    last_day = end.astimezone(zone).date() if end is not None else day + dt.timedelta(days=max_days)
    while day <= last_day:
        for span_from, span_to in _day_spans(calendar, zone, day):
            if span_to <= start:
                continue
            if end is not None and span_from >= end:
                return
            span_from = max(span_from, start)
            if end is not None:
                span_to = min(span_to, end)
            if span_to > span_from:
                yield span_from, span_to
        day += dt.timedelta(days=1)


def _normalise_pauses(pauses):
    """Sorted, merged UTC (from, to) pauses; `to` None means still paused."""
    items = sorted((_as_utc(p), _as_utc(r) if r is not None else None) for p, r in (pauses or ()))
    merged = []
    for p, r in items:
        if merged and (merged[-1][1] is None or p <= merged[-1][1]):
            last_p, last_r = merged[-1]
            merged[-1] = (last_p, None if (last_r is None or r is None) else max(last_r, r))
        else:
            merged.append((p, r))
    return merged


def _subtract_pauses(spans, pauses):
    """Cut the paused stretches out of a stream of spans (both sorted)."""
    pauses = _normalise_pauses(pauses)
    for span_from, span_to in spans:
        pieces = [(span_from, span_to)]
        for p, r in pauses:
            if r is not None and r <= span_from:
                continue
            if p >= span_to:
                break
            next_pieces = []
            for a, b in pieces:
                if r is not None and (r <= a or p >= b):
                    next_pieces.append((a, b))
                    continue
                if r is None and p >= b:
                    next_pieces.append((a, b))
                    continue
                if a < p:
                    next_pieces.append((a, p))
                if r is not None and r < b:
                    next_pieces.append((r, b))
            pieces = next_pieces
        yield from pieces
        if pauses and pauses[-1][1] is None and pauses[-1][0] <= span_to:
            return  # paused for good: no more working time


def business_seconds_between(calendar: Calendar, start: dt.datetime, end: dt.datetime, pauses=()) -> int:
    """Whole business seconds in [start, end), not counting the paused stretches."""
    if _as_utc(end) <= _as_utc(start):
        return 0
    spans = working_spans(calendar, start, end)
    if pauses:
        spans = _subtract_pauses(spans, pauses)
    total = sum(((b - a) for a, b in spans), dt.timedelta())
    return int(total.total_seconds())


def _none_ahead(start):
    return NoWorkingTime(f"no working time within {MAX_DAYS} days of {start.isoformat()}")


def add_business_seconds(calendar: Calendar, start: dt.datetime, seconds: int | float, pauses=()):
    """The instant at which `seconds` of business time have passed since `start` (UTC).

    Ends exactly at a span's end rather than the next span's start (8 h from 09:00 on an
    09:00–17:00 day is 17:00 the same day). Returns None if a pause never ends first.
    """
    remaining = dt.timedelta(seconds=seconds)
    if remaining < dt.timedelta(0):
        raise ValueError("cannot add negative business time")
    start = _as_utc(start)
    if not remaining:
        return start
    spans = working_spans(calendar, start)
    if pauses:
        spans = _subtract_pauses(spans, pauses)
    for span_from, span_to in spans:
        length = span_to - span_from
        if remaining <= length:
            return span_from + remaining
        remaining -= length
    if pauses and _normalise_pauses(pauses)[-1][1] is None:
        return None
    raise _none_ahead(start)


def add_business_seconds_each(calendar: Calendar, start: dt.datetime, amounts) -> list:
    """add_business_seconds(calendar, start, s) for each s of `amounts` (ascending, each > 0),
    in one walk of the spans: the same instants, as the time already passed is the same sum of
    whole spans either way (timedelta arithmetic is exact). Issue 12, ninth round: a clock's
    due instant and its next check (a warning's) were two walks from the same start."""
    wanted = [dt.timedelta(seconds=s) for s in amounts]
    if not wanted or wanted[0] <= dt.timedelta(0) or wanted != sorted(wanted):
        raise ValueError("amounts must be positive and ascending")
    start = _as_utc(start)
    found, passed = [], dt.timedelta(0)
    for span_from, span_to in working_spans(calendar, start):
        length = span_to - span_from
        while wanted[len(found)] - passed <= length:
            found.append(span_from + (wanted[len(found)] - passed))
            if len(found) == len(wanted):
                return found
        passed += length
    raise _none_ahead(start)


def add_business_minutes(calendar: Calendar, start: dt.datetime, minutes: int | float, pauses=()):
    return add_business_seconds(calendar, start, minutes * 60, pauses)


def is_working_time(calendar: Calendar, instant: dt.datetime) -> bool:
    instant = _as_utc(instant)
    for span_from, _span_to in working_spans(calendar, instant, instant + dt.timedelta(seconds=1)):
        return span_from == instant
    return False


def next_working_instant(calendar: Calendar, instant: dt.datetime) -> dt.datetime:
    """The instant itself if it is working time, otherwise when working time next begins."""
    for span_from, _span_to in working_spans(calendar, instant):
        return span_from
    raise NoWorkingTime("no working time ahead")
