"""The desk list every ticket type declares on core.ticket_views.TicketListView."""

import re

import pytest
from django.urls import reverse

from changes.tests.factories import make_change
from core.choices import Channel
from incidents import services as incident_services
from problems import services as problem_services

pytestmark = pytest.mark.django_db

INCIDENTS = reverse("incidents:incident_list")
CHANGES = reverse("changes:change_list")
PROBLEMS = reverse("problems:problem_list")
CIS = reverse("cmdb:ci_list")


def open_incident(agent, caller, title="VPN drops every hour"):
    return incident_services.open_incident(actor=agent, channel=Channel.WEB, caller=caller, title=title)


def invalid_filter_alert(response):
    match = re.search(r'<div class="alert alert-warning" role="alert" data-testid="invalid-filter">.*?</div>',
                      response.content.decode(), re.S)
    assert match, "the list shows no invalid-filter message"
    return match.group(0)


def without_items(alert):
    """The message with the list of refused filters taken out (that part names each list's fields)."""
    return re.sub(r"<ul.*?</ul>", "", alert, flags=re.S)


def test_an_invalid_filter_gives_the_same_message_on_every_list_and_lists_nothing(client, agent, end_user):
    open_incident(agent, end_user)
    make_change(agent)
    problem_services.create_problem(actor=agent, channel=Channel.WEB, title="Mail queue stalls")
    client.force_login(agent)

    incidents = client.get(INCIDENTS, {"queue": "all", "created_after": "yesterday"})
    changes = client.get(CHANGES, {"planned_after": "next week"})
    problems = client.get(PROBLEMS, {"created_after": "soon"})
    cis = client.get(CIS, {"criticality": "urgent"})

    alerts = [invalid_filter_alert(r) for r in (incidents, changes, problems, cis)]
    assert len({without_items(a) for a in alerts}) == 1
    assert "Some filters could not be applied, so nothing is listed." in alerts[0]
    assert "Created from" in alerts[0]
    assert list(incidents.context["page"].object_list) == []
    assert list(changes.context["page"].object_list) == []
    assert list(problems.context["problems"]) == []
    assert all(r.status_code == 200 for r in (incidents, changes, problems, cis))


def test_valid_filters_show_no_invalid_filter_message(client, agent, end_user):
    open_incident(agent, end_user)
    client.force_login(agent)
    response = client.get(INCIDENTS, {"queue": "all", "created_after": "2020-01-01T00:00:00Z"})
    assert b'data-testid="invalid-filter"' not in response.content
    assert len(response.context["page"].object_list) == 1


def test_htmx_gets_the_rows_fragment_and_a_boosted_request_the_page(client, agent):
    make_change(agent, title="Rotate TLS certificates")
    client.force_login(agent)

    fragment = client.get(CHANGES, {"q": "TLS"}, HTTP_HX_REQUEST="true")
    boosted = client.get(CHANGES, {"q": "TLS"}, HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")

    assert b"<html" not in fragment.content and b'data-testid="change-row"' in fragment.content
    assert b"<html" in boosted.content
    assert fragment["Vary"].count("HX-Request") == 1


def test_sorting_by_a_declared_field_and_ignoring_an_unknown_one(client, agent):
    beta = make_change(agent, title="Beta upgrade")
    alpha = make_change(agent, title="Alpha upgrade")
    client.force_login(agent)

    def numbers(ordering):
        response = client.get(CHANGES, {"ordering": ordering})
        return [c.pk for c in response.context["page"].object_list], response.context["ordering"]

    assert numbers("number") == ([beta.pk, alpha.pk], "number")
    assert numbers("-number") == ([alpha.pk, beta.pk], "-number")
    # Not a declared sort field: the list keeps its default order (newest first) and no column is marked.
    assert numbers("title; drop table") == ([alpha.pk, beta.pk], "")


def test_paging_keeps_the_filters_in_the_page_links(client, agent):
    for i in range(27):
        make_change(agent, title=f"Patch batch {i}", start=None)
    client.force_login(agent)
    response = client.get(CHANGES, {"q": "batch", "page": 2})
    assert len(response.context["page"].object_list) == 2
    assert response.context["query"] == "q=batch"


def test_incident_queue_query_count_is_pinned(client, agent, end_user, django_assert_num_queries):
    for i in range(3):
        open_incident(agent, end_user, title=f"Printer {i} offline")
    client.force_login(agent)
    client.get(INCIDENTS, {"queue": "all"})  # session and caches warm
    with django_assert_num_queries(PINNED_INCIDENT_QUEUE_QUERIES):
        response = client.get(INCIDENTS, {"queue": "all"})
    assert len(response.context["page"].object_list) == 3


# Session, user, roles; COUNT, the id page, its rows, callers, SLA clocks; the filter sidebar's
# choices (groups, agents, categories, services); the queue tabs' counts (one aggregate) and the
# calendars their breaching-soon window is measured on; the navigation's "My approvals" count (one
# query for an agent who can decide nothing). A new query here is a regression to explain.
# 17 -> 18 (issue 12): the tab counts are one aggregate over open and resolved incidents plus a
# COUNT of all, instead of one aggregate evaluating every filter on every incident (56 -> ~8 ms
# at 100,000 incidents).
# 18 -> 19 (issue 13): "My approvals" asks the service requests' source too (one query over the
# waiting items' plans, through a partial index).
# 19 -> 20 (issue 12, third round): the Major tab is counted apart (its own partial index), so that
# the open-work tabs read the open incidents' covering index alone, without visiting the table.
# 20 -> 13: the filter and bulk forms' lists (teams, once for both; agents twice; categories;
# services) and the breaching-soon window's calendars are kept per process (core.choices_memo, core.memo).
# 13 -> 12 (issue 12, fifth round): the approvals badge is one statement for every source.
# 12 -> 11: the user's roles are kept per process (accounts.roles.membership).
# 11 -> 9 (issue 12, sixth round): the tab counts (the open-work tabs' aggregate, Major and the
# capped All) are one statement, compiled once per person (incidents.filtersets.queue_counts).
# 9 -> 8: the page's rows, their related rows' names and clocks in two statements written once per
# process (incidents.views.queue_rows), not the rows, clocks and one look-up per related model.
PINNED_INCIDENT_QUEUE_QUERIES = 8
