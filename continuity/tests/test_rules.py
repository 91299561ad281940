from datetime import date, datetime

from continuity import rules


def test_overdue_when_the_last_test_is_older_than_the_interval():
    created = date(2025, 1, 1)
    assert rules.is_overdue(date(2026, 1, 1), 180, created=created, today=date(2026, 7, 1))
    assert not rules.is_overdue(date(2026, 1, 1), 180, created=created, today=date(2026, 6, 30))
    # never tested: due one interval after the plan was recorded
    assert rules.is_overdue(None, 30, created=created, today=date(2025, 2, 1))


def test_only_emergency_or_high_risk_changes_are_major():
    assert rules.is_major_change(change_type="emergency", risk="low")
    assert rules.is_major_change(change_type="normal", risk="high")
    assert not rules.is_major_change(change_type="normal", risk="moderate")


def test_a_failed_test_or_an_older_one_does_not_clear_a_retest():
    since = datetime(2026, 12, 1, 10, 0)
    assert rules.clears_retest(result="passed_with_findings", test_date=date(2026, 12, 1), since=since)
    assert not rules.clears_retest(result="failed", test_date=date(2026, 12, 2), since=since)
    assert not rules.clears_retest(result="passed", test_date=date(2026, 11, 30), since=since)
