"""SLA configuration rules without HTTP: weekly hours entered once, the holiday preview, who may
write, and the services' version check."""

import datetime as dt

import pytest

from accounts import permissions
from accounts.roles import Role
from core.choices import Channel
from core.exceptions import StaleVersion
from sla import services
from sla.choices import ExceptionKind
from sla.configuration import (
    amount_and_unit,
    days_text,
    expand_weekly_hours,
    group_weekly_hours,
    holiday_preview,
    minutes_of,
)
from sla.models import BusinessCalendar, CalendarException, WorkingInterval

T = dt.time


def test_hours_typed_once_expand_to_every_ticked_weekday():
    intervals = expand_weekly_hours([{"weekdays": [4, 0, 2, 1, 3], "start": T(9), "end": T(18)},
                                     {"weekdays": [5], "start": T(9), "end": T(13)}])
    assert [(i["weekday"], i["start"], i["end"]) for i in intervals] == [
        (0, T(9), T(18)), (1, T(9), T(18)), (2, T(9), T(18)), (3, T(9), T(18)), (4, T(9), T(18)),
        (5, T(9), T(13))]


def test_stored_intervals_group_back_into_rows_for_the_form():
    stored = [WorkingInterval(weekday=d, start=s, end=e) for d in range(5)
              for s, e in ((T(9), T(12)), (T(13), T(18)))]
    assert group_weekly_hours(stored) == [
        {"weekdays": [0, 1, 2, 3, 4], "start": T(9), "end": T(12)},
        {"weekdays": [0, 1, 2, 3, 4], "start": T(13), "end": T(18)}]
    assert days_text([0, 1, 2, 3, 4]) == "Monday–Friday"
    assert days_text([0, 2, 5, 6]) == "Monday, Wednesday, Saturday, Sunday"


def test_targets_keep_their_unit():
    assert minutes_of(4, "hours") == 240
    assert minutes_of(None, "hours") is None
    assert amount_and_unit(240) == (4, "hours")
    assert amount_and_unit(90) == (90, "minutes")


def test_holiday_preview_lists_korean_names_this_year_and_next():
    calendar = BusinessCalendar(name="KR", holiday_country="KR", holiday_language="ko")
    preview = holiday_preview(calendar, (2026, 2027), exceptions=[])
    names_2026 = {day.date: day.name for day in preview[2026]}
    names_2027 = {day.date: day.name for day in preview[2027]}
    assert names_2026[dt.date(2026, 2, 17)] == "설날"
    assert names_2026[dt.date(2026, 9, 25)] == "추석"
    assert names_2026[dt.date(2026, 3, 2)] == "삼일절 대체 휴일"  # substitute holiday
    assert names_2027[dt.date(2027, 2, 7)] == "설날"  # lunar: another date next year
    assert names_2027[dt.date(2027, 9, 15)] == "추석"
    assert all(day.source == "public" for day in preview[2026])


def test_holiday_preview_shows_the_calendars_own_dates():
    calendar = BusinessCalendar(name="KR", holiday_country="KR", holiday_language="ko")
    exceptions = [
        CalendarException(date=dt.date(2026, 10, 2), kind=ExceptionKind.CLOSED, reason="임시공휴일"),
        CalendarException(date=dt.date(2026, 5, 1), kind=ExceptionKind.OPEN, reason="On call for the release"),
    ]
    days = {day.date: day for day in holiday_preview(calendar, (2026,), exceptions=exceptions)[2026]}
    assert (days[dt.date(2026, 10, 2)].name, days[dt.date(2026, 10, 2)].source) == ("임시공휴일", "closed")
    assert days[dt.date(2026, 5, 1)].source == "worked" and not days[dt.date(2026, 5, 1)].is_closed


def test_a_24x7_calendar_applies_no_holidays():
    calendar = BusinessCalendar(name="24x7", always_open=True, holiday_country="KR")
    assert holiday_preview(calendar, (2026, 2027), exceptions=[]) == {2026: [], 2027: []}


@pytest.mark.django_db
def test_managers_and_administrators_configure_service_levels_agents_read(make_user):
    assert not permissions.can_configure_service_levels(make_user(Role.AGENT))
    assert not permissions.can_configure_service_levels(make_user(Role.END_USER))
    assert permissions.can_configure_service_levels(make_user(Role.MANAGER))
    assert permissions.can_configure_service_levels(make_user(Role.ADMIN))


@pytest.mark.django_db
def test_a_stale_version_writes_nothing(kr_calendar, manager):
    read_at = kr_calendar.version
    services.save_calendar(kr_calendar, actor=manager, channel=Channel.WEB, fields={"name": "First"},
                           expected_version=read_at)
    kr_calendar.refresh_from_db()
    assert kr_calendar.version == read_at + 1
    with pytest.raises(StaleVersion):
        services.save_calendar(kr_calendar, actor=manager, channel=Channel.WEB, fields={"name": "Second"},
                               expected_version=read_at)
    kr_calendar.refresh_from_db()
    assert kr_calendar.name == "First"


@pytest.mark.django_db
def test_saving_nothing_new_keeps_the_version(definition, manager):
    before = definition.version
    services.save_definition(definition, actor=manager, channel=Channel.WEB, fields={"name": definition.name},
                             expected_version=before)
    definition.refresh_from_db()
    assert definition.version == before
