"""Desk pages: rendering, permissions, forms handing to services, constant list queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.models import Comment
from problems.models import Problem
from problems.tests.factories import make_ci, make_incident, make_known_error, make_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, agent):
    client.force_login(agent)
    return client


def test_pages_render(desk, agent, end_user):
    incident = make_incident(end_user)
    problem = make_problem(agent, incidents=[incident], configuration_items=[make_ci()])
    make_known_error(agent)
    for url in (reverse("problems:problem_list"), reverse("problems:known_error_list"),
                reverse("problems:problem_create"), problem.get_absolute_url(),
                reverse("problems:problem_update", args=[problem.pk]),
                reverse("problems:known_error_list") + f"?q=VPN&incident={incident.pk}",
                reverse("problems:problem_list") + "?state=new&search=printer&known_error=false"):
        response = desk.get(url)
        assert response.status_code == 200, url
    html = desk.get(problem.get_absolute_url()).content.decode()
    assert incident.number in html and 'data-testid="timeline"' in html


def test_list_htmx_returns_rows_only(desk, agent):
    make_problem(agent)
    response = desk.get(reverse("problems:problem_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_end_user_refused(client, end_user, agent):
    problem = make_problem(agent)
    client.force_login(end_user)
    assert client.get(reverse("problems:problem_list")).status_code == 403
    assert client.get(problem.get_absolute_url()).status_code == 403


def test_anonymous_redirected_to_login(client):
    response = client.get(reverse("problems:problem_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_create_from_incidents(desk, end_user):
    first, second = make_incident(end_user, title="A"), make_incident(end_user, title="B")
    url = reverse("problems:problem_create") + f"?incidents={first.pk},{second.pk}"
    assert first.number in desk.get(url).content.decode()
    response = desk.post(url, {"title": "Shared cause", "incidents": f"{first.pk},{second.pk}"})
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == problem.get_absolute_url()
    assert set(problem.incidents.all()) == {first, second}


def test_invalid_transition_shows_form_error(desk, agent):
    problem = make_problem(agent)
    response = desk.post(reverse("problems:problem_transition", args=[problem.pk]),
                         {"state": "resolved", "version": problem.version})
    assert response.status_code == 400
    assert "root cause" in response.content.decode()
    problem.refresh_from_db()
    assert problem.state == "new"


def test_stale_edit_shows_error_and_changes_nothing(desk, agent):
    problem = make_problem(agent, title="Original")
    data = {"title": "Mine", "version": 0}
    response = desk.post(reverse("problems:problem_update", args=[problem.pk]), data)
    assert response.status_code == 400
    problem.refresh_from_db()
    assert problem.title == "Original"


def test_link_and_unlink_incident_by_number(desk, agent, end_user):
    problem = make_problem(agent)
    incident = make_incident(end_user)
    url = reverse("problems:problem_link", args=[problem.pk])
    desk.post(url, {"field": "incidents", "reference": incident.number})
    assert list(problem.incidents.all()) == [incident]
    desk.post(url, {"field": "incidents", "unlink": str(incident.pk)})
    assert problem.incidents.count() == 0
    response = desk.post(url, {"field": "incidents", "reference": "INC9999999"}, follow=True)
    assert "No record matches" in response.content.decode()


def test_work_note_on_problem(desk, agent):
    problem = make_problem(agent)
    desk.post(reverse("problems:problem_comment", args=[problem.pk]), {"body": "Vendor ticket 4711 opened"})
    note = Comment.objects.for_object(problem).get()
    assert note.internal is True and note.body == "Vendor ticket 4711 opened"


def test_raise_change_button(desk, agent):
    problem = make_problem(agent, root_cause="Index bloat")
    response = desk.post(reverse("problems:problem_raise_change", args=[problem.pk]))
    change = problem.changes.get()
    assert response.status_code == 302 and response["Location"] == change.get_absolute_url()


def _list_queries(client, count, agent, end_user):
    incidents = [make_incident(end_user, title=f"i{n}") for n in range(2)]
    for n in range(count - Problem.objects.count()):
        make_problem(agent, title=f"P{n}", incidents=incidents)
    client.get(reverse("problems:problem_list"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("problems:problem_list") + "?page=1")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_page_query_count_constant(desk, agent, end_user):
    assert _list_queries(desk, 10, agent, end_user) == _list_queries(desk, 100, agent, end_user)


def test_known_error_page_query_count_constant(desk, agent):
    def count(n):
        for i in range(n - Problem.objects.count()):
            make_known_error(agent, title=f"KE {i}", configuration_items=[make_ci()])
        with CaptureQueriesContext(connection) as ctx:
            desk.get(reverse("problems:known_error_list"))
        return len(ctx.captured_queries)

    assert count(5) == count(30)


def test_pages_translated_to_korean(desk, agent):
    make_known_error(agent)
    response = desk.get(reverse("problems:known_error_list"), HTTP_ACCEPT_LANGUAGE="ko")
    html = response.content.decode()
    assert "알려진 오류 데이터베이스" in html
    assert "임시 해결책" in html


def test_incident_timeline_shows_the_raised_problem(desk, agent, end_user):
    # given
    from core.selectors import timeline
    from problems import services

    incident = make_incident(end_user, title="Disk full")
    problem = services.raise_problem_from_incidents([incident], actor=agent, channel="web")
    # when
    with translation.override("en"):
        items = timeline(incident, include_internal=True)
    # then
    [item] = [i for i in items if i.kind == "change"]
    assert [(label, new) for label, _old, new in item.changes] == [("problems", str(problem))]
    assert desk.get(incident.get_absolute_url()).status_code == 200
