"""reports.rules without a database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.exceptions import DomainError, InvalidTransition
from reports import rules
from reports.choices import ReportState

UTC = dt.timezone.utc


@pytest.mark.parametrize("text", ["", "2026-13", "2026-00", "26-11", "2026/11", "five", None, "2026-11-01", "1999-01"])
def test_a_malformed_month_is_refused_naming_the_field(text):
    with pytest.raises(DomainError) as refusal:
        rules.parse_month(text)
    assert refusal.value.field == "month"


def test_month_bounds_and_last_day():
    assert rules.parse_month("2026-02") == dt.date(2026, 2, 1)
    assert rules.month_end(dt.date(2028, 2, 1)) == dt.date(2028, 2, 29)
    assert rules.next_month(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)


def test_a_month_ends_in_the_organisations_time_zone():
    nov = dt.date(2026, 11, 1)
    # 15:00 UTC on 30 November is midnight in Seoul: November has ended there ...
    rules.check_month_ended(nov, "Asia/Seoul", dt.datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    # ... but not in London, and not a minute before in Seoul
    with pytest.raises(DomainError) as refusal:
        rules.check_month_ended(nov, "Europe/London", dt.datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    assert refusal.value.field == "month" and refusal.value.status_code == 400
    with pytest.raises(DomainError):
        rules.check_month_ended(nov, "Asia/Seoul", dt.datetime(2026, 11, 30, 14, 59, tzinfo=UTC))


def test_previous_month_is_taken_in_the_zone():
    now = dt.datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 1 December 01:00 in Seoul
    assert rules.previous_month(now, "Asia/Seoul") == dt.date(2026, 11, 1)
    assert rules.previous_month(now, "America/New_York") == dt.date(2026, 10, 1)
    assert rules.previous_month(dt.datetime(2027, 1, 1, tzinfo=ZoneInfo("Asia/Seoul")), "Asia/Seoul") \
        == dt.date(2026, 12, 1)


def test_states_move_one_way():
    rules.check_transition(ReportState.DRAFT, ReportState.APPROVED)
    rules.check_transition(ReportState.APPROVED, ReportState.DISTRIBUTED)
    for current, target in ((ReportState.DRAFT, ReportState.DISTRIBUTED),
                            (ReportState.APPROVED, ReportState.APPROVED),
                            (ReportState.DISTRIBUTED, ReportState.APPROVED)):
        with pytest.raises(InvalidTransition):
            rules.check_transition(current, target)


def test_only_a_draft_is_regenerated():
    rules.check_regenerate(ReportState.DRAFT)
    for state in (ReportState.APPROVED, ReportState.DISTRIBUTED):
        with pytest.raises(rules.AlreadyPublished) as refusal:
            rules.check_regenerate(state)
        assert refusal.value.status_code == 409


def test_recipients():
    assert rules.parse_recipients("a@example.com, b@example.com\nA@example.com") == ["a@example.com", "b@example.com"]
    for bad in ("", "   ", "not-an-address", ["a@example.com", 3], None, ["x"] * 2):
        with pytest.raises(DomainError) as refusal:
            rules.parse_recipients(bad)
        assert refusal.value.field == "recipients"
