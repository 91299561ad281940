"""Capacity rules: threshold levels with a hold-down band, and the linear-trend forecast.

Plain Python over plain values (no ORM, no request); the fit is numpy's least squares.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy
from django.utils.translation import gettext as _

from capacity.choices import Level

# A level is left only once the value is this fraction below the threshold that raised it, so a
# value hovering at the threshold (79.9, 80.1, 79.8 ...) raises one event, not one per sample.
HYSTERESIS = 0.05
MIN_POINTS = 7
_ORDER = {Level.OK: 0, Level.WARNING: 1, Level.CRITICAL: 2}


def raw_level(value: float, *, warning: float | None, critical: float | None) -> str:
    if critical is not None and value >= critical:
        return Level.CRITICAL
    if warning is not None and value >= warning:
        return Level.WARNING
    return Level.OK


def next_level(current: str, value: float, *, warning: float | None, critical: float | None) -> str:
    """The metric's level after `value`: up at once, down only below the hold-down band."""
    reached = raw_level(value, warning=warning, critical=critical)
    if _ORDER[reached] >= _ORDER[Level(current)]:
        return reached
    # Lower than now: step down only as far as the band allows.
    if current == Level.CRITICAL and critical is not None and value >= critical - _band(critical):
        return Level.CRITICAL
    if reached == Level.OK and warning is not None and value >= warning - _band(warning):
        return Level.WARNING if _ORDER[Level(current)] >= 1 else Level.OK
    return reached


def _band(threshold: float) -> float:
    return abs(threshold) * HYSTERESIS


def check_thresholds(warning: float | None, critical: float | None) -> dict:
    """Field errors of a threshold pair (empty when acceptable)."""
    if warning is not None and critical is not None and warning > critical:
        return {"warning_threshold": _("The warning threshold must not be above the critical threshold.")}
    return {}


@dataclass(frozen=True)
class Forecast:
    """`enough` False: fewer than MIN_POINTS daily points, nothing else is meaningful.
    `days_to_full` None with enough data: no capacity set, or the trend is flat or falling."""

    enough: bool
    points: int
    slope_per_day: float | None = None
    days_to_full: int | None = None
    full_on: date | None = None
    trend: list | None = None  # fitted values on the input days, for the chart


def forecast(days: list[date], values: list[float], *, maximum: float | None, today: date,
             min_points: int = MIN_POINTS) -> Forecast:
    """Fit a straight line through daily values (usually daily maxima) and say in how many days
    from `today` it reaches `maximum`."""
    if len(days) != len(values):
        raise ValueError("days and values differ in length")
    if len(days) < min_points:
        return Forecast(enough=False, points=len(days))
    x = numpy.array([(day - today).days for day in days], dtype=float)
    y = numpy.array(values, dtype=float)
    if numpy.ptp(x) == 0:
        return Forecast(enough=False, points=len(days))
    slope, intercept = numpy.polynomial.polynomial.polyfit(x, y, 1)[::-1]
    trend = [round(float(v), 3) for v in intercept + slope * x]
    result = {"enough": True, "points": len(days), "slope_per_day": float(slope), "trend": trend}
    if maximum is None or slope <= 0:
        return Forecast(**result)
    # Days from today at which the fitted line meets the capacity; already past it → 0.
    at = (maximum - intercept) / slope
    days_to_full = max(0, int(numpy.ceil(round(float(at), 6))))
    return Forecast(**result, days_to_full=days_to_full, full_on=today + timedelta(days=days_to_full))
