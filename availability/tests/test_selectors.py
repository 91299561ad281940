import datetime as dt

import pytest

from availability import selectors, services
from availability.tests.helpers import kst_nov
from core.choices import Channel
from sla.models import BusinessCalendar, WorkingInterval

NOVEMBER = dt.date(2026, 11, 1)
LATER = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)


def test_forty_outage_minutes_in_november_is_99_907_percent(service, outage):
    # given
    outage(service, kst_nov(10, 3), kst_nov(10, 3, 40))
    # when
    _start, _end, figures = selectors.month_report(NOVEMBER, [service.pk], now=LATER)
    # then
    row = figures[service.pk]
    assert row["service_minutes"] == 43200
    assert row["outage_minutes"] == 40
    assert row["availability_percent"] == 99.9074
    assert (row["failures"], row["mtrs_minutes"], row["mtbf_minutes"]) == (1, 40.0, 43160.0)
    assert row["status"] == "met"  # default target 99.5 %


def test_an_outage_over_the_month_boundary_counts_only_its_part_in_the_month(service, outage):
    # 14:00 UTC Oct 31 = 23:00 KST: one hour in October (KST), two in November
    outage(service, dt.datetime(2026, 10, 31, 14, tzinfo=dt.timezone.utc),
           dt.datetime(2026, 10, 31, 17, tzinfo=dt.timezone.utc))
    _s, _e, figures = selectors.month_report(NOVEMBER, [service.pk], now=LATER)
    assert figures[service.pk]["outage_minutes"] == 120


def test_planned_maintenance_is_excluded_and_open_outages_count_until_now(service, outage):
    outage(service, kst_nov(2, 1), kst_nov(2, 3), planned=True)
    outage(service, kst_nov(20, 10), None)
    _s, _e, figures = selectors.month_report(NOVEMBER, [service.pk], now=kst_nov(20, 11))
    row = figures[service.pk]
    assert (row["service_minutes"], row["planned_minutes"], row["outage_minutes"]) == (43080, 120, 60)


def test_service_hours_of_a_calendar_bound_the_figures(service, outage, manager):
    calendar = BusinessCalendar.objects.create(name="Office hours", time_zone="Asia/Seoul")
    for weekday in range(5):
        WorkingInterval.objects.create(calendar=calendar, weekday=weekday, start=dt.time(9), end=dt.time(18))
    services.save_settings(service, actor=manager, channel=Channel.WEB, calendar=calendar)
    # Tuesday 3 November 2026, 17:00–20:00 KST: one hour inside the service hours
    outage(service, kst_nov(3, 17), kst_nov(3, 20))
    _s, _e, figures = selectors.month_report(NOVEMBER, [service.pk], now=LATER)
    row = figures[service.pk]
    assert row["service_minutes"] == 21 * 9 * 60  # 21 weekdays in November 2026
    assert row["outage_minutes"] == 60


def test_all_services_in_a_fixed_number_of_queries(service, other_service, outage, django_assert_num_queries):
    outage(service, kst_nov(5, 1), kst_nov(5, 2))
    outage(other_service, kst_nov(6, 1), kst_nov(6, 1, 30))
    with django_assert_num_queries(3):  # the services, their calendars, the figures
        _s, _e, figures = selectors.month_report(NOVEMBER, now=LATER)
    assert {figures[service.pk]["outage_minutes"], figures[other_service.pk]["outage_minutes"]} == {60, 30}


@pytest.mark.parametrize("ids", [[], None])
def test_no_services_no_figures(db, ids):
    assert selectors.availability_by_service(dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc),
                                             dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc), ids) == {}
