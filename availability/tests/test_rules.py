"""Availability arithmetic without a database."""

import datetime as dt

import pytest

from availability import rules

UTC = dt.timezone.utc


def at(day, hour=0, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_a_kst_month_starts_at_15_utc_the_day_before():
    start, end = rules.month_bounds(dt.date(2026, 11, 1))
    assert start == dt.datetime(2026, 10, 31, 15, 0, tzinfo=UTC)
    assert end == dt.datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "26-11", "", None, "1999-12", "2026-00", "2026-11x"])
def test_a_month_that_is_not_yyyy_mm_is_refused(text):
    with pytest.raises(rules.BadMonth):
        rules.parse_month(text)


def test_forty_outage_minutes_in_a_30_day_month_is_99_907_percent():
    # given a 24×7 service and one 40-minute outage in November (30 days = 43,200 minutes)
    window = rules.month_bounds(dt.date(2026, 11, 1))
    figures = rules.month_figures(window, None, [(at(10, 1), at(10, 1, 40))], [])
    # then
    assert figures.service_minutes == 43200
    assert figures.outage_minutes == 40
    assert figures.availability_percent == 99.9074


def test_overlapping_outages_are_counted_once():
    window = (at(1), at(2))
    figures = rules.month_figures(window, None, [(at(1, 10), at(1, 11)), (at(1, 10, 30), at(1, 12))], [])
    assert figures.outage_minutes == 120
    assert figures.failures == 2


def test_planned_maintenance_leaves_the_service_hours_by_default_and_counts_when_the_sla_says():
    window = (at(1), at(2))  # 1,440 minutes
    planned = [(at(1, 2), at(1, 3))]
    unplanned = [(at(1, 2, 30), at(1, 4))]  # its first 30 minutes overlap the maintenance
    excluded = rules.month_figures(window, None, unplanned, planned)
    counted = rules.month_figures(window, None, unplanned, planned, planned_counts=True)
    assert (excluded.service_minutes, excluded.outage_minutes, excluded.planned_minutes) == (1410, 90, 30)
    assert (counted.service_minutes, counted.outage_minutes) == (1440, 120)


def test_only_outage_minutes_inside_the_service_hours_count():
    window = (at(1), at(2))
    hours = [(at(1, 0), at(1, 9))]  # 540 service minutes
    figures = rules.month_figures(window, hours, [(at(1, 8), at(1, 12))], [])
    assert (figures.service_minutes, figures.outage_minutes) == (540, 60)


def test_mtbf_and_mtrs():
    assert rules.mtrs(90, 3) == 30
    assert rules.mtbf(43200, 90, 3) == 14370
    assert rules.mtrs(0, 0) is None and rules.mtbf(43200, 0, 0) is None


@pytest.mark.parametrize("percent, status", [(99.9, "met"), (99.6, "warning"), (99.4, "breached"), (None, None)])
def test_target_status(percent, status):
    assert rules.target_status(percent, 99.5, 99.7) == status
