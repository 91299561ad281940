"""A whole API list page, as written (the id statement, the rows and clocks by SQL, the row
functions, a user's brief form made once per response, a calendar found by its version without
the shared cache: issue 12, eighth round), is byte for byte DRF's generic answer over the ORM's
queryset, for unfiltered and filtered lists, and a calendar's change shows on the next page."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework import serializers

from core import memo
from core.api.serializers import VisibleRelationsSerializer
from incidents.api.views import IncidentViewSet
from sla import calendars
from sla.models import WorkingInterval
from sla.tests.factories import make_calendar, make_definition

pytestmark = pytest.mark.django_db
LIST = "/api/v1/incidents/"
NOW = timezone.now()


@pytest.fixture
def world(open_incident, agent, other_agent, team, end_user, other_end_user):
    calendar = make_calendar(hours=((dt.time(0), dt.time(0)),), days=range(7))  # every hour: clocks count
    make_definition(calendar=calendar, targets={p: (15 * p, 60 * p) for p in range(1, 6)})
    make_definition(name="24x7", calendar=None, targets={p: (30, 120) for p in range(1, 6)})
    for i in range(9):  # one caller and one assignee on several rows of a page
        open_incident(title=f"Incident {i}", caller=end_user if i % 3 else other_end_user,
                      assigned_to=agent if i % 2 else other_agent, assignment_group=team, impact=1 + i % 3)
    return {"calendar": calendar, "team": team}


def drf_s_answer(monkeypatch, client, url):
    """The page as DRF's generic representation over the ORM's queryset answers it, with the
    calendars read through the configuration's generation."""
    with monkeypatch.context() as m:
        m.setattr(IncidentViewSet, "written_ids", lambda self, request: None)
        m.setattr(VisibleRelationsSerializer, "to_representation", serializers.Serializer.to_representation)
        m.setattr(calendars, "held", lambda pk, version: None)
        return client.get(url)


@pytest.mark.parametrize("query", ["", "?page_size=4", "?page_size=4&page=2&ordering=priority",
                                   "?state=new&page_size=3",
                                   "?assignment_group={team}&state=new&page=2&page_size=4"])
def test_a_page_is_drf_s_answer_byte_for_byte(world, agent_api, query, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW + dt.timedelta(hours=3))  # one instant for the counts
    url = LIST + query.format(team=world["team"].pk)
    expected = drf_s_answer(monkeypatch, agent_api, url)
    response = agent_api.get(url)
    assert response.status_code == expected.status_code == 200
    assert response.content == expected.content
    body = response.json()
    assert any(clock["state"] == "running" and clock["elapsed_business_seconds"] > 0
               for row in body["results"] for clock in row["slas"])
    users = [row["caller_detail"] for row in body["results"]]
    assert len(users) > len({user["id"] for user in users})  # a user shown on several rows


def test_a_held_calendar_needs_no_generation_and_its_change_shows(world, agent_api, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW + dt.timedelta(hours=3))
    agent_api.get(LIST)  # the calendar built once in this process
    read = []
    real = memo.generation
    monkeypatch.setattr(memo, "generation",
                        lambda *args, **kwargs: read.append(args) or real(*args, **kwargs))
    first = agent_api.get(LIST).json()
    assert read == []  # the running clocks' calendar found by its version
    # The calendar's hours cut to one a day (its version moves): the next page counts by them.
    for interval in WorkingInterval.objects.filter(calendar=world["calendar"]):
        interval.start, interval.end = dt.time(9), dt.time(10)
        interval.save()
    after = agent_api.get(LIST)
    assert after.content == drf_s_answer(monkeypatch, agent_api, LIST).content
    counts = [c["elapsed_business_seconds"] for row in first["results"] for c in row["slas"]
              if c["state"] == "running"]
    counted = [c["elapsed_business_seconds"] for row in after.json()["results"] for c in row["slas"]
               if c["state"] == "running"]
    assert counts != counted
