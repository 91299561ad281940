"""Dashboards: who sees which, and every figure equals the count of the desk list it links to."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team
from accounts.roles import Role
from core.choices import Channel
from dashboards import access
from dashboards import manager as manager_figures
from dashboards.models import DashboardSnapshot
from dashboards.tests.worlds import build_world
from incidents import measures, services
from incidents.models import Incident

pytestmark = pytest.mark.django_db


def figures_in(node, path=""):
    """Every {"value": int, "url": ...} in a dashboard's figures, with where it sits."""
    if isinstance(node, dict):
        if isinstance(node.get("value"), int) and "url" in node:
            yield path, node
        for key, value in node.items():
            if key not in ("value", "url"):
                yield from figures_in(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from figures_in(value, f"{path}[{i}]")


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def assert_every_figure_matches(client, data):
    checked, seen = 0, set()
    for path, fig in figures_in(data):
        if not fig["url"] or fig["url"].startswith(reverse("approvals")) or fig["url"] in seen:
            continue
        seen.add(fig["url"])
        assert listed(client, fig["url"]) == fig["value"], (path, fig)
        checked += 1
    return checked


@pytest.fixture
def world(agent, other_agent, manager, team, end_user, make_user):
    return build_world(agent=agent, other_agent=other_agent, team=team, end_user=end_user, make_user=make_user)


def test_first_contact_resolution_is_resolved_with_no_reassignment_and_no_reopen(world):
    fcr = set(Incident.objects.filter(measures.first_contact_q()).values_list("title", flat=True))
    not_fcr = set(Incident.objects.filter(measures.not_first_contact_q()).values_list("title", flat=True))
    assert fcr == {"first contact", "last month"}
    assert not_fcr == {"handed on", "reopened"}


def test_manager_figures_equal_their_lists(client, manager, world):
    snapshot = manager_figures.refresh()
    this = {key: values[-1] for key, values in snapshot.data["series"].items()}
    month_start = timezone.localtime(timezone.now()).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    old_open = Incident.objects.get(title="old open").created_at >= month_start  # 10 days ago
    assert this["incidents_opened"]["value"] == 5 + old_open
    assert this["breached"]["value"] == 1
    assert this["incidents_resolved"]["value"] == 3
    assert this["first_contact"]["value"] == 1
    assert this["changes_ended"]["value"] == 3 and this["changes_failed"]["value"] == 1
    assert this["change_success_percent"] == pytest.approx(66.7)
    assert this["emergency_percent"] == pytest.approx(33.3)
    assert snapshot.data["sla"][0]["months"][-1]["percent"] == 50.0
    client.force_login(manager)
    assert assert_every_figure_matches(client, snapshot.data) > 90


def test_the_breach_figure_leads_to_its_tickets(client, manager, world):
    manager_figures.refresh()
    client.force_login(manager)
    page = client.get(reverse("dashboards:manager"))
    breaches = page.context["this"]["breached"]
    assert breaches["value"] == 1
    assert breaches["url"].encode() in page.content.replace(b"&amp;", b"&")
    listed_page = client.get(breaches["url"])
    assert [row.number for row in listed_page.context["page"].object_list] == [world["breached"].number]


def test_agent_and_lead_figures_equal_their_lists(client, agent, world):
    client.force_login(agent)
    figures = client.get(reverse("dashboards:agent")).context["figures"]
    assert figures["incidents"]["value"] == 1  # "mine open"; the others are resolved or moved
    assert assert_every_figure_matches(client, figures) >= 5

    client.force_login(world["lead"])
    blocks = client.get(reverse("dashboards:lead")).context["blocks"]
    assert [block["name"] for block in blocks] == ["Network"]
    network = blocks[0]
    assert network["open"]["value"] == 2 and network["breached"]["value"] == 1
    assert [age["value"] for age in network["ages"]] == [1, 0, 0, 1, 0]
    assert assert_every_figure_matches(client, blocks) >= 10


def test_dashboards_index_opens_the_one_matching_the_role(client, agent, manager, end_user, world):
    index = reverse("dashboards:index")
    for user, target in ((manager, "dashboards:manager"), (world["lead"], "dashboards:lead"),
                         (agent, "dashboards:agent"), (end_user, "portal:home")):
        client.force_login(user)
        assert client.get(index).url == reverse(target)


def test_a_dashboard_someone_may_not_see_does_not_exist_for_them(client, agent, end_user, world):
    client.force_login(end_user)
    for name in ("agent", "lead", "manager"):
        assert client.get(reverse(f"dashboards:{name}")).status_code == 404
    client.force_login(agent)
    assert client.get(reverse("dashboards:lead")).status_code == 404
    assert client.get(reverse("dashboards:manager")).status_code == 404
    client.force_login(world["lead"])
    assert client.get(reverse("dashboards:manager")).status_code == 404
    client.logout()
    assert client.get(reverse("dashboards:agent")).status_code == 302


def test_access_rules_without_http(agent, manager, end_user, world):
    assert access.home(end_user) is None
    assert access.home(agent) == access.AGENT
    assert access.home(world["lead"]) == access.LEAD
    assert access.home(manager) == access.MANAGER
    assert access.can_see(manager, access.LEAD) and not access.can_see(agent, access.LEAD)


def test_manager_page_reads_the_snapshot_in_constant_queries(client, manager, world, django_assert_num_queries):
    manager_figures.refresh()
    client.force_login(manager)
    client.get(reverse("dashboards:manager"))  # warm the session and the user's roles
    # session, user, roles, led teams (tabs), the snapshot, the navigation's approvals.
    with django_assert_num_queries(8, exact=False):
        page = client.get(reverse("dashboards:manager"))
    assert b"Figures as of" in page.content


def test_refresh_replaces_the_one_snapshot_and_shows_its_time(world):
    first = manager_figures.refresh(now=timezone.now() - dt.timedelta(minutes=10))
    second = manager_figures.refresh()
    assert DashboardSnapshot.objects.count() == 1 and second.refreshed_at > first.refreshed_at


def test_a_bad_backlog_instant_is_a_named_filter_error_not_everything(client, manager, world):
    client.force_login(manager)
    page = client.get(reverse("incidents:incident_list"), {"queue": "all", "open_at": "yesterday"})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 0 and page.context["filter_errors"]


def test_live_dashboards_run_a_constant_number_of_queries(client, agent, world, make_user, end_user):
    """More groups, members and incidents do not add queries (the lead's figures are grouped)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(user, name):
        client.force_login(user)
        client.get(reverse(f"dashboards:{name}"))  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"dashboards:{name}")).status_code == 200
        return len(captured)

    lead, agent_before = queries(world["lead"], "lead"), queries(agent, "agent")
    more = Team.objects.create(name="Servers", manager=world["lead"])
    for n in range(3):
        person = make_user(Role.AGENT, username=f"server{n}")
        more.members.add(person)
        services.open_incident(actor=agent, channel=Channel.WEB, title=f"disk {n}", caller=end_user,
                               assignment_group=more, assigned_to=person)
        services.open_incident(actor=agent, channel=Channel.WEB, title=f"mine {n}", caller=end_user,
                               assigned_to=agent)
    assert queries(world["lead"], "lead") == lead
    assert queries(agent, "agent") == agent_before
