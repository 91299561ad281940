"""Continuity rules over plain values: when a test is due or overdue, which changes demand a
re-test, and which test clears one."""

from datetime import date, datetime, timedelta

from continuity.choices import PASSING


def next_test_due(last_test: date | None, interval_days: int, *, created: date) -> date:
    """A plan never tested is due one interval after it was recorded."""
    return (last_test or created) + timedelta(days=interval_days)


def is_overdue(last_test: date | None, interval_days: int, *, created: date, today: date) -> bool:
    return next_test_due(last_test, interval_days, created=created) < today


def is_major_change(*, change_type: str, risk: str) -> bool:
    """An emergency change or a high-risk one is major for continuity."""
    return change_type == "emergency" or risk == "high"


def clears_retest(*, result: str, test_date: date, since: datetime | date | None) -> bool:
    """A passing test on or after the day the re-test was demanded clears it."""
    if since is None:
        return False
    since_day = since.date() if isinstance(since, datetime) else since
    return result in PASSING and test_date >= since_day
