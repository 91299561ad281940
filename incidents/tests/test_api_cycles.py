"""An API create's view and serializers are freed by reference counting once the answer is sent
(core.api.cycles), not left in reference cycles for the garbage collector (issue 12)."""

import gc
import io
import json
import sys

import pytest
from django.test.client import ClientHandler
from rest_framework.fields import Field
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.serializer_helpers import BindingDict

from accounts.models import ApiToken
from incidents.api.serializers import IncidentSerializer
from incidents.api.views import IncidentViewSet
from incidents.models import AssignmentRule
from sla.tests.factories import make_calendar, make_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(team):
    make_definition(calendar=make_calendar())  # two clocks: the answer's nested list serializer
    AssignmentRule.objects.create(name="everything to the desk", assignment_group=team)


def _post(handler, key, body):
    """A POST through the test client's WSGI handler, which closes the response as a server does
    (keeping the test's database connection open), without the client's own links to it."""
    raw = json.dumps(body).encode()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/incidents/", "QUERY_STRING": "",
               "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(raw), "wsgi.errors": sys.stderr, "CONTENT_LENGTH": str(len(raw)),
               "CONTENT_TYPE": "application/json", "HTTP_AUTHORIZATION": f"Token {key}"}
    response = handler(environ)
    return response.status_code, response.content


def test_an_api_create_leaves_its_view_and_serializers_in_no_reference_cycle(agent, world):
    key = ApiToken.issue(agent, name="cycles")[1]
    handler = ClientHandler()
    assert _post(handler, key, {"title": "warm-up"})[0] == 201
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds unreachable is kept in gc.garbage
    try:
        status, content = _post(handler, key, {"title": "VPN down", "impact": 2, "urgency": 2})
        gc.collect()
        left = [type(found) for found in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert status == 201 and len(json.loads(content)["slas"]) == 2
    # Before core.api.cycles: the view, its request and response, the serializer with its 37
    # bound fields and their BindingDict, the nested serializers (~450 objects a create).
    assert not {IncidentViewSet, IncidentSerializer, BindingDict, Request, Response} & set(left)
    assert not [kind for kind in left if issubclass(kind, Field)]


def test_the_answer_and_its_context_stay_readable_after_the_response_is_closed(agent_api, world):
    """The test client's response (closed by then) keeps its data; the serializer read again
    builds its fields again."""
    response = agent_api.post("/api/v1/incidents/", {"title": "VPN down"}, format="json")
    assert response.status_code == 201 and response.data["title"] == "VPN down"
    assert response.data == response.json()
    serializer = response.data.serializer
    assert "fields" not in serializer.__dict__  # released
    assert list(serializer.fields) == list(IncidentSerializer.Meta.fields)
    assert "response" not in response.renderer_context
