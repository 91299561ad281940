"""An API list's and detail's request, view, response and serializers are freed by reference
counting when the server lets the response go, not left in reference cycles for the garbage
collector (core.api.cycles; issue 12, tenth round: ~400 objects a list, a young collection every
~20 lists)."""

import gc

import pytest
from django.test.client import ClientHandler, RequestFactory
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.models import ApiToken, User
from incidents.api.views import IncidentViewSet
from incidents.models import Incident

pytestmark = pytest.mark.django_db

# What DRF and the rows of an answer are: none of it may be left to the collector.
HELD = (IncidentViewSet, Request, Response, BaseSerializer, Incident, User)


def left_in_cycles(call, caller):
    """The objects of HELD that only the garbage collector would have freed after `call()`, but
    the user who made the request: Django's request holds it, in the cycles of its middleware's
    helpers (messages, htmx), which are not the API's."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        call()
        gc.collect()
        return [type(found).__name__ for found in gc.garbage if issubclass(type(found), HELD)
                and not (type(found) is User and found.pk == caller.pk)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


# The lists whose ids come by a written statement (IncidentViewSet.written_ids). A search, or a
# filter it does not write, goes through django-filter, whose filter set and form are cycles of
# their own that hold the request.
@pytest.mark.parametrize("query", ["", "?page_size=3", "?state=new", "?ordering=number&page=2&page_size=2"])
def test_a_list_leaves_nothing_to_the_collector(open_incident, agent, other_agent, end_user, query):
    for i in range(5):
        incident = open_incident(title=f"Printer {i}", caller=end_user, assigned_to=other_agent)
    _token, key = ApiToken.issue(agent, name="test")
    handler = ClientHandler()
    path, _, query_string = f"/api/v1/incidents/{query}".partition("?")
    environ = RequestFactory()._base_environ(PATH_INFO=path, QUERY_STRING=query_string, REQUEST_METHOD="GET",
                                             HTTP_AUTHORIZATION=f"Token {key}")
    statuses = []

    def call(environ=environ):
        response = handler(environ)
        statuses.append(response.status_code)
        assert response.data["results"] and response.content  # the answer written

    call()  # the process's caches filled
    assert left_in_cycles(call, agent) == []
    detail = {**environ, "PATH_INFO": f"/api/v1/incidents/{incident.pk}/", "QUERY_STRING": ""}
    assert left_in_cycles(lambda: statuses.append(handler(detail).status_code), agent) == []
    assert statuses == [200, 200, 200]
