"""core.rows writes what the ORM writes: values prepared alike, parents' ids given to children."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from core import rows
from core.choices import Channel
from incidents.choices import IncidentState
from sla.models import ClockEvent, SLAClock
from sla.tests.factories import make_calendar, make_definition

pytestmark = pytest.mark.django_db


def test_a_value_passed_unchanged_is_what_the_field_would_prepare():
    # A TextChoices member is a str subclass: a text column's field hands it over as it is.
    samples = ["text", "", 0, 7, -3, True, False, None, timezone.now(), datetime.datetime(2026, 1, 1),
               Channel.API, IncidentState.NEW]
    checked = 0
    for model in apps.get_models():
        for field in model._meta.local_concrete_fields:
            unchanged, also = rows._unchanged(field, connection)
            for value in samples:
                if type(value) in unchanged or (also == rows._STR and isinstance(value, str)) or (
                        also == rows._AWARE and type(value) is datetime.datetime
                        and value.utcoffset() is not None):
                    assert field.get_db_prep_save(value, connection) is value, (model, field.name, value)
                    checked += 1
    assert checked > 1000


@pytest.fixture
def clocks(agent):
    definition = make_definition(calendar=make_calendar())
    now = timezone.now()

    def clock(kind):
        return SLAClock(content_type_id=1, object_id=1, definition=definition, kind=kind, state="running",
                        target_minutes=60, started_at=now, segment_started_at=now, created_at=now)

    def event(clock, kind="start"):
        return ClockEvent(clock=clock, kind=kind, at=now, recorded_at=now, calendar_id=definition.calendar_id,
                          calendar_fingerprint="x", target_minutes=60, elapsed_business_seconds=0, data={})
    return clock, event


def test_children_get_their_new_parents_ids_in_one_statement(clocks, django_assert_num_queries):
    clock, event = clocks
    existing = rows.insert([clock("response")])[0]
    new = [clock("resolution"), clock("response")]
    events = [event(new[1]), event(existing, "pause"), event(new[0]), event(new[1], "stop")]
    with django_assert_num_queries(1):
        rows.insert_with_children(new, events, "clock")
    assert all(c.pk for c in new) and all(e.pk for e in events)
    read = {e.pk: e.clock_id for e in ClockEvent.objects.all()}
    assert read == {events[0].pk: new[1].pk, events[1].pk: existing.pk, events[2].pk: new[0].pk,
                    events[3].pk: new[1].pk}
    assert [e.clock_id for e in events] == [new[1].pk, existing.pk, new[0].pk, new[1].pk]
    assert SLAClock.objects.get(pk=new[0].pk).kind == "resolution"


def test_without_parents_or_children_it_writes_what_there_is(clocks):
    clock, event = clocks
    existing = rows.insert([clock("response")])[0]
    rows.insert_with_children([], [event(existing)], "clock")
    only = [clock("resolution")]
    rows.insert_with_children(only, [], "clock")
    assert ClockEvent.objects.get().clock_id == existing.pk and only[0].pk


def _entry(agent, text):
    from core.models import AuditEntry

    return AuditEntry(content_type_id=1, object_id=1, object_repr=text, action="created",
                      new_value={"t": text}, actor=agent, channel="web", context={},
                      created_at=timezone.now())


def test_a_deferred_row_rides_in_the_next_statement(clocks, agent, django_assert_num_queries):
    from core.models import AuditEntry

    clock, event = clocks
    with django_assert_num_queries(1):
        with rows.together():
            entry = rows.insert([_entry(agent, "first")], later=True)[0]
            assert entry.pk is None
            new = [clock("response")]
            rows.insert_with_children(new, [event(new[0])], "clock")
    assert AuditEntry.objects.get(object_repr="first").new_value == {"t": "first"}
    assert SLAClock.objects.filter(pk=new[0].pk).exists()


def test_a_deferred_row_with_nothing_to_ride_is_written_at_the_end(agent, django_assert_num_queries):
    from core.models import AuditEntry

    with django_assert_num_queries(1):
        with rows.together():
            rows.insert([_entry(agent, "alone")], later=True)
    assert AuditEntry.objects.filter(object_repr="alone").count() == 1
    rows.insert([_entry(agent, "outside")], later=True)  # outside together(): at once, with its id
    assert AuditEntry.objects.filter(object_repr="outside").count() == 1


def test_a_failed_block_writes_no_deferred_row(agent):
    from core.models import AuditEntry

    with pytest.raises(RuntimeError):
        with rows.together():
            rows.insert([_entry(agent, "dropped")], later=True)
            raise RuntimeError("the service failed")
    with rows.together():
        pass
    assert not AuditEntry.objects.filter(object_repr="dropped").exists()


def _family(clock, event):
    new = [clock("resolution"), clock("response")]
    return new, [event(new[1]), event(new[0]), event(new[1], "stop")]


def _linked(new, events):
    assert all(c.pk for c in new) and all(e.pk for e in events)
    assert new[0].pk < new[1].pk  # in the order of their rows
    read = {e.pk: e.clock_id for e in ClockEvent.objects.filter(pk__in=[e.pk for e in events])}
    assert read == {events[0].pk: new[1].pk, events[1].pk: new[0].pk, events[2].pk: new[1].pk}
    assert [e.clock_id for e in events] == [new[1].pk, new[0].pk, new[1].pk]


def test_a_deferred_family_rides_only_in_a_statement_that_reads_its_ids_back(clocks, agent,
                                                                              django_assert_num_queries):
    from core.models import AuditEntry

    clock, event = clocks
    new, events = _family(clock, event)
    with django_assert_num_queries(2):
        with rows.together():
            rows.insert([_entry(agent, "with the family")], later=True)
            rows.insert_with_children(new, events, "clock", later=True)
            assert new[0].pk is None and events[0].pk is None
            # a plain insert takes the audit row, not the family (it would not read its ids)
            rows.insert([_entry(agent, "plain")])
            assert new[0].pk is None
            # a statement that reads the ids back carries it (as the outbox's does)
            params, families = [], []
            clauses = rows.deferred_clauses(connection, params, families)
            with connection.cursor() as cursor:
                cursor.execute(f"WITH {', '.join(clauses)} SELECT {', '.join(rows.readback_sql(families))}",
                               params)
                rows.read_back(families, cursor.fetchone(), connection)
    _linked(new, events)
    assert AuditEntry.objects.filter(object_repr="with the family").count() == 1


def test_a_deferred_family_left_is_written_at_the_blocks_end(clocks, django_assert_num_queries):
    clock, event = clocks
    new, events = _family(clock, event)
    with django_assert_num_queries(1):
        with rows.together():
            rows.insert_with_children(new, events, "clock", later=True)
    _linked(new, events)
    outside, outside_events = _family(clock, event)
    rows.insert_with_children(outside, outside_events, "clock", later=True)  # outside together(): at once
    _linked(outside, outside_events)


# --- new(): Model.__init__'s instance without its generic walk ---------------------------------
def _same_instance(built, expected):
    """`built` holds what Model.__init__ left in `expected`: the same attributes with equal values
    (a callable default, a fresh uuid or instant, by type), the same relation cache and state."""
    assert type(built) is type(expected)
    assert built.__dict__.keys() == expected.__dict__.keys()
    callable_defaults = {f.attname for f in type(expected)._meta.concrete_fields if callable(f.default)}
    for name, value in expected.__dict__.items():
        if name == "_state":
            continue
        if name in callable_defaults:
            assert type(built.__dict__[name]) is type(value), name
        else:
            assert built.__dict__[name] == value, name
    assert built._state.fields_cache == expected._state.fields_cache
    assert (built._state.adding, built._state.db) == (expected._state.adding, expected._state.db)


def test_a_new_instance_of_every_model_is_what_its_constructor_gives():
    built_fast = 0
    for model in apps.get_models():
        _same_instance(rows.new(model), model())
        built_fast += rows._NEW[model] is not None
    # Nearly every model of the project is plain enough for the short way (a one-to-one relation,
    # whose descriptor also fills the other side's cache, is left to the constructor).
    assert built_fast >= 90


def test_values_by_name_by_attname_and_related_objects_are_set_as_the_constructor_sets_them(agent, team):
    from incidents.models import Incident

    now = timezone.now()
    values = dict(title="VPN down", impact=2, urgency=3, created_at=now, updated_at=now, caller=agent,
                  created_by=agent, assignment_group=team, assigned_to=None, category=None, service_id=None,
                  state=IncidentState.NEW)
    built, expected = rows.new(Incident, **values), Incident(**values)
    _same_instance(built, expected)
    assert built.caller is agent and built.caller_id == agent.pk and built._state.db == "default"
    assert built.assigned_to is None and Incident._meta.get_field("assigned_to").is_cached(built)
    assert rows._NEW[Incident] is not None


def test_what_the_short_way_cannot_take_is_left_to_the_constructor(agent):
    from core.models import AuditEntry, Delivery
    from incidents.models import Incident

    # `pk` (a property) and a generic relation are not concrete fields' names: Model.__init__ sets them.
    assert rows.new(Delivery, pk=7, handler="h").id == 7
    entry = rows.new(AuditEntry, record=agent, object_repr="x", action="created")
    assert entry.object_id == agent.pk and entry.content_type.model_class() is type(agent)
    with pytest.raises(TypeError, match="unexpected keyword"):
        rows.new(Incident, no_such_field=1)
    # A related object of the wrong model is refused, as by the relation's descriptor.
    with pytest.raises(ValueError, match="must be a"):
        rows.new(Incident, caller=Delivery(handler="h"))
