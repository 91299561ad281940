"""The alignment check as a pure rule: no database."""

import pytest

from suppliers import alignment
from suppliers.alignment import Terms

OFFICE_WEEK = 5 * 9 * 60  # 09–18, Monday to Friday


def sla(targets, *, services=None, calendar="24x7", weekly=alignment.WEEK_MINUTES, priorities=None):
    return Terms(id=1, name="P1 SLA", services=services, targets=targets, calendar=calendar,
                 weekly_minutes=weekly, priorities=priorities)


def uc(targets, *, services=frozenset({10}), calendar="24x7", weekly=alignment.WEEK_MINUTES):
    return Terms(id=2, name="UC", services=services, targets=targets, calendar=calendar, weekly_minutes=weekly)


def p1(resolution, response=None):
    return {1: {"response": response, "resolution": resolution}}


def test_an_8h_uc_under_a_4h_p1_sla_is_flagged():
    # given / when
    warnings = alignment.check(uc(p1(8 * 60)), [sla(p1(4 * 60), services=frozenset({10}))])
    # then
    assert warnings == [{"sla": 1, "sla_name": "P1 SLA", "priority": 1, "kind": "resolution", "services": [10],
                         "target_minutes": 480, "sla_minutes": 240, "basis": "business",
                         "compared_minutes": [480, 240]}]


def test_a_2h_uc_under_a_4h_p1_sla_is_not_flagged():
    assert alignment.check(uc(p1(2 * 60)), [sla(p1(4 * 60))]) == []


def test_equal_targets_are_aligned():
    assert alignment.check(uc(p1(240, 15)), [sla(p1(240, 15))]) == []


def test_response_and_resolution_are_checked_apart():
    warnings = alignment.check(uc(p1(120, response=30)), [sla(p1(240, response=15))])
    assert [(w["kind"], w["target_minutes"], w["sla_minutes"]) for w in warnings] == [("response", 30, 15)]


def test_an_sla_on_another_service_is_not_supported():
    assert alignment.check(uc(p1(480), services=frozenset({10})), [sla(p1(240), services=frozenset({11}))]) == []


def test_an_sla_for_every_service_is_supported_by_a_uc_on_any():
    warnings = alignment.check(uc(p1(480), services=frozenset({10, 12})), [sla(p1(240), services=None)])
    assert warnings[0]["services"] == [10, 12]


def test_priorities_the_sla_does_not_cover_are_not_compared():
    assert alignment.check(uc(p1(480)), [sla(p1(240), priorities=frozenset({2}))]) == []


def test_different_calendars_compare_wall_clock_time_and_say_so():
    # given: 4 business hours of a 45-hour week are about 15 wall-clock hours; the supplier works 24×7
    office_sla = sla(p1(240), calendar="office", weekly=OFFICE_WEEK)
    # when: 8 h round the clock is tighter than 4 office hours
    assert alignment.check(uc(p1(480)), [office_sla]) == []
    # and 20 h round the clock is looser
    warnings = alignment.check(uc(p1(20 * 60)), [office_sla])
    # then
    assert warnings[0]["basis"] == "wall_clock" and warnings[0]["compared_minutes"] == [1200, 896]


def test_describe_names_both_targets(settings):
    warning = alignment.check(uc(p1(480)), [sla(p1(240))])[0]
    assert alignment.describe(warning) == "P1 resolution: 8 h here, but P1 SLA promises 4 h."


@pytest.mark.parametrize(("minutes", "text"), [(240, "4 h"), (90, "1 h 30 min"), (45, "45 min")])
def test_hours_text(minutes, text):
    assert alignment.hours_text(minutes) == text
