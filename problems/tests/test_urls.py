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
    fragment = pattern.name == "known_error_suggestions"
    for method in (client.get, client.post):
        response = method(url)
        # A page sends the anonymous caller to the log-in; an HTMX fragment cannot redirect, so 401.
        assert response.status_code == (401 if fragment else 302), (url, response.status_code)
        if not fragment:
            assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(end_user)
    for method in (client.get, client.post):
        response = method(url)
        if fragment:
            # Embedded in pages end users never see; answers an empty fragment.
            assert response.status_code == 200
            assert problem.number not in response.content.decode()
        else:
            assert response.status_code == 403, (url, response.status_code)
    problem.refresh_from_db()
    assert problem.version == 1
