"""The create path runs a fixed number of queries (issue 12): pinned here, each one named.

The world is the bench's: an SLA definition that applies (two clocks start), an assignment rule
that routes, a caller and an agent in the group."""

import re

import pytest
from django.urls import reverse

from incidents import search
from incidents.models import AssignmentRule, Incident
from sla.models import SLAClock
from sla.tests.factories import make_calendar, make_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(team):
    make_definition(calendar=make_calendar())
    AssignmentRule.objects.create(name="everything to the desk", assignment_group=team)


def test_api_create_runs_a_fixed_number_of_queries(agent_api, world, end_user, django_assert_num_queries):
    agent_api.post("/api/v1/incidents/", {"title": "warm-up"}, format="json")  # content types cached
    # 1 the API token with the agent's role names (check_creatable), 2 the caller (serializer
    # field), BEGIN, 3 INSERT incident with its number (the sequence's upsert in the same
    # statement), 4 INSERT audit row, response and resolution clocks and their start events, the
    # outbox event and its deliveries (one statement: core.rows holds the first three back for
    # the outbox's), COMMIT. No
    # savepoint: open_incident's transaction is the create's. The assignment rules and the SLA
    # definitions with their targets were read by the warm-up and are kept by the process
    # (core.memo). The answer reads nothing back: the row, its caller and group, and the clocks
    # just started (with their definitions and calendar) are in memory.
    with django_assert_num_queries(6):
        response = agent_api.post("/api/v1/incidents/", {"title": "VPN down", "caller": end_user.pk,
                                                         "impact": 2, "urgency": 2}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["assignment_group"] is not None and len(body["slas"]) == 2
    # Searchable at once through the index on its own words; no document is stored in the row.
    created = Incident.objects.get(number=body["number"])
    assert created.search_vector is None and created in search.apply(Incident.objects.all(), "vpn down")
    assert SLAClock.objects.filter(object_id=body["id"]).count() == 2


def test_desk_create_runs_a_fixed_number_of_queries(client, agent, world, end_user, django_assert_num_queries):
    client.force_login(agent)
    url = reverse("incidents:incident_create")
    client.post(url, {"title": "warm-up", "caller": end_user.pk, "impact": 3, "urgency": 3})
    # 1 the session, 2 the agent, 3 the caller (form field), BEGIN, 4 INSERT incident with its
    # number (one statement), 5 INSERT audit row, the two clocks and their start events, the
    # outbox event with its deliveries (one statement), COMMIT (rules,
    # definitions and the agent's role names: kept by the process since the warm-up). The answer
    # is a redirect: nothing is read back.
    with django_assert_num_queries(7):
        response = client.post(url, {"title": "VPN down", "caller": end_user.pk, "impact": 2, "urgency": 2})
    incident = Incident.objects.get(title="VPN down")
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert incident.assignment_group is not None and incident.sla_clocks.count() == 2


def test_the_answer_built_in_memory_is_what_a_read_gives(agent_api, world, end_user, team):
    response = agent_api.post("/api/v1/incidents/", {"title": "Printer jams", "description": "floor 3",
                                                     "caller": end_user.pk, "impact": 1, "urgency": 2},
                              format="json")
    created = response.json()
    read = agent_api.get(f"/api/v1/incidents/{created['id']}/").json()
    for body in (created, read):
        for clock in body["slas"]:
            clock.pop("elapsed_business_seconds")  # live: it moves between the two requests
    assert response.status_code == 201 and created == read
    assert [c["kind"] for c in created["slas"]] == ["resolution", "response"]


def test_the_answer_of_a_create_is_byte_for_byte_what_a_read_renders(agent_api, world, end_user, team):
    """The same bytes, keys in the same order, as the detail's answer (the clocks' live count
    aside): the answer built in memory is rendered by the same renderer from the same dict."""
    response = agent_api.post("/api/v1/incidents/", {"title": "Printer jams", "description": "floor 3",
                                                     "caller": end_user.pk, "impact": 1, "urgency": 2},
                              format="json")
    read = agent_api.get(f"/api/v1/incidents/{response.json()['id']}/")
    live = re.compile(rb'"elapsed_business_seconds":\d+')
    assert response.status_code == 201 and live.sub(b"", response.content) == live.sub(b"", read.content)


def test_the_clocks_left_on_a_created_ticket_answer_all_from_memory_and_filter_from_the_table(
        agent, world, django_assert_num_queries):
    """The created ticket's clocks are its prefetched ones; a filter on them still reads the table,
    through the relation's own filter (sla.hooks._related_queryset)."""
    from core.choices import Channel
    from incidents import services

    other = services.open_incident(actor=agent, channel=Channel.WEB, title="other")
    incident = services.open_incident(actor=agent, channel=Channel.WEB, title="mine")
    with django_assert_num_queries(0):
        clocks = list(incident.sla_clocks.all())
    assert sorted(c.kind for c in clocks) == ["resolution", "response"]
    with django_assert_num_queries(1):
        response = list(incident.sla_clocks.filter(kind="response"))
    assert [c.pk for c in response] == [c.pk for c in clocks if c.kind == "response"]
    assert set(incident.sla_clocks.values_list("object_id", flat=True)) == {incident.pk} != {other.pk}


def test_a_changed_rule_or_definition_is_read_again(agent_api, world, team, django_assert_num_queries):
    """The process keeps rules and definitions between requests, but never past a change."""
    from accounts.models import Team
    from sla.models import SLATarget

    agent_api.post("/api/v1/incidents/", {"title": "warm-up"}, format="json")
    other = Team.objects.create(name="Network")
    AssignmentRule.objects.update(active=False)  # a bulk update sends no signal...
    AssignmentRule.objects.create(name="to network", assignment_group=other, order=1)  # ...a save does
    SLATarget.objects.update(resolution_minutes=30)
    SLATarget.objects.first().save()
    body = agent_api.post("/api/v1/incidents/", {"title": "VPN down", "impact": 2, "urgency": 2},
                          format="json").json()
    assert body["assignment_group"] == other.pk
    assert {c["kind"]: c["target_minutes"] for c in body["slas"]}["resolution"] == 30


def test_a_create_that_fails_after_its_writes_leaves_nothing_and_spends_no_number(agent, world):
    """The create has no savepoint of its own (open_incident's transaction is the create's): a
    failure after the row, the audit row, the clocks and the outbox event were written (a refused
    attachment) rolls all of them back, the number with them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.choices import Channel
    from core.exceptions import DomainError
    from core.models import AuditEntry, Delivery, OutboxEvent
    from incidents import services
    from sla.models import ClockEvent

    first = services.open_incident(actor=agent, channel=Channel.WEB, title="first")
    tables = (Incident, AuditEntry, SLAClock, ClockEvent, OutboxEvent, Delivery)
    before = [model.objects.count() for model in tables]
    with pytest.raises(DomainError):
        services.open_incident(actor=agent, channel=Channel.WEB, title="second",
                               files=[SimpleUploadedFile("run.exe", b"MZ")])
    assert [model.objects.count() for model in tables] == before
    third = services.open_incident(actor=agent, channel=Channel.WEB, title="third")
    assert int(third.number[3:]) == int(first.number[3:]) + 1
    assert third.sla_clocks.count() == 2 and OutboxEvent.objects.filter(object_id=third.pk).exists()


def test_the_number_allocated_in_the_insert_is_the_one_format_gives(agent, world):
    """The first number of a type, then the next ones, past the padding's width too."""
    from core.choices import Channel
    from core.models import NumberSequence
    from incidents import services

    NumberSequence.objects.filter(prefix="INC").delete()
    first = services.open_incident(actor=agent, channel=Channel.WEB, title="first")
    assert first.number == NumberSequence.format("INC", NumberSequence.FIRST_VALUE) == "INC0001001"
    NumberSequence.objects.filter(prefix="INC").update(last_value=9_999_998)
    numbers = [services.open_incident(actor=agent, channel=Channel.WEB, title=str(i)).number
               for i in range(2)]
    assert numbers == ["INC9999999", "INC10000000"]
    assert numbers == [NumberSequence.format("INC", n) for n in (9_999_999, 10_000_000)]
    stored = Incident.objects.filter(number__in=numbers).order_by("id").values_list("number", flat=True)
    assert list(stored) == numbers
