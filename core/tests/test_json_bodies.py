"""Request bodies the API cannot take are a 400 with a reason, never a 500 (core.api.parsers)."""

import pytest
from django.test import override_settings

from core import jsontext

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("url", ["/api/v1/incidents/", "/api/v1/problems/", "/api/v1/changes/", "/api/v1/cmdb/cis/"])
def test_a_body_nested_100000_deep_is_400(agent_api, url):
    response = agent_api.post(url, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "nested more than 64 levels" in response.json()["detail"]


def test_a_body_nested_past_the_bound_but_within_the_recursion_limit_is_400(agent_api):
    body = '{"title": ' + "[" * 65 + "]" * 65 + "}"
    response = agent_api.post("/api/v1/incidents/", body, content_type="application/json")
    assert response.status_code == 400 and "nested" in response.json()["detail"]


def test_a_comment_body_nested_deep_is_400(agent_api, agent, end_user):
    from core.choices import Channel
    from incidents.services import open_incident

    incident = open_incident(actor=agent, channel=Channel.WEB, title="Mail down", caller=end_user)
    response = agent_api.post(f"/api/v1/incidents/{incident.pk}/comments/", '{"body": ' + DEEP + "}",
                              content_type="application/json")
    assert response.status_code == 400


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_beyond_the_upload_limit_is_400(agent_api):
    response = agent_api.post("/api/v1/incidents/", '{"title": "' + "x" * 2000 + '"}', content_type="application/json")
    assert response.status_code == 400 and "larger than 1000 bytes" in response.json()["detail"]


def test_ordinary_json_form_and_multipart_bodies_still_work(agent_api, end_user, team):
    fields = {"title": "Printer jam", "caller": end_user.pk, "impact": 3, "urgency": 3}
    assert agent_api.post("/api/v1/incidents/", fields, format="json").status_code == 201
    assert agent_api.post("/api/v1/incidents/", fields, format="multipart").status_code == 201
    from urllib.parse import urlencode
    assert agent_api.post("/api/v1/incidents/", urlencode(fields),
                          content_type="application/x-www-form-urlencoded").status_code == 201


def test_depth_is_measured_without_recursion():
    assert jsontext.depth(1) == 0
    assert jsontext.depth({"a": [1, {"b": []}]}) == 4
    nested = []
    for _ in range(200_000):
        nested = [nested]
    assert jsontext.depth(nested) == 200_001
    with pytest.raises(jsontext.JSONTooDeep):
        jsontext.loads(DEEP)
