"""A ticket's SLA standing on its row (sla.rowstate): written where its clocks change, equal at
every step to what its clocks say, and the one the desk's "Breached" tab reads."""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from core.choices import Channel
from incidents import services
from incidents.models import Incident
from sla import queues, rowstate
from sla import sweep as sla_sweep
from sla.choices import ClockState
from sla.models import SLAClock
from sla.tests.conftest import kst

pytestmark = pytest.mark.django_db

MONDAY_10 = kst(2026, 11, 23, 10, 0)


def row(incident):
    return Incident.objects.values_list("sla_breached", "sla_due_at", "sla_calendar").get(pk=incident.pk)


def standing(incident):
    return row(incident)[:2]


def from_clocks(incident):
    """What the clocks in the database say the standing is."""
    return rowstate.of_clocks(list(SLAClock.objects.for_object(incident)))


def row_writes():
    """(rows inserted, rows updated) of the incident table in this transaction, as PostgreSQL counts them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
                       [Incident._meta.db_table])
        return cursor.fetchone()


def test_a_new_incident_is_written_once_with_the_due_instant_of_its_first_clock(definition, open_incident):
    inserted, updated = row_writes()
    incident = open_incident(now=MONDAY_10)
    assert row_writes() == (inserted + 1, updated)  # the INSERT carries the standing: no UPDATE after it
    # P3: response 60 and resolution 240 business minutes from 10:00 on a 09:00-18:00 Monday.
    assert standing(incident) == (False, kst(2026, 11, 23, 11, 0))
    assert row(incident) == from_clocks(incident) == (False, kst(2026, 11, 23, 11, 0), definition.calendar_id)


def test_an_incident_no_agreement_covers_has_no_standing(kr_calendar, open_incident):
    assert standing(open_incident(now=MONDAY_10)) == (False, None)


def test_the_standing_follows_response_pause_resume_and_resolution(definition, open_incident, agent):
    incident = open_incident(now=MONDAY_10)
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="in_progress",
                                   now=kst(2026, 11, 23, 10, 20))
    # Response met: the resolution clock (240 min from 10:00) is the one counting.
    assert standing(incident) == (False, kst(2026, 11, 23, 14, 0)) and row(incident) == from_clocks(incident)
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="on_hold",
                                   on_hold_reason="awaiting_caller", now=kst(2026, 11, 23, 11, 0))
    # Nothing counts while paused.
    assert standing(incident) == (False, None) and row(incident) == from_clocks(incident)
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="in_progress",
                                   now=kst(2026, 11, 23, 12, 0))
    # One hour paused: due an hour later.
    assert standing(incident) == (False, kst(2026, 11, 23, 15, 0)) and row(incident) == from_clocks(incident)
    incident = services.resolve(incident, actor=agent, channel=Channel.WEB, code="solved_workaround", notes="done",
                                now=kst(2026, 11, 23, 13, 0))
    assert standing(incident) == (False, None) and row(incident) == from_clocks(incident)


def test_a_breach_the_sweep_records_sets_the_flag_and_leaves_the_due_of_the_clocks_still_counting(
        definition, open_incident, agent):
    incident = open_incident(now=MONDAY_10)
    # 11:30: the response clock (due 11:00) is past due, its breach not recorded yet: breached all the same.
    assert standing(incident) == (False, kst(2026, 11, 23, 11, 0))
    assert Incident.objects.filter(queues.breached_q(Incident, kst(2026, 11, 23, 11, 30))).get() == incident
    assert not Incident.objects.filter(queues.breached_q(Incident, kst(2026, 11, 23, 10, 59))).exists()
    sla_sweep.sweep(now=kst(2026, 11, 23, 11, 30))
    assert standing(incident) == (True, kst(2026, 11, 23, 14, 0)) and row(incident) == from_clocks(incident)
    # The answer stops the breached response clock: still breached, the resolution clock counting.
    services.comment(incident, actor=agent, channel=Channel.WEB, body="보고 있습니다", now=kst(2026, 11, 23, 11, 40))
    assert standing(incident) == (True, kst(2026, 11, 23, 14, 0)) and row(incident) == from_clocks(incident)


def test_cancelling_the_ticket_cancels_its_breach(definition, open_incident, agent):
    incident = open_incident(now=MONDAY_10)
    sla_sweep.sweep(now=kst(2026, 11, 23, 11, 30))
    services.cancel(incident, actor=agent, channel=Channel.WEB, now=kst(2026, 11, 23, 11, 45))
    assert standing(incident) == (False, None) and row(incident) == from_clocks(incident)
    assert set(SLAClock.objects.for_object(incident).values_list("state", flat=True)) == {ClockState.CANCELLED}


def test_a_priority_change_moves_the_due_instant(definition, open_incident, agent):
    incident = open_incident(now=MONDAY_10)
    incident = services.update_incident(incident, actor=agent, channel=Channel.WEB, now=kst(2026, 11, 23, 10, 5),
                                        changes={"impact": 1, "urgency": 1})  # P1: response 15 min
    assert standing(incident) == (False, kst(2026, 11, 23, 10, 15)) and row(incident) == from_clocks(incident)


def test_breaching_soon_finds_a_clock_behind_an_earlier_overdue_one(definition, open_incident, agent):
    incident = open_incident(now=MONDAY_10)
    # 13:30: the response clock is overdue (11:00, unrecorded), the resolution clock due 14:00 is soon.
    # The row holds the earlier instant; the clocks are probed for the later one.
    assert standing(incident)[1] == kst(2026, 11, 23, 11, 0)
    soon = queues.window(kst(2026, 11, 23, 13, 30))
    assert list(queues.breaching_soon(Incident.objects.all(), soon)) == [incident]
    assert list(queues.breached_open(Incident.objects.all(), kst(2026, 11, 23, 13, 30))) == [incident]


def test_refresh_and_the_migration_backfill_agree_with_the_engine(definition, open_incident, agent):
    first = open_incident(now=MONDAY_10)
    second = open_incident(now=MONDAY_10, title="second")
    sla_sweep.sweep(now=kst(2026, 11, 23, 11, 30))
    kept = {pk: row(Incident(pk=pk)) for pk in (first.pk, second.pk)}
    Incident.objects.update(sla_breached=False, sla_due_at=None, sla_calendar=None)
    from django.apps import apps

    rowstate.backfill("incidents", "Incident")(apps, None)
    assert {pk: row(Incident(pk=pk)) for pk in kept} == kept
    Incident.objects.update(sla_breached=False, sla_due_at=None, sla_calendar=None)
    assert rowstate.refresh(Incident, [first.pk]) == 1
    assert row(first) == kept[first.pk] and row(second) == (False, None, None)


def test_every_ticket_type_carries_the_standing():
    from core.tickets import ticket_models

    for model in ticket_models():
        names = {field.name for field in model._meta.concrete_fields}
        assert {"sla_breached", "sla_due_at", "sla_calendar"} <= names, model
        assert {"sla_breached", "sla_due_at", "sla_calendar"} <= model.AUDIT_EXCLUDE, model


def test_clock_writes_do_not_touch_the_tickets_version(definition, open_incident, agent):
    incident = open_incident(now=MONDAY_10)
    version = Incident.objects.get(pk=incident.pk).version
    sla_sweep.sweep(now=kst(2026, 11, 23, 11, 30))
    assert Incident.objects.get(pk=incident.pk).version == version
    content_type = ContentType.objects.get_for_model(Incident)
    assert SLAClock.objects.filter(content_type=content_type, object_id=incident.pk,
                                   breached_at__isnull=False).count() == 1
    assert standing(incident)[0] is True


@pytest.mark.django_db(transaction=True)
def test_the_sweep_passes_over_a_ticket_being_changed_and_settles_it_next_time(definition, open_incident):
    """A service locks the ticket, then its clocks; the sweep holds clocks, so waiting for the
    ticket's row to write its standing would deadlock with it. It leaves that clock for the next sweep."""
    incident = open_incident(now=MONDAY_10)
    locked, release = threading.Event(), threading.Event()

    def change_in_flight():
        try:
            with transaction.atomic():
                Incident.objects.select_for_update().get(pk=incident.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=change_in_flight)
    worker.start()
    try:
        assert locked.wait(10)
        # Had it waited for the row, it would return only after the ten seconds, having settled one.
        assert sla_sweep.sweep(now=kst(2026, 11, 23, 11, 30)) == 0
        assert standing(incident) == (False, kst(2026, 11, 23, 11, 0))
    finally:
        release.set()
        worker.join()
    assert sla_sweep.sweep(now=kst(2026, 11, 23, 11, 30)) == 1
    assert standing(incident) == (True, kst(2026, 11, 23, 14, 0)) and row(incident) == from_clocks(incident)


