"""The API list's id page by a statement written once per process (core.paging.WrittenIds,
incidents.api.views.IncidentViewSet.written_ids, issue 12, seventh round): the same ids, count
and links as the ORM's queryset for every role, ordering and page, one statement serving every
user of a role set with their own visibility, and a bounded number of statements kept."""

import pytest

from accounts.models import Team
from accounts.roles import Role
from core import paging
from core.api.filtering import FilterBackend
from core.choices import Channel
from core.paging import WrittenIds
from incidents import security_services
from incidents.api.views import IncidentViewSet, stand_in
from incidents.filtersets import IncidentFilterSet
from incidents.models import Incident

pytestmark = pytest.mark.django_db
LIST = "/api/v1/incidents/"

ORDERINGS = ["", "-created_at", "number", "-number", "priority,number", "-priority,-created_at",
             "state,title", "-updated_at", "title", "resolved_at,number", "-title,priority", "bogus",
             "bogus,-number"]


@pytest.fixture
def world(open_incident, make_user, agent, end_user, other_end_user, team):
    """Incidents of two callers, of every priority, one of them a security incident that only the
    security group (and its caller, on the portal) may see."""
    soc = make_user(Role.AGENT, username="cert_agent")
    Team.objects.create(name="CERT", is_security=True).members.add(soc)
    for i in range(7):
        open_incident(title=f"Incident {i:02d}", caller=end_user if i % 2 else other_end_user,
                      impact=1 + i % 3, urgency=1 + i % 2, assignment_group=team)
    security_services.flag(open_incident(title="유출 의심", caller=end_user), actor=soc, channel=Channel.WEB,
                           ratings={"confidentiality_impact": "high"}, notes="Forensics started")
    return {
        "agent": agent, "soc": soc, "end_user": end_user, "other_end_user": other_end_user,
        "manager": make_user(Role.MANAGER, username="boss"),
        "auditor": make_user(Role.AUDITOR, username="audit"),
        "admin": make_user(Role.ADMIN, username="root"),
    }


def by_the_orm(monkeypatch, client, url):
    with monkeypatch.context() as m:
        m.setattr(IncidentViewSet, "written_ids", lambda self, request: None)
        return client.get(url)


def written(client, url):
    statements = dict(paging._WRITTEN_IDS)
    response = client.get(url)
    assert len(paging._WRITTEN_IDS) >= len(statements)  # the list went the written way
    return response


@pytest.mark.parametrize("who", ["agent", "soc", "manager", "auditor", "admin", "end_user", "other_end_user"])
def test_every_ordering_and_page_is_the_orm_s(world, who, api_as, monkeypatch):
    client = api_as(world[who])
    for ordering in ORDERINGS:
        for page in ("1", "2", "3", "9", "last", "x"):
            url = f"{LIST}?page_size=3&page={page}" + (f"&ordering={ordering}" if ordering else "")
            expected = by_the_orm(monkeypatch, client, url)
            response = client.get(url)
            assert (response.status_code, response.json()) == (expected.status_code, expected.json()), url


def test_one_statement_serves_every_user_of_a_role_set_with_their_own_visibility(world, api_as, monkeypatch):
    """The agent outside the security group and the group's member share the agents' statement; the
    two callers share the end users'. Each sees what visible_to gives them."""
    monkeypatch.setattr(paging, "_WRITTEN_IDS", {})
    seen = {}
    for who in ("agent", "soc", "end_user", "other_end_user"):
        body = api_as(world[who]).get(f"{LIST}?page_size=50").json()
        seen[who] = [row["id"] for row in body["results"]]
        expected = Incident.objects.visible_to(world[who]).order_by("-created_at").values_list("pk",
                                                                                                flat=True)
        assert seen[who] == list(expected) and body["count"] == len(expected)
    assert len(paging._WRITTEN_IDS) == 2  # agents (the group's member too), end users
    flagged = Incident.objects.get(is_security=True)
    assert flagged.pk in seen["soc"] and flagged.pk not in seen["agent"] and flagged.pk in seen["end_user"]
    assert len(seen["soc"]) == 8 and len(seen["agent"]) == 7 and set(seen["end_user"]).isdisjoint(
        seen["other_end_user"])


def test_a_new_incident_is_on_the_next_page_read(world, api_as, open_incident, monkeypatch):
    for who, ordering in (("agent", ""), ("end_user", "-number"), ("soc", "-created_at")):
        client = api_as(world[who])
        url = f"{LIST}?page_size=2" + (f"&ordering={ordering}" if ordering else "")
        before = written(client, url).json()
        new = open_incident(title=f"New for {who}", caller=world["end_user"])
        after = written(client, url).json()
        assert after["results"][0]["id"] == new.pk and after["count"] == before["count"] + 1
        assert after == by_the_orm(monkeypatch, client, url).json()


def test_a_filter_not_written_or_a_search_goes_the_orm_s_way(world, agent_api, monkeypatch):
    monkeypatch.setattr(paging, "_WRITTEN_IDS", {})
    for url in (f"{LIST}?queue=open", f"{LIST}?search=", f"{LIST}?search=Incident",
                f"{LIST}?created_after=2020-01-01&page=1"):
        assert agent_api.get(url).status_code == 200
    assert paging._WRITTEN_IDS == {}
    agent_api.get(f"{LIST}?page_size=5&ordering=priority&page=1&format=json")
    assert len(paging._WRITTEN_IDS) == 1


