"""The dependency picture: which CIs each level shows, the "+ N more" count, the expanded
level, and the full-screen page (constant queries, bad input ignored, 404 for no CI)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cmdb import graph, picture
from cmdb.tests.factories import make_ci, relate

pytestmark = pytest.mark.django_db


def wide_service(apps=52):
    """A business service needing `apps` applications, each running on its own VM."""
    service = make_ci("Online banking", "business_service")
    apps_made = []
    for i in range(apps):
        app = make_ci(f"bank-app-{i:02d}", "application")
        relate(service, app)
        relate(app, make_ci(f"vm-bank-{i:02d}", "virtual_machine"), "runs_on")
        apps_made.append(app)
    return service, apps_made


def test_a_wide_level_shows_twelve_and_counts_the_rest():
    service, _apps = wide_service(52)
    layers, edges, hidden = graph.neighbourhood(service, depth=3)
    assert [len(layers[level]) for level in sorted(layers)] == [1, 12, 12]
    assert hidden == {1: 40, 2: 40}
    assert [ci.name for ci in layers[1]][:2] == ["bank-app-00", "bank-app-01"]
    # only edges between drawn CIs come back
    drawn = {ci.pk for members in layers.values() for ci in members}
    assert all(edge.source_id in drawn and edge.target_id in drawn for edge in edges)


def test_an_expanded_level_shows_all_its_cis():
    service, _apps = wide_service(52)
    layers, _edges, hidden = graph.neighbourhood(service, depth=3, expand={1})
    assert len(layers[1]) == 52 and hidden == {2: 40}


def test_the_picture_links_the_more_node_to_the_expanded_full_screen_view():
    service, _apps = wide_service(20)
    url = reverse("cmdb:ci_dependencies", args=[service.pk])
    drawn = picture.ci_picture(service, page_url=url)
    [more_apps, more_vms] = sorted(drawn.diagram.more_nodes, key=lambda node: node.y)
    assert (more_apps.label, more_apps.url) == ("+8 more", f"{url}?expand=1#dependency-picture")
    assert more_vms.url == f"{url}?expand=2#dependency-picture"
    assert ("#198754", "In use") in drawn.statuses
    assert [name for _colour, name in drawn.classes] == ["Application", "Business service", "Virtual machine"]
    expanded = picture.ci_picture(service, expand=["1", "junk", "999"], page_url=url)
    assert expanded.expanded == [1]
    assert [node.url for node in expanded.diagram.more_nodes] == [f"{url}?expand=1&expand=2#dependency-picture"]


def test_business_services_come_first_when_a_level_is_cut_short():
    # given: a database needed by 15 applications and one business service, all one hop away
    database = make_ci("core-db", "database")
    for i in range(15):
        relate(make_ci(f"a-app-{i:02d}", "application"), database)
    relate(make_ci("Zeta payments", "business_service"), database)
    layers, _edges, hidden = graph.neighbourhood(database, depth=1)
    assert layers[-1][0].name == "Zeta payments" and hidden == {-1: 4}


def test_impact_picture_draws_the_affected_cis_below_what_needs_them():
    service, apps = wide_service(3)
    vm = apps[0].outgoing.get().target
    drawn = picture.impact_picture([vm.pk])
    by_name = {node.label: node for node in drawn.diagram.nodes}
    assert set(by_name) == {"vm-bank-00", "bank-app-00", "Online banking"}
    assert by_name["Online banking"].y < by_name["bank-app-00"].y < by_name["vm-bank-00"].y
    assert by_name["vm-bank-00"].focus and not by_name["Online banking"].focus


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_full_screen_view_draws_the_picture_in_constant_queries(client, agent):
    client.force_login(agent)
    service, _apps = wide_service(5)
    url = reverse("cmdb:ci_dependencies", args=[service.pk])
    _queries(client, url)
    few, html = _queries(client, url)
    assert 'data-testid="dependency-graph"' in html and "depgraph-page" in html and "depgraph-more" not in html
    for i in range(5, 40):
        app = make_ci(f"bank-app-{i:02d}", "application")
        relate(service, app)
    many, html = _queries(client, url)
    assert many == few
    assert "+28 more" in html and "1 hop down: 12 of 40 CIs shown." in html
    expanded, html = _queries(client, url + "?expand=1&expand=x")
    assert expanded == few and "bank-app-39" in html and "+28 more" not in html


def test_full_screen_view_of_a_missing_ci_is_404(client, agent):
    client.force_login(agent)
    assert client.get(reverse("cmdb:ci_dependencies", args=[999999])).status_code == 404


def test_ci_page_embeds_the_picture_with_its_controls(client, agent):
    client.force_login(agent)
    service, _apps = wide_service(14)
    html = client.get(service.get_absolute_url()).content.decode()
    assert 'data-depgraph-zoom="in"' in html and "js/depgraph.js" in html
    assert f'href="{reverse("cmdb:ci_dependencies", args=[service.pk])}"' in html
    assert "+2 more" in html
    assert "style=" not in html.split('id="dependency-picture"')[1].split("depgraph-legend")[0]