def test_not_breached_keeps_the_tickets_without_a_due_instant(definition, open_incident, kr_calendar):
    late = open_incident(now=MONDAY_10, title="late")
    in_time = open_incident(now=kst(2026, 11, 23, 11, 0), title="in time", impact=1, urgency=1)  # P1: 15 min
    definition.active = False
    definition.save()
    uncovered = open_incident(now=MONDAY_10, title="no agreement")
    assert standing(uncovered) == (False, None)
    at = kst(2026, 11, 23, 11, 5)  # late's response (11:00) is past due; in time's (11:15) is not
    not_breached = Incident.objects.filter(~queues.breached_q(Incident, at))
    assert set(not_breached) == {in_time, uncovered}
    assert set(Incident.objects.filter(queues.breached_q(Incident, at))) == {late}


def soon_by_probing(now):
    """Breaching soon by its first definition: a probe of every ticket's clocks."""
    soon = queues.window(now)
    return set(Incident.objects.filter(queues._clocks_of(Incident, soon.clock_q())))


def test_breaching_soon_from_the_row_is_the_probe_of_the_clocks_on_one_calendar_or_several(
        definition, open_incident, agent):
    from sla.services import save_definition
    from sla.tests.factories import make_definition

    office = open_incident(now=MONDAY_10, title="office hours")  # kr_calendar: due 11:00 and 14:00
    round_the_clock = make_definition("24x7 SLA", targets={3: (None, 600)})  # no calendar: 10 wall-clock hours
    both = open_incident(now=kst(2026, 11, 27, 16, 0), title="both calendars")  # Friday 16:00
    definition.active = False
    definition.save()
    only_24x7 = open_incident(now=kst(2026, 11, 27, 16, 0), title="24x7 only")
    assert row(office)[2] == definition.calendar_id
    assert row(both) == (False, kst(2026, 11, 27, 17, 0), rowstate.SEVERAL_CALENDARS)
    assert row(only_24x7) == (False, kst(2026, 11, 28, 2, 0), rowstate.DEFAULT_CALENDAR)
    instants = [kst(2026, 11, 23, 10, 30), kst(2026, 11, 23, 13, 0), kst(2026, 11, 27, 16, 30),
                kst(2026, 11, 27, 17, 30), kst(2026, 11, 27, 22, 30), kst(2026, 11, 28, 1, 0),
                kst(2026, 11, 30, 9, 30)]
    for now in instants:
        found = set(queues.breaching_soon(Incident.objects.all(), queues.window(now)))
        assert found == {i for i in soon_by_probing(now) if i.state in Incident.lifecycle.open}, now
    # Friday 22:30: the 24x7 clock (due Saturday 02:00) is soon; the office one, behind its
    # earlier Friday 17:00 response due, is read from the clocks.
    assert set(queues.breaching_soon(Incident.objects.all(), queues.window(kst(2026, 11, 27, 22, 30)))) \
        == {both, only_24x7}
    # Moving the 24x7 agreement onto the office calendar moves its tickets' standing with it.
    save_definition(round_the_clock, actor=agent, channel=Channel.WEB, fields={"calendar": definition.calendar})
    assert row(only_24x7)[2] == definition.calendar_id
    assert row(both)[2] == definition.calendar_id
