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


def test_a_line_logged_while_a_request_is_answered_carries_its_id_and_none_after(rf):
    import structlog

    from core.middleware import RequestLogMiddleware
    from core.request_context import add_request_id

    inner = structlog.get_logger("itsm.test")

    def view(request):
        inner.info("working", step=1)
        from django.http import HttpResponse
        return HttpResponse("ok")

    with capture_logs(processors=[add_request_id]) as lines:
        response = RequestLogMiddleware(view)(rf.get("/incidents/", HTTP_X_REQUEST_ID="req-42"))
        inner.info("after")
    working = next(line for line in lines if line["event"] == "working")
    after = next(line for line in lines if line["event"] == "after")
    assert (response["X-Request-ID"], working["request_id"]) == ("req-42", "req-42")
    assert "request_id" not in after
