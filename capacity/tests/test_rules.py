"""Threshold levels with hold-down, and the forecast: plain values, no database."""

from datetime import date, timedelta

from capacity import rules

TODAY = date(2026, 12, 3)


def days(n):
    return [TODAY - timedelta(days=i) for i in range(n, 0, -1)]


def test_a_steady_growth_is_full_on_the_day_the_line_meets_capacity():
    # given 30 daily maxima growing by 1 a day, 79 yesterday
    values = [50.0 + i for i in range(30)]
    # when forecast against a capacity of 100
    result = rules.forecast(days(30), values, maximum=100, today=TODAY)
    # then the line is at 80 today and reaches 100 in 20 days
    assert result.enough and result.days_to_full == 20
    assert result.full_on == TODAY + timedelta(days=20)
    assert round(result.slope_per_day, 6) == 1


def test_six_points_are_not_enough():
    result = rules.forecast(days(6), [1, 2, 3, 4, 5, 6], maximum=100, today=TODAY)
    assert not result.enough and result.points == 6 and result.days_to_full is None


def test_falling_or_capacity_less_metrics_never_fill():
    assert rules.forecast(days(10), [90 - i for i in range(10)], maximum=100, today=TODAY).days_to_full is None
    assert rules.forecast(days(10), list(range(10)), maximum=None, today=TODAY).days_to_full is None


def test_already_past_capacity_is_zero_days():
    assert rules.forecast(days(10), [100 + i for i in range(10)], maximum=100, today=TODAY).days_to_full == 0


def test_a_value_hovering_at_the_threshold_raises_one_level_change():
    level, changes = "ok", 0
    for value in (79.9, 80.1, 79.8, 80.2, 79.5, 80.0, 77.0):
        new = rules.next_level(level, value, warning=80, critical=90)
        changes += new != level
        level = new
    # up once at 80.1, and 77 is still inside the 5 % band (76..80): no flapping
    assert (changes, level) == (1, "warning")
    assert rules.next_level("warning", 75.9, warning=80, critical=90) == "ok"


def test_critical_steps_down_to_warning_then_ok():
    assert rules.next_level("ok", 95, warning=80, critical=90) == "critical"
    assert rules.next_level("critical", 86, warning=80, critical=90) == "critical"  # band 85.5..90
    assert rules.next_level("critical", 84, warning=80, critical=90) == "warning"
    assert rules.next_level("critical", 10, warning=80, critical=90) == "ok"
