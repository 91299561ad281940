"""Schemathesis over every operation of the OpenAPI schema, as an agent and as an end user.

Each operation gets a few generated requests (deterministic: the same ones on every run), sent
in-process to the WSGI application against a small demo data set. A 5xx, an undocumented status
code or an answer that does not match the schema fails the test: integrators generate clients
from this schema, so it must say exactly what the API answers.

Detail routes are pointed at a record the caller can see (or, for the end user, at the desk's
records they must not see), so the generated bodies reach the serializers and services instead
of stopping at 404. Every request runs in a savepoint rolled back afterwards: requests do not
see each other's writes and a failed statement cannot poison the ones after it.
"""

import io
import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.services import upsert_user

pytestmark = pytest.mark.schemathesis

# About a minute for the 134 tests on two workers. Schemathesis' coverage phase (every boundary
# of every parameter) found nothing more and costs minutes per write operation (100 s for
# PATCH incidents/{id}/ alone), so it stays off; the stateful phase needs links the schema lacks.
EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

_document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
schema = schemathesis.openapi.from_dict(
    _document,
    config=schemathesis.config.SchemathesisConfig.from_dict({
        "seed": 20261202,
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
    }),
)

APP = WSGIHandler()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo data, once per worker for this module, rolled back at its end."""
    # As Django's test client does: the handler must not close the connection holding the
    # test's transaction at the end of each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            call_command("seed_demo", cis=8, relationships=8, incidents=6, problems=2, changes=3, releases=1,
                         stdout=io.StringIO())
            yield _records()
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _records():
    """A token per role, and per collection the id of the record detail routes are pointed at."""
    from accounts.models import Team
    from availability.models import Outage
    from capacity.models import Metric
    from assurance.models import (
        Audit, AuditProgramme, CertificationEvent, Finding, ManagementReview, ReviewAction,
    )
    from catalog.models import CatalogItem, Category
    from changes.models import Change, ChangeTemplate, FreezeWindow
    from cmdb.models import CIClass, ConfigurationItem, Relationship
    from continuity.models import ContinuityPlan, ContinuityTest, Invocation
    from core.choices import Channel
    from incidents import services as incidents
    from incidents.models import Incident
    from problems.models import Problem
    from publicsla.models import Contract
    from releases.models import Release
    from sla.models import BusinessCalendar, SLAClock, SLADefinition

    agent = upsert_user("fuzz-agent", role=Role.AGENT, email="fuzz-agent@example.com")
    admin = upsert_user("fuzz-admin", role=Role.ADMIN, email="fuzz-admin@example.com")
    # No organisation: users/me/ answers organisation null, which the schema must allow.
    end_user = upsert_user("fuzz-user", role=Role.END_USER, email="fuzz-user@example.com")
    own = incidents.open_incident(actor=end_user, channel=Channel.PORTAL, title="Printer on fire",
                                  description="It smokes.", caller=end_user)
    models = {
        "incidents": Incident, "problems": Problem, "changes": Change, "changes/templates": ChangeTemplate,
        "changes/freeze-windows": FreezeWindow, "releases": Release, "cmdb/cis": ConfigurationItem,
        "cmdb/classes": CIClass, "cmdb/relationships": Relationship, "sla/calendars": BusinessCalendar,
        "sla/definitions": SLADefinition, "sla/clocks": SLAClock, "groups": Team,
        "catalog/categories": Category, "catalog/items": CatalogItem,
        "availability/outages": Outage, "public-sla/contracts": Contract,
        # hcap (issue 17, items 5 and 6)
        "capacity/metrics": Metric, "continuity/plans": ContinuityPlan, "continuity/tests": ContinuityTest,
        "continuity/invocations": Invocation,
        "iso/audit-programmes": AuditProgramme, "iso/audits": Audit, "iso/findings": Finding,
        "iso/reviews": ManagementReview, "iso/review-actions": ReviewAction,
        "iso/certification-events": CertificationEvent,
    }
    desk = {name: model.objects.order_by("pk").values_list("pk", flat=True).first() for name, model in models.items()}
    return {
        # The end user's detail routes reach their own incident and the desk's other records.
        Role.AGENT: {"token": ApiToken.issue(agent)[1], "ids": desk},
        Role.END_USER: {"token": ApiToken.issue(end_user)[1], "ids": {**desk, "incidents": own.pk}},
        Role.ADMIN: {"token": ApiToken.issue(admin)[1], "ids": desk},
    }


def _collection(path):
    """/api/v1/sla/clocks/{id}/events/ -> "sla/clocks"."""
    rest = path.removeprefix("/api/v1/")
    return rest.split("/{", 1)[0].rstrip("/")


@pytest.fixture(params=[Role.AGENT, Role.END_USER])
def caller(request, world, db):
    return world[request.param]


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, caller):
    ids = caller["ids"]
    for name in case.path_parameters or {}:
        if name == "incident_pk":
            case.path_parameters[name] = ids["incidents"]
        elif name == "id" and ids.get(_collection(case.path)) is not None:
            case.path_parameters[name] = ids[_collection(case.path)]
    sid = transaction.savepoint()
    try:
        case.call_and_validate(app=APP, headers={"Authorization": f"Token {caller['token']}"}, checks=CHECKS)
    finally:
        transaction.savepoint_rollback(sid)


# Generated bodies seldom pass validation, so the answers to successful writes get their own
# walk: each step's answer is checked against the schema like the generated ones.
START = "2030-03-04T01:00:00+00:00"
# (role, method, operation, the record its path names, body); "version" is filled in from a GET.
WRITES = [
    (Role.END_USER, "POST", "/api/v1/incidents/", None, {"title": "VPN drops", "description": "Every hour."}),
    (Role.AGENT, "POST", "/api/v1/incidents/", None, {"title": "Mail queue stuck", "description": "Since 9.",
                                                      "impact": 2, "urgency": 1}),
    (Role.AGENT, "PATCH", "/api/v1/incidents/{id}/", "incidents", {"state": "in_progress", "version": None}),
    (Role.AGENT, "POST", "/api/v1/incidents/{incident_pk}/comments/", "incidents", {"body": "Looking.",
                                                                                    "internal": True}),
    (Role.AGENT, "POST", "/api/v1/cmdb/cis/", None, {"name": "fuzz-esx-1", "ci_class": "server", "criticality": 2}),
    (Role.AGENT, "PATCH", "/api/v1/cmdb/cis/{id}/", "cmdb/cis", {"status": "maintenance", "version": None}),
    (Role.AGENT, "POST", "/api/v1/problems/", None, {"title": "Disk latency spikes"}),
    (Role.AGENT, "POST", "/api/v1/changes/", None, {
        "title": "Upgrade PostgreSQL", "type": "normal", "implementation_plan": "pg_upgrade", "backout_plan": "restore",
        "test_plan": "run checks", "planned_start": START, "planned_end": "2030-03-04T04:00:00+00:00"}),
    (Role.ADMIN, "POST", "/api/v1/changes/freeze-windows/", None, {
        "name": "Year end", "start": "2030-12-24T00:00:00+00:00", "end": "2030-12-27T00:00:00+00:00"}),
    (Role.AGENT, "POST", "/api/v1/releases/", None, {"title": "Spring release", "version_label": "2030.1"}),
    (Role.ADMIN, "POST", "/api/v1/sla/calendars/", None, {
        "name": "Fuzz office", "time_zone": "Asia/Seoul",
        "working_hours": [{"weekday": 0, "start": "09:00:00", "end": "18:00"}],
        "holidays": {"country": "KR", "custom_dates": [
            {"date": "2030-11-28", "kind": "open", "start": "09:00", "end": "13:00", "reason": "half day"}]}}),
    (Role.ADMIN, "PATCH", "/api/v1/sla/definitions/{id}/", "sla/definitions", {"on_reopen": "restart"}),
    (Role.AGENT, "GET", "/api/v1/sla/clocks/{id}/events/", "sla/clocks", None),
    (Role.AGENT, "GET", "/api/v1/sla/clocks/{id}/explain/", "sla/clocks", None),
    (Role.END_USER, "GET", "/api/v1/users/me/", None, None),
    (Role.AGENT, "POST", "/api/v1/availability/outages/", None, {
        "service": None, "start": "2030-03-05T01:00:00+00:00", "end": "2030-03-05T01:40:00+00:00"}),
    (Role.AGENT, "GET", "/api/v1/availability/report/?month=2030-03", None, None),
    (Role.ADMIN, "POST", "/api/v1/public-sla/contracts/", None, {"name": "Fuzz public SLA", "system_grade": 2,
                                                               "monthly_amount": "1000000"}),
    (Role.AGENT, "GET", "/api/v1/public-sla/contracts/{id}/evaluation/?month=2030-03", "public-sla/contracts", None),
    # issue 18: the audit programme, reviews and certification (managers and administrators write)
    (Role.ADMIN, "PATCH", "/api/v1/iso/audits/{id}/", "iso/audits", {"summary": "Fuzz summary", "version": None}),
    (Role.ADMIN, "PATCH", "/api/v1/iso/findings/{id}/", "iso/findings", {"evidence": "Fuzz", "version": None}),
    (Role.ADMIN, "POST", "/api/v1/iso/reviews/{id}/generate-pack/", "iso/reviews", None),
    (Role.ADMIN, "POST", "/api/v1/iso/review-actions/", None, {"review": None, "title": "Fuzz action"}),
    (Role.ADMIN, "POST", "/api/v1/iso/certification-events/", None, {"kind": "surveillance", "date": "2030-01-02"}),
    (Role.AGENT, "GET", "/api/v1/iso/certification-events/next-due/", None, None),
    (Role.AGENT, "GET", "/api/v1/iso/audit-programmes/{id}/", "iso/audit-programmes", None),
]


def test_successful_writes_answer_as_documented(world, db):
    from werkzeug.test import Client

    client = Client(APP)
    failures = []
    for role, method, operation, record, body in WRITES:
        caller = world[role]
        headers = {"Authorization": f"Token {caller['token']}"}
        path = operation.replace("{id}", "{pk}").replace("{incident_pk}", "{pk}").format(pk=caller["ids"].get(record))
        if body and body.get("service", 0) is None:  # the outage of a business service
            body = {**body, "service": _business_service()}
        if body and body.get("review", "") is None:
            body = {**body, "review": caller["ids"]["iso/reviews"]}
        if body and "version" in body:
            body = {**body, "version": json.loads(client.get(path, headers=headers).get_data())["version"]}
        response = client.open(path, method=method, headers=headers, json=body)
        assert response.status_code < 300, (method, path, response.get_data(as_text=True))
        try:
            schema[operation.split("?")[0]][method].validate_response(response)
        except Exception as error:  # noqa: BLE001 - every mismatch is reported together below
            failures.append(f"{method} {path}: {error}")
    assert failures == []


def _business_service():
    from cmdb.models import ConfigurationItem

    return ConfigurationItem.objects.business_services().order_by("pk").values_list("pk", flat=True).first()
