"""The request log: one line per request, with its fields, through structlog's configured processors."""

import pytest
from structlog.testing import capture_logs

pytestmark = pytest.mark.django_db


def test_one_line_per_request_with_its_fields_through_the_configured_processors(client, agent):
    client.force_login(agent)
    with capture_logs() as lines:
        response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="abc-1")
    [line] = [line for line in lines if line.get("event") == "request"]
    assert list(line) == ["method", "path", "status", "duration_ms", "request_id", "user", "event",
                          "log_level"]
    assert (line["method"], line["path"], line["status"], line["request_id"], line["user"]) == (
        "GET", "/accounts/login/", response.status_code, "abc-1", agent.pk)


def test_static_files_and_probes_are_not_logged(client):
    with capture_logs() as lines:
        client.get("/healthz")
    assert [line for line in lines if line.get("event") == "request"] == []