def test_the_written_parameters_name_no_filter():
    """What the list may carry to be written (FilterBackend's rule: a parameter names a filter when
    it starts with the filter's name); a search is a filter of its own and a backend's."""
    names = IncidentFilterSet.base_filters
    assert not [(param, name) for param in IncidentViewSet.WRITTEN_LIST_PARAMS for name in names
                if param.startswith(name)]
    assert FilterBackend in IncidentViewSet.filter_backends
    assert "search" not in IncidentViewSet.WRITTEN_LIST_PARAMS


def test_the_statements_kept_are_bounded(world, monkeypatch):
    monkeypatch.setattr(paging, "_WRITTEN_IDS", {})
    agent = world["agent"]

    def build(user):
        return Incident.objects.visible_to(user).order_by("-created_at").values_list("pk", flat=True)

    expected = list(build(agent)[1:4])
    for n in range(paging.WRITTEN_IDS_KEPT + 20):
        ids = WrittenIds(("test", n), build, agent, stand_in(agent))
        assert ids[1:4] == expected
        assert [pk for pk, _count in ids.counted_page(1, 4, 10_000)] == expected
        assert len(paging._WRITTEN_IDS) <= paging.WRITTEN_IDS_KEPT
    assert ("test", paging.WRITTEN_IDS_KEPT + 19) in {key for key, _form, _cap in paging._WRITTEN_IDS}
    assert ("test", 0) not in {key for key, _form, _cap in paging._WRITTEN_IDS}


def test_what_the_statement_does_not_cover_is_the_orm_s(world, monkeypatch):
    monkeypatch.setattr(paging, "_WRITTEN_IDS", {})
    agent = world["agent"]

    def build(user):
        return Incident.objects.visible_to(user).order_by("number").values_list("pk", flat=True)

    ids = WrittenIds(("other",), build, agent, stand_in(agent))
    orm = build(agent)
    assert ids[2] == orm[2] and list(ids[::2]) == list(orm[::2]) and ids.count() == orm.count() == 7
    assert list(ids) == list(orm) and len(ids) == 7 and ids.ordered
    nothing = WrittenIds(("none",), lambda user: Incident.objects.none().values_list("pk", flat=True), agent,
                         stand_in(agent))
    assert list(nothing[0:5]) == [] and nothing.counted_page(0, 5, 10) == []



def test_a_first_page_keeps_one_plan_and_later_pages_are_planned_with_their_offset(world, api_as):
    """Issue 12, eighth round: a first page's statement has its LIMIT in the text and is prepared,
    so PostgreSQL keeps a generic plan for it; a later page's LIMIT and OFFSET stay parameters."""
    from django.db import connection

    from core import prepared

    if not prepared.enabled(connection):
        pytest.skip("statements are prepared with psycopg2 only")
    client = api_as(world["agent"])
    first = [client.get(LIST, {"page_size": 3}).json()["results"] for _ in range(7)]
    assert all(page == first[0] for page in first)
    second = client.get(LIST, {"page_size": 3, "page": 2}).json()["results"]
    assert {row["id"] for row in second}.isdisjoint({row["id"] for row in first[0]})
    # This test's statement by its name on the connection, the first page used last (the registry
    # is in the order of use): a test worker's connection holds other tests' first pages too, of
    # other roles and orderings, some not run five times.
    names = prepared._registries[connection.connection].names
    name = [name for sql, name in names.items()
            if sql.endswith(" LIMIT 4") and '"incidents_incident"."id" AS "pk"' in sql][-1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans FROM pg_prepared_statements WHERE name = %s", [name])
        assert cursor.fetchone()[0] >= 1


def test_a_page_s_clocks_keep_one_plan(world, api_as):
    """Issue 12, ninth round: the clocks of a list's tickets are read by a prepared statement whose
    values the planner cannot see, so PostgreSQL keeps a generic plan instead of planning it
    again for every page (its custom plans looked cheaper with the ticket ids in view)."""
    from django.db import connection

    from core import prepared

    if not prepared.enabled(connection):
        pytest.skip("statements are prepared with psycopg2 only")
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from incidents.models import Incident
    from sla.models import SLAClock
    from sla.tests.factories import make_calendar, make_definition

    definition, now = make_definition(calendar=make_calendar()), timezone.now()
    incidents = ContentType.objects.get_for_model(Incident)
    SLAClock.objects.bulk_create(
        SLAClock(content_type=incidents, object_id=10_000 + n, definition=definition, kind="response",
                 target_minutes=60, started_at=now) for n in range(300))
    with connection.cursor() as cursor:  # statistics as a desk's: the ticket ids' look-up looks cheap
        cursor.execute("ANALYZE sla_slaclock")
    client = api_as(world["agent"])
    pages = [client.get(LIST, {"page_size": 3}).json()["results"] for _ in range(7)]
    assert all(page == pages[0] for page in pages) and pages[0]
    names = prepared._registries[connection.connection].names
    name = [name for sql, name in names.items() if '"sla_slaclock" c' in sql][-1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans FROM pg_prepared_statements WHERE name = %s", [name])
        assert cursor.fetchone()[0] >= 1
