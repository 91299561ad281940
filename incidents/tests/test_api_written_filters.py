"""A filtered API list's id page by a statement written once per process per filter shape
(core.api.filtering.written_filters, core.paging.WrittenIds; issue 12, eighth round): the same
status and body as django-filter's and the ORM's path for many filter combinations, every role
set and page, the same 400s for bad values, one statement for every value of a shape."""

import itertools

import pytest

from accounts.models import Team
from accounts.roles import Role
from core import paging
from core.api import filtering
from core.choices import Channel
from incidents import security_services
from incidents.api.views import IncidentViewSet
from incidents.choices import IncidentChannel, IncidentState
from incidents.models import Incident

pytestmark = pytest.mark.django_db
LIST = "/api/v1/incidents/"


@pytest.fixture
def world(open_incident, make_user, agent, other_agent, end_user, other_end_user, team, network, estate,
          second_team_agent):
    """Incidents across states, priorities, channels, groups, assignees, callers, categories,
    services and a major incident with children; one security incident only the security group
    (and its caller) may see."""
    soc = make_user(Role.AGENT, username="cert_agent")
    cert = Team.objects.create(name="CERT", is_security=True)
    cert.members.add(soc)
    net, net_agent = second_team_agent
    parent_category, vpn = network
    groupware, mail = estate
    states = [IncidentState.NEW, IncidentState.IN_PROGRESS, IncidentState.ON_HOLD, IncidentState.RESOLVED,
              IncidentState.CLOSED]
    channels = [IncidentChannel.AGENT, IncidentChannel.EMAIL, IncidentChannel.PORTAL]
    major = open_incident(title="Major outage", is_major=True, assignment_group=team, impact=1, urgency=1)
    made = [major]
    for i in range(14):
        made.append(open_incident(
            title=f"Incident {i:02d}", caller=end_user if i % 2 else other_end_user,
            impact=1 + i % 3, urgency=1 + (i // 3) % 3,
            category=parent_category if i % 4 == 1 else None, subcategory=vpn if i % 8 == 1 else None,
            service=groupware if i % 5 == 0 else None, configuration_item=mail if i % 5 == 0 else None,
            parent=major if i % 6 == 0 else None,
        ))
    for i, incident in enumerate(made):  # the data as the filters see it, not as the services route it
        Incident.objects.filter(pk=incident.pk).update(
            state=states[i % len(states)], channel=channels[i % len(channels)],
            assignment_group=[team, net, None][i % 3],
            assigned_to=[agent, other_agent, None, net_agent][i % 4] if i % 3 != 2 else None)
    security_services.flag(open_incident(title="유출 의심", caller=end_user, assignment_group=team), actor=soc,
                           channel=Channel.WEB, ratings={"confidentiality_impact": "high"}, notes="Forensics")
    return {
        "users": {"agent": agent, "soc": soc, "end_user": end_user, "other_end_user": other_end_user,
                  "manager": make_user(Role.MANAGER, username="boss"),
                  "auditor": make_user(Role.AUDITOR, username="audit"),
                  "admin": make_user(Role.ADMIN, username="root")},
        "team": team, "net": net, "cert": cert, "agent": agent, "other_agent": other_agent,
        "end_user": end_user, "category": parent_category, "vpn": vpn, "groupware": groupware, "mail": mail,
        "major": major,
    }


def by_the_orm(monkeypatch, client, url):
    with monkeypatch.context() as m:
        m.setattr(IncidentViewSet, "written_ids", lambda self, request: None)
        return client.get(url)


def same(monkeypatch, client, url):
    expected = by_the_orm(monkeypatch, client, url)
    response = client.get(url)
    assert (response.status_code, response.json()) == (expected.status_code, expected.json()), url
    return response


def filter_queries(w):
    """Filter queries the written statement takes: one or two filters of every kind, several values."""
    return [
        "state=new", "state=in_progress&state=new", "state=closed&state=resolved&state=on_hold",
        "priority=1", "priority=2&priority=4&priority=5", "channel=email", "channel=agent&channel=portal",
        f"assignment_group={w['team'].pk}", f"assignment_group={w['net'].pk}",
        f"assignment_group={w['cert'].pk}", f"state=in_progress&assignment_group={w['team'].pk}",
        f"state=new&state=on_hold&assignment_group={w['net'].pk}",
        f"assigned_to={w['agent'].pk}", f"assigned_to={w['other_agent'].pk}&priority=2&priority=3",
        f"caller={w['end_user'].pk}", f"caller={w['end_user'].pk}&state=resolved",
        f"category={w['category'].pk}", f"subcategory={w['vpn'].pk}",
        f"category={w['category'].pk}&subcategory=",
        f"service={w['groupware'].pk}", f"configuration_item={w['mail'].pk}", f"parent={w['major'].pk}",
        "is_major=true", "is_major=false&state=new", "is_major=maybe", "is_major=1&is_major=0",
        f"assignment_group={w['team'].pk}&assignment_group={w['net'].pk}",  # the last one counts
        "assignment_group=&state=new", "state=new&state=new",
    ]


@pytest.mark.parametrize("who", ["agent", "soc", "manager", "auditor", "admin", "end_user", "other_end_user"])
def test_every_filter_combination_is_the_orm_s_for_every_role(world, who, api_as, monkeypatch):
    monkeypatch.setattr(paging, "_WRITTEN_IDS", {})
    client = api_as(world["users"][who])
    for query in filter_queries(world):
        for ordering, page in (("", "1"), ("priority,number", "2"), ("-title", "last"), ("bogus", "4")):
            url = f"{LIST}?page_size=2&page={page}&{query}" + (f"&ordering={ordering}" if ordering else "")
            same(monkeypatch, client, url)
    # the list went the written way: one statement per shape, never one per value
    shapes = {key[3] for key, _form, _cap in paging._WRITTEN_IDS if len(key) == 4}
    assert (("assignment_group", 1),) in shapes and (("state", 1), ("assignment_group", 1)) in shapes
    assert len(shapes) < len(filter_queries(world))


def test_the_written_ids_are_the_orm_s_in_order(world, api_as, monkeypatch):
    """Page by page, the ids in the ORM's order and its count, for every pair of filters."""
    client = api_as(world["users"]["agent"])
    queries = filter_queries(world)
    for first, second in itertools.combinations(queries[:12], 2):
        url = f"{LIST}?page_size=3&{first}&{second}&ordering=-number"
        body = same(monkeypatch, client, url).json()
        assert body["count"] <= Incident.objects.count()


def test_bad_values_answer_the_filter_set_s_400(world, agent_api, monkeypatch):
    w = world
    cases = {
        "assignment_group=999999": "assignment_group", "assignment_group=abc": "assignment_group",
        "assignment_group=5.0": "assignment_group", "assignment_group=-1": "assignment_group",
        "assignment_group=99999999999999999999": "assignment_group",
        f"assigned_to={w['end_user'].pk}": "assigned_to",  # not desk staff
        f"category={w['vpn'].pk}": "category", f"subcategory={w['category'].pk}": "subcategory",
        f"service={w['mail'].pk}": "service",  # a server, not a business service
        "parent=999999": "parent", "caller=0": "caller",
        "state=bogus": "state", "state=new&state=bogus": "state", "priority=9": "priority",
        "priority=01": "priority",
        "channel=NEW": "channel", "state=null": "state",
    }
    for query, field in cases.items():
        for page in ("1", "3", "x", "0", "last"):
            url = f"{LIST}?{query}&page={page}&state=new" if not query.startswith("state") else \
                f"{LIST}?{query}&page={page}"
            response = same(monkeypatch, agent_api, url)
            assert response.status_code == 400 and field in response.json(), url
    same(monkeypatch, agent_api, f"{LIST}?state=bogus&assignment_group=999999")  # both named, in order
    body = agent_api.get(f"{LIST}?state=bogus&assignment_group=999999").json()
    assert set(body) == {"state", "assignment_group"}


def test_a_valid_filter_past_the_last_page_is_a_404(world, agent_api, monkeypatch):
    for page in ("9", "0", "x", "1.0", "99999999999"):
        url = f"{LIST}?state=new&assignment_group={world['team'].pk}&page={page}"
        response = same(monkeypatch, agent_api, url)
        assert response.status_code == 404


def test_filters_it_was_not_written_for_go_the_filter_set_s_way(world, agent_api, monkeypatch):
    monkeypatch.setattr(paging, "_WRITTEN_IDS", {})
    for query in ("queue=mine", "search=Incident", "created_after=2020-01-01", "state=new&queue=open",
                  "states=new", "state=new&sla=running", "breached=yes", "state=new&search=Incident"):
        same(monkeypatch, agent_api, f"{LIST}?{query}")
    assert paging._WRITTEN_IDS == {}


def test_one_statement_for_every_value_and_its_statements_count(world, agent_api, django_assert_num_queries):
    paging._WRITTEN_IDS.clear()
    for group in (world["team"], world["net"], world["cert"]):
        for state in ("new", "in_progress", "closed"):
            agent_api.get(f"{LIST}?state={state}&assignment_group={group.pk}")
    assert len(paging._WRITTEN_IDS) == 1
    # the token, the id page with the group's check, the rows, the clocks: no look-up of the group
    with django_assert_num_queries(4):
        agent_api.get(f"{LIST}?state=new&assignment_group={world['team'].pk}")
    # a page with no row asks the check alone: the token, the page, the check
    with django_assert_num_queries(3):
        body = agent_api.get(f"{LIST}?state=cancelled&assignment_group={world['team'].pk}").json()
    assert body["count"] == 0


def test_written_filters_refuse_what_they_were_not_written_for():
    from incidents.filtersets import IncidentFilterSet

    for name in IncidentViewSet.WRITTEN_FILTERS:
        assert filtering._kind(IncidentFilterSet, name) is not None, name
    for name in ("queue", "search", "created_after", "sla", "breached", "open_at", "sla_definition"):
        assert filtering._kind(IncidentFilterSet, name) is None, name
    # no written filter's name starts another filter's or a list parameter's (FilterBackend's rule)
    names = IncidentFilterSet.base_filters
    assert not [(param, name) for param in IncidentViewSet.WRITTEN_FILTERS for name in names
                if param != name and param.startswith(name)]


def test_the_checks_read_the_filter_s_own_choices(world, agent_api):
    """A group deleted after its statement was written is refused again (400)."""
    gone = Team.objects.create(name="Gone")
    assert agent_api.get(f"{LIST}?assignment_group={gone.pk}").status_code == 200
    gone.delete()
    assert agent_api.get(f"{LIST}?assignment_group={gone.pk}").status_code == 400
