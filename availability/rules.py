"""Availability arithmetic: pure functions, no database (the month figures of every service are
computed in one SQL statement by availability.selectors; these define what the numbers mean and
compute them for a single case, e.g. a form preview or the unit tests).

- availability % = (service minutes − outage minutes) / service minutes × 100, where the service
  minutes are the month's minutes inside the service hours (24×7 without a calendar), less the
  planned maintenance when the agreement excludes it, and the outage minutes are the union of the
  unplanned outages inside those hours (overlapping records are never counted twice).
- MTRS (mean time to restore service) = outage minutes / number of unplanned outages.
- MTBF (mean time between failures, ITIL's "mean time between service incidents" less the
  downtime) = available minutes / number of unplanned outages.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
DEFAULT_TIME_ZONE = "Asia/Seoul"


class BadMonth(ValueError):
    """A month that is not YYYY-MM (a real month between 2000 and 2100)."""


def parse_month(text: str | None) -> dt.date:
    """'2026-11' → date(2026, 11, 1); refuses anything else."""
    match = MONTH_RE.match((text or "").strip())
    if not match:
        raise BadMonth("Give the month as YYYY-MM.")
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise BadMonth("Give the month as YYYY-MM.")
    return dt.date(year, month, 1)


def next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def month_bounds(first: dt.date, time_zone: str = DEFAULT_TIME_ZONE) -> tuple[dt.datetime, dt.datetime]:
    """The month's [start, end) as aware UTC instants: a KST month starts 15:00 UTC the day before."""
    zone = ZoneInfo(time_zone)
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(next_month(first), dt.time(), tzinfo=zone)
    return start.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc)


def union(spans):
    """Merge (start, end) spans: overlapping or touching ones become one."""
    merged: list[list] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def intersect(spans, window):
    lo, hi = window
    return [(max(s, lo), min(e, hi)) for s, e in spans if min(e, hi) > max(s, lo)]


def minutes(spans) -> float:
    return sum((e - s).total_seconds() for s, e in spans) / 60


def availability_percent(service_minutes: float, outage_minutes: float) -> float | None:
    """None when there were no service minutes (nothing to measure)."""
    if service_minutes <= 0:
        return None
    return round(max(0.0, service_minutes - outage_minutes) / service_minutes * 100, 4)


def mtrs(outage_minutes: float, failures: int) -> float | None:
    return round(outage_minutes / failures, 1) if failures else None


def mtbf(service_minutes: float, outage_minutes: float, failures: int) -> float | None:
    return round(max(0.0, service_minutes - outage_minutes) / failures, 1) if failures else None


def target_status(percent, target, warning) -> str | None:
    """met, warning (at or above the target but under the warning line) or breached."""
    if percent is None or target is None:
        return None
    if percent < float(target):
        return "breached"
    if warning is not None and percent < float(warning):
        return "warning"
    return "met"


@dataclass(frozen=True)
class MonthFigures:
    service_minutes: float
    outage_minutes: float
    planned_minutes: float
    failures: int

    @property
    def availability_percent(self):
        return availability_percent(self.service_minutes, self.outage_minutes)


def month_figures(window, hours, unplanned, planned, *, planned_counts=False) -> MonthFigures:
    """One service's month from plain spans (the reference for the SQL in availability.selectors).

    window: the month's (start, end); hours: the service-hour spans (None for 24×7);
    unplanned / planned: outage spans (end already filled with "now" for open ones)."""
    service = [window] if hours is None else intersect(union(hours), window)

    def inside(spans):
        return union([piece for span in union(spans) for piece in _clip(span, service)])

    down = inside(unplanned)
    maintenance = _subtract(inside(planned), down)
    failures = len([s for s in unplanned if min(s[1], window[1]) > max(s[0], window[0])])
    if planned_counts:
        return MonthFigures(minutes(service), minutes(down) + minutes(maintenance), 0.0, failures)
    return MonthFigures(minutes(service) - minutes(maintenance), minutes(down), minutes(maintenance), failures)


def _clip(span, service):
    return intersect(service, span)


def _subtract(spans, holes):
    result = []
    for s, e in spans:
        pieces = [(s, e)]
        for hs, he in holes:
            pieces = [p for a, b in pieces for p in ((a, min(b, hs)), (max(a, he), b)) if p[1] > p[0]]
        result.extend(pieces)
    return result
