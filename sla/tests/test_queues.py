"""The one definition of "breaching soon" and "breached and still open" (sla.queues), without HTTP."""

import datetime as dt

import pytest
from django.test import override_settings

from core.choices import Channel
from incidents import services
from incidents.models import Incident
from sla import queues
from sla import sweep as sla_sweep
from sla.tests.conftest import kst
from sla.tests.factories import make_definition

pytestmark = pytest.mark.django_db

# Resolution targets only (no response clocks), so each incident has exactly one clock to reason about.
RESOLUTION_ONLY = {1: (None, 60), 2: (None, 120), 3: (None, 600), 4: (None, 1200), 5: (None, 2400)}
P1, P3, P4 = {"impact": 1, "urgency": 1}, {"impact": 2, "urgency": 2}, {"impact": 3, "urgency": 2}


@pytest.fixture
def office_sla(kr_calendar):
    return make_definition(calendar=kr_calendar, targets=RESOLUTION_ONLY)


def soon_numbers(now, minutes=None):
    return set(queues.breaching_soon(Incident.objects.all(), queues.window(now, minutes))
               .values_list("number", flat=True))


def breached_numbers(now):
    return set(queues.breached_open(Incident.objects.all(), now).values_list("number", flat=True))


def test_a_p1_due_within_the_hour_is_breaching_soon_and_a_long_target_is_not(office_sla, open_incident):
    # Monday 23 Nov 2026, 10:00 KST: P1 (60 min) due 11:00; P3 (600 min) due Tuesday 11:00
    p1 = open_incident(now=kst(2026, 11, 23, 10, 0), **P1)
    p3 = open_incident(now=kst(2026, 11, 23, 10, 0), **P3)
    assert soon_numbers(kst(2026, 11, 23, 10, 5)) == {p1.number}
    # Tuesday 08:00 (before opening): four business hours reach 13:00, past the P3's 11:00
    assert soon_numbers(kst(2026, 11, 24, 8, 0)) == {p3.number}


def test_the_window_is_business_time_across_the_night_and_the_weekend(office_sla, open_incident):
    # Friday 27 Nov 10:00 KST with 09:00–18:00 weekdays: 600 min is due Monday 11:00,
    # 1,200 min Tuesday 12:00.
    monday = open_incident(now=kst(2026, 11, 27, 10, 0), title="due Monday", **P3)
    tuesday = open_incident(now=kst(2026, 11, 27, 10, 0), title="due Tuesday", **P4)
    assert Incident.objects.get(pk=monday.pk).sla_clocks.get().due_at == kst(2026, 11, 30, 11, 0)
    # Friday 17:00: 66 wall-clock hours from Monday 11:00, but one business hour on Friday and
    # two on Monday morning: breaching soon. Tuesday's clock has thirteen business hours left.
    friday_evening = kst(2026, 11, 27, 17, 0)
    assert soon_numbers(friday_evening) == {monday.number}
    # Saturday noon: the window runs from Monday 09:00 to 13:00
    assert soon_numbers(kst(2026, 11, 28, 12, 0)) == {monday.number}
    # A one-business-hour window from Friday 17:00 ends at 18:00: nothing is due by then.
    assert soon_numbers(friday_evening, minutes=60) == set()
    with override_settings(SLA_BREACHING_SOON_BUSINESS_MINUTES=13 * 60):
        assert soon_numbers(friday_evening) == {monday.number, tuesday.number}


def test_a_24x7_agreement_measures_the_window_in_wall_clock_hours(open_incident):
    make_definition(calendar=None, targets=RESOLUTION_ONLY)
    p3 = open_incident(now=kst(2026, 11, 27, 10, 0), **P3)  # due 20:00 the same day
    assert soon_numbers(kst(2026, 11, 27, 15, 59)) == set()
    assert soon_numbers(kst(2026, 11, 27, 16, 0)) == {p3.number}


def test_breached_and_still_open_counts_tickets_not_clocks(kr_calendar, open_incident, agent):
    # Response and resolution targets: a P1 opened at 10:00 Monday breaches both by 12:00.
    make_definition(calendar=kr_calendar)
    monday = kst(2026, 11, 23, 10, 0)
    both = open_incident(now=monday, title="both clocks breached", **P1)
    held = open_incident(now=monday, title="breached, then on hold", **P1)
    resolved = open_incident(now=monday, title="breached, then resolved", **P1)
    cancelled = open_incident(now=monday, title="breached, then cancelled", **P1)
    sla_sweep.sweep(now=kst(2026, 11, 23, 12, 0))
    later = kst(2026, 11, 23, 12, 30)
    services.transition(held, actor=agent, channel=Channel.WEB, target="on_hold", on_hold_reason="awaiting_caller",
                        now=later)
    services.resolve(resolved, actor=agent, channel=Channel.WEB, code="solved_permanently", notes="done", now=later)
    services.cancel(cancelled, actor=agent, channel=Channel.WEB, now=later)
    fresh = open_incident(now=later, title="not breached", **P1)
    assert breached_numbers(later) == {both.number, held.number}
    assert both.number in {i.number for i in Incident.objects.filter(queues.breached_q(Incident, later))}
    assert resolved.number in {i.number for i in Incident.objects.filter(queues.breached_q(Incident, later))}
    assert fresh.number not in breached_numbers(later)


def test_a_clock_past_due_counts_as_breached_before_the_sweep_records_it(office_sla, open_incident):
    p1 = open_incident(now=kst(2026, 11, 23, 10, 0), **P1)  # due 11:00; no sweep has run
    assert breached_numbers(kst(2026, 11, 23, 11, 1)) == {p1.number}
    assert soon_numbers(kst(2026, 11, 23, 11, 1)) == set()


def test_a_paused_clock_is_neither_breaching_soon_nor_running(office_sla, open_incident, agent):
    p1 = open_incident(now=kst(2026, 11, 23, 10, 0), **P1)
    services.transition(p1, actor=agent, channel=Channel.WEB, target="on_hold", on_hold_reason="awaiting_caller",
                        now=kst(2026, 11, 23, 10, 10))
    assert soon_numbers(kst(2026, 11, 23, 10, 20)) == set()
    counts = queues.dashboard_counts(Incident, Incident.objects.all(), kst(2026, 11, 23, 10, 20))
    assert (counts["paused"], counts["running"], counts["breaching_soon"]) == (1, 0, 0)


def test_window_costs_no_query_once_calendars_are_kept(office_sla, django_assert_num_queries):
    queues.window(kst(2026, 11, 23, 10, 0))
    with django_assert_num_queries(0):  # issue 12: the calendars are kept per process (core.memo)
        soon = queues.window(kst(2026, 11, 23, 10, 0))
    assert soon.ends[office_sla.calendar_id] == kst(2026, 11, 23, 14, 0)
    assert soon.ends[None] == kst(2026, 11, 23, 14, 0)
    assert soon.minutes == queues.DEFAULT_WINDOW_MINUTES == 240
    assert isinstance(soon.now, dt.datetime)


def test_window_follows_a_change_of_the_calendars_hours(office_sla):
    """The kept calendars are dropped when a calendar's hours change (a watched table)."""
    from sla.models import WorkingInterval

    assert queues.window(kst(2026, 11, 23, 10, 0)).ends[office_sla.calendar_id] == kst(2026, 11, 23, 14, 0)
    monday = WorkingInterval.objects.get(calendar_id=office_sla.calendar_id, weekday=0)
    monday.start = dt.time(11, 0)
    monday.save()
    assert queues.window(kst(2026, 11, 23, 10, 0)).ends[office_sla.calendar_id] == kst(2026, 11, 23, 15, 0)
