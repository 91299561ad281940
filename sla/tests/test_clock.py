"""Business-time arithmetic, without the database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sla.clock import (
    Calendar,
    NoWorkingTime,
    add_business_minutes,
    add_business_seconds,
    add_business_seconds_each,
    business_seconds_between,
    is_working_time,
    next_working_instant,
)

SEOUL = ZoneInfo("Asia/Seoul")
NY = ZoneInfo("America/New_York")
UTC = dt.timezone.utc
H = 3600


def kst(*args):
    return dt.datetime(*args, tzinfo=SEOUL)


def ny(*args, fold=0):
    return dt.datetime(*args, tzinfo=NY, fold=fold)


KR_OFFICE = Calendar.office(hours=((9, 0, 18, 0),), time_zone="Asia/Seoul", country="KR", language="ko")
KR_LUNCH = Calendar.office(hours=((9, 0, 12, 0), (13, 0, 18, 0)), time_zone="Asia/Seoul", country="KR",
                           language="ko")
PLAIN = Calendar.office(hours=((9, 0, 17, 0),), time_zone="UTC")
ALWAYS = Calendar.twenty_four_seven("Asia/Seoul")


# --- adding business time -------------------------------------------------------------------
@pytest.mark.parametrize("calendar, start, minutes, expected", [
    # within the day
    (KR_OFFICE, kst(2026, 11, 23, 10, 0), 60, kst(2026, 11, 23, 11, 0)),
    # ends exactly at closing time: the same day, not the next morning
    (KR_OFFICE, kst(2026, 11, 23, 9, 0), 9 * 60, kst(2026, 11, 23, 18, 0)),
    # overnight
    (KR_OFFICE, kst(2026, 11, 23, 17, 0), 120, kst(2026, 11, 24, 10, 0)),
    # Friday afternoon over the weekend to Monday
    (KR_OFFICE, kst(2026, 11, 27, 17, 30), 60, kst(2026, 11, 30, 9, 30)),
    # started on Saturday: counts from Monday 09:00
    (KR_OFFICE, kst(2026, 11, 28, 11, 0), 30, kst(2026, 11, 30, 9, 30)),
    # started before opening / after closing
    (KR_OFFICE, kst(2026, 11, 23, 6, 0), 30, kst(2026, 11, 23, 9, 30)),
    (KR_OFFICE, kst(2026, 11, 23, 21, 0), 30, kst(2026, 11, 24, 9, 30)),
    # Chuseok 2026: Thu 09-24 .. Sat 09-26 are holidays; Wed 17:00 + 2 h → Mon 09-28 10:00
    (KR_OFFICE, kst(2026, 9, 23, 17, 0), 120, kst(2026, 9, 28, 10, 0)),
    # 개천절 Sat 10-03 has its substitute Mon 10-05: Fri 10-02 17:00 + 2 h → Tue 10-06 10:00
    (KR_OFFICE, kst(2026, 10, 2, 17, 0), 120, kst(2026, 10, 6, 10, 0)),
    # 삼일절 Sun 03-01 → substitute Mon 03-02
    (KR_OFFICE, kst(2026, 2, 27, 17, 0), 120, kst(2026, 3, 3, 10, 0)),
    # 설날 2026-02-16..18 (Mon..Wed)
    (KR_OFFICE, kst(2026, 2, 13, 17, 0), 120, kst(2026, 2, 19, 10, 0)),
    # 노동절 (May 1) is a public holiday since 2026
    (KR_OFFICE, kst(2026, 4, 30, 17, 0), 120, kst(2026, 5, 4, 10, 0)),
    # lunch break excluded
    (KR_LUNCH, kst(2026, 11, 23, 11, 30), 60, kst(2026, 11, 23, 13, 30)),
    (KR_LUNCH, kst(2026, 11, 23, 12, 15), 30, kst(2026, 11, 23, 13, 30)),
    (KR_LUNCH, kst(2026, 11, 23, 9, 0), 8 * 60, kst(2026, 11, 23, 18, 0)),
    # month and year ends
    (KR_OFFICE, kst(2026, 11, 30, 17, 0), 120, kst(2026, 12, 1, 10, 0)),
    (KR_OFFICE, kst(2026, 12, 31, 17, 0), 120, kst(2027, 1, 4, 10, 0)),  # 01-01 holiday, then weekend
    # 24×7: plain arithmetic across midnight and month end
    (ALWAYS, kst(2026, 1, 31, 23, 30), 60, kst(2026, 2, 1, 0, 30)),
    (ALWAYS, kst(2026, 9, 24, 10, 0), 3 * 24 * 60, kst(2026, 9, 27, 10, 0)),
    # zero is the start itself
    (KR_OFFICE, kst(2026, 11, 28, 11, 0), 0, kst(2026, 11, 28, 11, 0)),
])
def test_add_business_minutes(calendar, start, minutes, expected):
    # when
    due = add_business_minutes(calendar, start, minutes)
    # then
    assert due == expected
    assert due.tzinfo is not None
    assert business_seconds_between(calendar, start, due) == minutes * 60


def test_result_is_utc_and_accepts_any_zone():
    # given an instant expressed in UTC for 10:00 KST
    start = dt.datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    # when
    due = add_business_minutes(KR_OFFICE, start, 30)
    # then
    assert due == kst(2026, 11, 23, 10, 30)
    assert due.utcoffset() == dt.timedelta(0)


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        add_business_minutes(KR_OFFICE, dt.datetime(2026, 11, 23, 10), 30)


def test_negative_time_is_refused():
    with pytest.raises(ValueError):
        add_business_seconds(KR_OFFICE, kst(2026, 11, 23, 10), -1)


# --- measuring business time -----------------------------------------------------------------
@pytest.mark.parametrize("calendar, start, end, expected", [
    (KR_OFFICE, kst(2026, 11, 23, 8, 0), kst(2026, 11, 23, 19, 0), 9 * H),
    (KR_LUNCH, kst(2026, 11, 23, 8, 0), kst(2026, 11, 23, 19, 0), 8 * H),
    (KR_OFFICE, kst(2026, 11, 27, 17, 0), kst(2026, 11, 30, 10, 0), 2 * H),  # weekend
    (KR_OFFICE, kst(2026, 9, 23, 0, 0), kst(2026, 9, 29, 0, 0), 2 * 9 * H),  # Wed + Mon only (Chuseok)
    (KR_OFFICE, kst(2026, 11, 23, 12, 0), kst(2026, 11, 23, 11, 0), 0),  # reversed
    (KR_OFFICE, kst(2026, 11, 28, 0, 0), kst(2026, 11, 29, 23, 59), 0),  # weekend only
    (ALWAYS, kst(2026, 11, 23, 12, 0), kst(2026, 11, 25, 12, 0), 48 * H),
    # whole month: November 2026 has 21 working days in KR (no holidays)
    (KR_OFFICE, kst(2026, 11, 1), kst(2026, 12, 1), 21 * 9 * H),
])
def test_business_seconds_between(calendar, start, end, expected):
    assert business_seconds_between(calendar, start, end) == expected


# --- daylight saving --------------------------------------------------------------------------
NY_ALL_DAY = Calendar(time_zone="America/New_York", weekly=(((0, 86400),),) * 7)
NY_OFFICE = Calendar.office(hours=((9, 0, 17, 0),), days=range(7), time_zone="America/New_York")
NY_NIGHT = Calendar(time_zone="America/New_York", weekly=(((3600, 3 * 3600),),) * 7)  # 01:00–03:00


def test_spring_forward_day_has_23_hours():
    # 2026-03-08 02:00 EST → 03:00 EDT
    assert business_seconds_between(NY_ALL_DAY, ny(2026, 3, 8), ny(2026, 3, 9)) == 23 * H


def test_fall_back_day_has_25_hours():
    # 2026-11-01 02:00 EDT → 01:00 EST
    assert business_seconds_between(NY_ALL_DAY, ny(2026, 11, 1), ny(2026, 11, 2)) == 25 * H


def test_office_hours_keep_wall_clock_across_dst():
    # given Saturday 16:00 EST before the spring change, 2 business hours
    # when
    due = add_business_minutes(NY_OFFICE, ny(2026, 3, 7, 16, 0), 120)
    # then Sunday 10:00 local, now EDT (UTC-4)
    assert due == ny(2026, 3, 8, 10, 0)
    assert due == dt.datetime(2026, 3, 8, 14, 0, tzinfo=UTC)


def test_interval_across_the_fall_back_counts_real_time():
    # 01:00–03:00 wall time on the fall-back day is 3 real hours
    assert business_seconds_between(NY_NIGHT, ny(2026, 11, 1), ny(2026, 11, 2)) == 3 * H
    # and on the spring-forward day only 1 real hour (02:00–03:00 does not exist)
    assert business_seconds_between(NY_NIGHT, ny(2026, 3, 8), ny(2026, 3, 9)) == 1 * H


def test_adding_through_the_ambiguous_hour():
    # 00:30 EDT + 2 h of all-day time = 01:30 EST (the second 01:30)
    due = add_business_minutes(NY_ALL_DAY, ny(2026, 11, 1, 0, 30), 120)
    assert due == ny(2026, 11, 1, 1, 30, fold=1).astimezone(UTC)  # PEP 495: compare in UTC
    assert due == dt.datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_seoul_has_no_dst():
    assert business_seconds_between(Calendar(time_zone="Asia/Seoul", weekly=(((0, 86400),),) * 7),
                                    kst(2026, 1, 1), kst(2027, 1, 1)) == 365 * 24 * H


# --- pauses -----------------------------------------------------------------------------------
def test_pause_across_a_night_only_removes_business_time():
    # given a clock from Mon 10:00, paused Mon 17:00 → Tue 11:00
    pauses = [(kst(2026, 11, 23, 17, 0), kst(2026, 11, 24, 11, 0))]
    # when
    elapsed = business_seconds_between(KR_OFFICE, kst(2026, 11, 23, 10), kst(2026, 11, 24, 12), pauses)
    due = add_business_minutes(KR_OFFICE, kst(2026, 11, 23, 10), 9 * 60, pauses)
    # then 7 h Monday + 1 h Tuesday; the 9th hour lands Tue 12:00 + 1 h
    assert elapsed == 8 * H
    assert due == kst(2026, 11, 24, 13, 0)


def test_pause_over_holidays_counts_nothing_twice():
    # paused from Wed before Chuseok to the Monday after
    pauses = [(kst(2026, 9, 23, 15, 0), kst(2026, 9, 28, 9, 30))]
    elapsed = business_seconds_between(KR_OFFICE, kst(2026, 9, 23, 9), kst(2026, 9, 28, 18), pauses)
    assert elapsed == 6 * H + int(8.5 * H)


def test_overlapping_and_unsorted_pauses_merge():
    pauses = [(kst(2026, 11, 23, 11), kst(2026, 11, 23, 13)), (kst(2026, 11, 23, 10), kst(2026, 11, 23, 12))]
    assert business_seconds_between(KR_OFFICE, kst(2026, 11, 23, 9), kst(2026, 11, 23, 18), pauses) == 6 * H


def test_open_pause_stops_the_clock():
    pauses = [(kst(2026, 11, 23, 11), None)]
    assert business_seconds_between(KR_OFFICE, kst(2026, 11, 23, 9), kst(2026, 11, 30, 18), pauses) == 2 * H
    assert add_business_minutes(KR_OFFICE, kst(2026, 11, 23, 9), 180, pauses) is None
    assert add_business_minutes(KR_OFFICE, kst(2026, 11, 23, 9), 60, pauses) == kst(2026, 11, 23, 10)


def test_pause_on_24x7():
    pauses = [(kst(2026, 11, 23, 10), kst(2026, 11, 23, 14))]
    assert add_business_minutes(ALWAYS, kst(2026, 11, 23, 9), 120, pauses) == kst(2026, 11, 23, 15)


# --- custom dates -----------------------------------------------------------------------------
def test_extra_closed_date_and_opened_holiday():
    # given a decreed temporary holiday on Tue 11-24 and work on Chuseok eve 09-24 (half day)
    calendar = Calendar.office(time_zone="Asia/Seoul", country="KR",
                               closed=frozenset({dt.date(2026, 11, 24)}),
                               opened=((dt.date(2026, 9, 24), ((9 * H, 13 * H),)),))
    # then
    assert business_seconds_between(calendar, kst(2026, 11, 23), kst(2026, 11, 26)) == 2 * 9 * H
    assert business_seconds_between(calendar, kst(2026, 9, 24), kst(2026, 9, 25)) == 4 * H
    assert add_business_minutes(calendar, kst(2026, 9, 23, 17), 120) == kst(2026, 9, 24, 10)


def test_opened_saturday():
    calendar = Calendar.office(time_zone="Asia/Seoul", opened=((dt.date(2026, 11, 28), ((10 * H, 12 * H),)),))
    assert add_business_minutes(calendar, kst(2026, 11, 27, 17, 30), 60) == kst(2026, 11, 28, 10, 30)


# --- helpers and validation -------------------------------------------------------------------
def test_working_time_queries():
    assert is_working_time(KR_LUNCH, kst(2026, 11, 23, 9, 0))
    assert not is_working_time(KR_LUNCH, kst(2026, 11, 23, 12, 30))
    assert not is_working_time(KR_LUNCH, kst(2026, 9, 25, 10, 0))
    assert next_working_instant(KR_LUNCH, kst(2026, 11, 23, 12, 30)) == kst(2026, 11, 23, 13, 0)
    assert next_working_instant(KR_OFFICE, kst(2026, 9, 24, 8)) == kst(2026, 9, 28, 9)


@pytest.mark.parametrize("kwargs", [
    {"time_zone": "Mars/Olympus"},
    {"weekly": ((),) * 7},
    {"weekly": (((9 * H, 12 * H), (11 * H, 13 * H)),) + ((),) * 6},  # overlap
    {"weekly": (((10 * H, 9 * H),),) + ((),) * 6},  # end before start
    {"weekly": ((),) * 6},
])
def test_bad_calendars_are_refused(kwargs):
    with pytest.raises(Exception):
        Calendar(**kwargs)


def test_calendar_that_never_works_raises():
    calendar = Calendar.office(days=[0], closed=frozenset())
    # a Monday-only calendar works; a Monday-only one where every Monday is closed does not
    mondays = frozenset(dt.date(2026, 1, 5) + dt.timedelta(weeks=w) for w in range(300))
    never = Calendar.office(days=[0], closed=mondays)
    assert add_business_minutes(calendar, dt.datetime(2026, 1, 1, tzinfo=UTC), 60)
    with pytest.raises(NoWorkingTime):
        add_business_minutes(never, dt.datetime(2026, 1, 1, tzinfo=UTC), 60)


def test_fingerprint_changes_with_hours():
    assert KR_OFFICE.fingerprint != KR_LUNCH.fingerprint
    assert KR_OFFICE.fingerprint == Calendar.office(time_zone="Asia/Seoul", country="KR", language="ko").fingerprint


@pytest.mark.parametrize("calendar", [
    Calendar.twenty_four_seven(),
    Calendar.office(hours=((9, 0, 12, 0), (13, 0, 18, 0)), time_zone="Asia/Seoul"),
    Calendar(time_zone="America/New_York", weekly=(((0, 3 * 3600),),) * 7),  # across the DST changes
    Calendar(time_zone="Europe/Berlin", weekly=(((8 * 3600, 86400),),) * 4 + ((), (), ((3600, 7200),)),
             closed=frozenset({dt.date(2026, 12, 25)})),
])
def test_one_walk_for_several_amounts_gives_what_one_walk_each_gives(calendar):
    import random

    rng = random.Random(12)
    for _ in range(400):
        start = dt.datetime(2026, 1, 1, tzinfo=UTC) + dt.timedelta(
            seconds=rng.randrange(366 * 86400), microseconds=rng.randrange(10 ** 6))
        target = rng.choice([2, 60, 3600, 3 * 3600, 7 * 3600 + 1, 8 * 3600, 86400, 5 * 86400])
        amounts = sorted({max(1, target * p // 100) for p in (10, 50, 75, 90)} | {target})
        assert add_business_seconds_each(calendar, start, amounts) == [
            add_business_seconds(calendar, start, amount) for amount in amounts]
    with pytest.raises(ValueError):
        add_business_seconds_each(calendar, start, (0, 60))
    with pytest.raises(ValueError):
        add_business_seconds_each(calendar, start, (120, 60))
