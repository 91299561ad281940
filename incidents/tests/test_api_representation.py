"""The API's compiled representation (core.api.serializers, issue 12) answers exactly what DRF's
generic to_representation answers, field for field, on incidents of every shape."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from accounts.models import Team
from accounts.roles import Role
from core.api.serializers import VisibleRelationsSerializer
from core.choices import Channel
from incidents import security_services
from incidents.api import serializers as api_serializers
from incidents.api.serializers import INCIDENT_ROW_FIELDS, IncidentSerializer, incident_row as written_row
from incidents.api import rows as api_rows
from incidents.api.views import incident_queryset
from incidents.models import Category, Incident
from sla.api import serializers as sla_serializers
from sla.api.serializers import CLOCK_ROW_FIELDS, SLAClockSerializer, clock_row as written_clock_row
from sla.models import SLAClock
from sla.tests.factories import make_calendar, make_definition

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture
def world(open_incident, agent, team, make_user, end_user):
    make_definition(calendar=make_calendar(), targets={p: (15 * p, 60 * p) for p in range(1, 6)})
    make_definition(name="24x7", calendar=None, targets={p: (30, 120) for p in range(1, 6)})
    network = Category.objects.create(name="Network", slug="network")
    vpn = Category.objects.create(name="VPN", slug="vpn", parent=network)
    soc_team = Team.objects.create(name="CERT", is_security=True)
    soc = make_user(Role.AGENT, username="cert_agent")
    soc_team.members.add(soc)
    major = open_incident(title="Major", is_major=True, impact=1, urgency=1, assigned_to=agent, assignment_group=team,
                          category=network, subcategory=vpn, description="")
    child = open_incident(title="Child", parent=major, service_down=True)
    bare = open_incident(title="Bare", channel=Channel.EMAIL)
    breach = security_services.flag(open_incident(title="유출 의심"), actor=soc, channel=Channel.WEB,
                                    ratings={"confidentiality_impact": "high"}, notes="Forensics started")
    clocks = list(SLAClock.objects.filter(object_id__in=[major.pk, child.pk]).order_by("id"))
    assert len(clocks) == 8  # two incidents, two definitions, response and resolution each
    SLAClock.objects.filter(pk=clocks[0].pk).update(paused_at=NOW - dt.timedelta(hours=1), state="paused")
    SLAClock.objects.filter(pk=clocks[1].pk).update(breached_at=NOW - dt.timedelta(minutes=5), state="breached")
    SLAClock.objects.filter(pk=clocks[2].pk).update(stopped_at=NOW, state="met", elapsed_business_seconds=90)
    return {"agent": agent, "soc": soc, "end_user": end_user, "ids": [major.pk, child.pk, bare.pk, breach.pk]}


def generic_data(serializer_class, rows, context, monkeypatch):
    """What DRF's own Serializer.to_representation answers, nested serializers included."""
    with monkeypatch.context() as m:
        m.setattr(VisibleRelationsSerializer, "to_representation", serializers.Serializer.to_representation)
        return serializer_class(rows, many=True, context=context).data


