"""Every page carries a Content-Security-Policy without inline script or style; the request id the
client sends is echoed only when it is a sane id."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _policy(response):
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())


@pytest.mark.parametrize("path", ["/accounts/login/", "/incidents/", "/cmdb/", "/changes/calendar/", "/sla/"])
def test_pages_carry_a_strict_policy(client, agent, path):
    client.force_login(agent)
    policy = _policy(client.get(path))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_api_answers_carry_the_policy_too(agent_api):
    assert "default-src 'self'" in agent_api.get("/api/v1/incidents/")["Content-Security-Policy"]


def test_api_docs_alone_allow_the_inline_code_swagger_needs(client, agent):
    client.force_login(agent)
    policy = _policy(client.get(reverse("api-docs")))
    assert "'unsafe-inline'" in policy["script-src"]


def _project_templates():
    from django.conf import settings

    return sorted(path for path in settings.BASE_DIR.rglob("templates/**/*.html")
                  if ".venv" not in path.parts and "node_modules" not in path.parts)


@pytest.mark.parametrize("path", _project_templates(), ids=lambda path: str(path.relative_to(path.parents[2])))
def test_templates_have_no_inline_script_or_style(path):
    # The policy would block them: behaviour goes in static/js/itsm.js, looks in static/css/itsm.css.
    import re

    source = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", source)
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=|hx-on", source)


@pytest.mark.parametrize("given", ["abc-123_DEF.9", "f" * 64])
def test_a_sane_request_id_is_echoed(client, given):
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


@pytest.mark.parametrize("given", ["x" * 6000, "f" * 65, "a b", "<script>", "id\u00e9", "a/b", "../x"])
def test_an_odd_request_id_is_replaced_by_a_new_one(client, given):
    echoed = client.get("/accounts/login/", HTTP_X_REQUEST_ID=given)["X-Request-ID"]
    assert echoed != given and len(echoed) == 32 and echoed.isalnum()


def test_no_request_id_gets_a_new_one(client):
    assert len(client.get("/accounts/login/")["X-Request-ID"]) == 32


def test_the_policy_built_once_is_django_csps_own(client, settings):
    # core.middleware.CSPMiddleware keeps the settings' policy per process: the same header as
    # django-csp builds, and a new one when the settings change.
    from csp.utils import build_policy

    assert client.get("/accounts/login/")["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]},
                                                    "EXCLUDE_URL_PREFIXES": ["/healthz-not"]}
    response = client.get("/accounts/login/")
    assert response["Content-Security-Policy"] == "default-src 'none'" == build_policy()
    assert response["Content-Security-Policy-Report-Only"] == build_policy(report_only=True)
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]},
                                                    "EXCLUDE_URL_PREFIXES": ["/accounts/"]}
    assert "Content-Security-Policy-Report-Only" not in client.get("/accounts/login/")
