"""Every desk URL of the app refuses anonymous users and end users (a meta-test over urls.py)."""

import pytest
from django.urls import URLPattern, reverse

from problems import urls as problem_urls
from problems.tests.factories import make_incident, make_problem

pytestmark = pytest.mark.django_db


def _url(pattern, problem, incident):
    kwargs = {}
    for name in pattern.pattern.converters:
        kwargs[name] = incident.pk if name == "incident_id" else problem.pk
    return reverse(f"problems:{pattern.name}", kwargs=kwargs)


PATTERNS = [p for p in problem_urls.urlpatterns if isinstance(p, URLPattern)]


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.name for p in PATTERNS])
def test_anonymous_and_end_users_refused(client, agent, end_user, pattern):
    problem = make_problem(agent)
    incident = make_incident(end_user)
    url = _url(pattern, problem, incident)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (302, 401), (url, response.status_code)
    client.force_login(end_user)
    for method in (client.get, client.post):
        response = method(url)
        if pattern.name == "known_error_suggestions":
            # Embedded in pages end users never see; answers an empty fragment.
            assert response.status_code in (200, 405)
            assert problem.number not in response.content.decode()
        else:
            assert response.status_code in (403, 404, 405), (url, response.status_code)
    problem.refresh_from_db()
    assert problem.version == 1