@pytest.mark.parametrize("who", ["agent", "soc", "end_user"])
@pytest.mark.parametrize("webhook", [False, True])
def test_the_compiled_representation_is_drf_s(world, who, webhook, monkeypatch):
    user = world[who]
    request = APIRequestFactory().get("/api/v1/incidents/")
    request.user = user
    for reading in (True, False):
        rows = list(incident_queryset(user, reading=reading).filter(pk__in=world["ids"]).order_by("id"))
        assert rows
        # One `now` for both answers: a running clock's live count moves with the wall clock.
        context = {"request": request, "_sla_calendars": {"_now": NOW}, **({"webhook": True} if webhook else {})}
        with monkeypatch.context() as m:  # the row function written by hand answers every row itself
            m.setattr(api_serializers, "incident_row", lambda serializer, generic: written_row(
                serializer, lambda incident: pytest.fail(f"incident_row fell back on {incident}")))
            m.setattr(sla_serializers, "clock_row", lambda serializer, generic: written_clock_row(
                serializer, lambda clock: pytest.fail(f"clock_row fell back on {clock}")))
            fast = IncidentSerializer(rows, many=True, context=context).data
        context = {"request": request, "_sla_calendars": {"_now": NOW}, **({"webhook": True} if webhook else {})}
        assert fast == generic_data(IncidentSerializer, rows, context, monkeypatch)
    shown = {row["id"]: row for row in fast}
    if who != "end_user":
        assert {c["state"] for row in fast for c in row.get("slas", [])} >= {"running", "paused", "breached", "met"}
        assert shown[world["ids"][1]]["parent"] == Incident.objects.get(pk=world["ids"][0]).number
    breach = Incident.objects.get(pk=world["ids"][3])
    if who == "soc" and not webhook:
        assert shown[breach.pk]["security"]["confidentiality_impact"] == "high"
    for row in fast:
        assert row["url"] == Incident.objects.get(pk=row["id"]).get_absolute_url()


def test_a_dict_is_represented_the_generic_way():
    from accounts.api.serializers import UserBriefSerializer

    assert UserBriefSerializer({"id": 3, "username": "kim", "display_name": "Kim"}).data == {
        "id": 3, "username": "kim", "display_name": "Kim"}


def test_the_incident_row_is_written_for_the_serializer_s_fields():
    """A field added to IncidentSerializer must be added to incident_row (or the list would take
    the slower compiled plan without anyone noticing)."""
    serializer = IncidentSerializer()
    assert [(name, type(field)) for name, field in serializer.fields.items()] == list(INCIDENT_ROW_FIELDS)
    assert written_row(serializer, None) is not None
    clocks = SLAClockSerializer()
    assert [(name, type(field)) for name, field in clocks.fields.items()] == list(CLOCK_ROW_FIELDS)
    assert written_clock_row(clocks, None) is not None


def test_values_held_in_memory_are_represented_as_drf_does(world, monkeypatch):
    """A row as a service leaves it (choices as enum members, a text set to None, an int as a
    string) answers as DRF's path does; what the written row cannot read it leaves to DRF's."""
    from core.choices import Impact
    from incidents.choices import IncidentState

    user = world["agent"]
    request = APIRequestFactory().get("/api/v1/incidents/")
    request.user = user
    rows = list(incident_queryset(user, reading=True).filter(pk__in=world["ids"]).order_by("id"))
    rows[0].state, rows[0].impact, rows[0].on_hold_reason = IncidentState.ON_HOLD, Impact.HIGH, None
    rows[1].description, rows[1].version, rows[1].is_major = None, "7", 1
    rows[2].created_at = NOW.replace(tzinfo=None)  # naive: DRF's own conversion
    fast = IncidentSerializer(rows, many=True, context={"request": request, "_sla_calendars": {"_now": NOW}}).data
    generic = generic_data(IncidentSerializer, rows, {"request": request, "_sla_calendars": {"_now": NOW}},
                           monkeypatch)
    assert fast == generic
    assert fast[0]["state"] == "on_hold" and fast[1]["description"] is None and fast[1]["version"] == 7


def _loaded(instance):
    """What an instance holds: its loaded columns and the related rows in its cache, recursively."""
    columns = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields
               if f.attname in instance.__dict__}
    cached = {name: (_loaded(value) if value is not None else None)
              for name, value in instance._state.fields_cache.items()}
    listed = getattr(instance, sla_serializers.LISTED_CLOCKS, None)
    return type(instance), columns, cached, None if listed is None else [_loaded(clock) for clock in listed]


def test_the_rows_read_by_sql_are_the_reading_queryset_s(world, django_assert_num_queries):
    """incidents.api.rows builds, column for column, the instances incident_queryset(reading=True)
    builds (the same related rows with the same columns, the same clocks in the same order), so
    every test of the representation above holds for them; in two statements. (Rows are read as
    they are: the security group's member sees every one of the world's.)"""
    user = world["soc"]
    expected = {row.pk: _loaded(row) for row in incident_queryset(user, reading=True).filter(pk__in=world["ids"])}
    with django_assert_num_queries(2):
        by_id = api_rows.incidents_by_id(world["ids"] + [10 ** 9])
    assert len(expected) == 4 and {pk: _loaded(row) for pk, row in by_id.items()} == expected
    for row in by_id.values():  # saved rows of the default database, as the ORM leaves them
        for instance in (row, row.caller, *getattr(row, sla_serializers.LISTED_CLOCKS)):
            assert (instance._state.adding, instance._state.db) == (False, "default")
    number = Incident.objects.get(pk=world["ids"][1]).number
    assert _loaded(api_rows.incident_by_number(number)) == expected[world["ids"][1]]
    assert api_rows.incident_by_number("INC9999999") is None
    assert api_rows.incidents_by_id([]) == {}


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
@pytest.mark.parametrize("coerce", [False, True])
def test_instants_converted_once_and_big_ids_answer_as_drf_does(world, zone, coerce, monkeypatch, settings):
    """The rows of one response convert each instant once (core.api.serializers.iso_writer, shared
    by the incidents' and their clocks' rows: a new incident's created_at, updated_at and clocks'
    started_at are one instant) and read COERCE_BIGINT_TO_STRING once (big_integer): the same
    answer as DRF's in any time zone, with ids as numbers or as strings."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "COERCE_BIGINT_TO_STRING": coerce}
    user = world["agent"]
    request = APIRequestFactory().get("/api/v1/incidents/")
    request.user = user
    rows = list(incident_queryset(user, reading=True).filter(pk__in=world["ids"]).order_by("id"))
    rows[1].updated_at = rows[0].created_at  # the same instant in two rows and two fields
    with timezone.override(zone):
        context = {"request": request, "_sla_calendars": {"_now": NOW}}
        fast = IncidentSerializer(rows, many=True, context=context).data
        generic = generic_data(IncidentSerializer, rows,
                               {"request": request, "_sla_calendars": {"_now": NOW}}, monkeypatch)
    assert fast == generic
    assert fast[1]["updated_at"] == fast[0]["created_at"]
    assert fast[0]["created_at"].endswith("Z") == (zone == "UTC")
    assert all(isinstance(row["id"], str) == coerce for row in fast)
    tz, texts = context["_iso_texts"]
    assert str(tz) == zone and texts[rows[0].created_at] == fast[0]["created_at"]


def test_the_iso_writer_s_texts_are_the_field_s():
    from core.api.serializers import iso_writer

    field = serializers.DateTimeField()
    serializer = SLAClockSerializer(context={})
    seoul = dt.timezone(dt.timedelta(hours=9))
    instant = dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.timezone.utc)
    with timezone.override("Asia/Seoul"):
        iso = iso_writer(serializer, timezone.get_current_timezone())
        text = "2026-03-01T09:30:00+09:00"
        assert iso(instant, field.to_representation) == field.to_representation(instant) == text
        assert iso(instant.astimezone(seoul), field.to_representation) == text  # one instant, one text
        naive = instant.replace(tzinfo=None)
        assert iso(naive, field.to_representation) == field.to_representation(naive)
        assert iso(None, field.to_representation) is None
        assert iso(dt.date(2026, 3, 1), lambda value: "slow") == "slow"
        assert len(serializer.context["_iso_texts"][1]) == 1  # the aware instant only
    with timezone.override("UTC"):  # another time zone: texts of its own
        utc = iso_writer(serializer, timezone.get_current_timezone())
        assert utc(instant, None) == "2026-03-01T00:30:00Z"
