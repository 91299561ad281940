"""The OpenAPI schema is valid and names every resource of the contract in /work/shared/API.md."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

CONTRACT_PATHS = [
    "/api/v1/users/me/", "/api/v1/groups/",
    "/api/v1/cmdb/classes/", "/api/v1/cmdb/cis/", "/api/v1/cmdb/relationships/", "/api/v1/cmdb/cis/{id}/impact/",
    "/api/v1/incidents/", "/api/v1/incidents/{id}/comments/" ,
    "/api/v1/problems/", "/api/v1/changes/", "/api/v1/changes/{id}/approve/", "/api/v1/releases/",
    "/api/v1/sla/calendars/", "/api/v1/sla/definitions/",
]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)


@pytest.mark.parametrize("path", CONTRACT_PATHS)
def test_contract_resource_is_in_the_schema(schema, path):
    # Path parameters may be named after the lookup ({id}, {incident_pk}, ...): compare shapes.
    import re

    shape = re.sub(r"\{[^}]+\}", "{}", path)
    assert shape in {re.sub(r"\{[^}]+\}", "{}", p) for p in schema["paths"]}, sorted(schema["paths"])


def test_every_operation_requires_authentication(schema):
    open_operations = [
        (path, method) for path, operations in schema["paths"].items() for method, operation in operations.items()
        if isinstance(operation, dict) and {} in operation.get("security", [])
    ]
    assert open_operations == []


# --- the schema says exactly what the API answers (issue 10, defect 12) ---------------------

def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def _component(schema, name):
    return schema["components"]["schemas"][name]


def test_every_operation_documents_its_errors_with_the_contracts_bodies(schema):
    missing = []
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        expected = {"401", "403"}
        if method != "get" or any(p["in"] == "query" for p in operation.get("parameters", [])):
            expected.add("400")
        if "{" in path:
            expected.add("404")
        missing += [f"{method.upper()} {path} {code}" for code in sorted(expected - set(responses))]
    assert missing == []
    body = schema["paths"]["/api/v1/incidents/"]["post"]["responses"]["400"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ValidationErrorBody"}
    assert _component(schema, "ErrorDetail")["required"] == ["detail"]


def test_versioned_writes_document_the_stale_version_conflict(schema):
    patch = schema["paths"]["/api/v1/incidents/{id}/"]["patch"]["responses"]
    assert patch["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/StaleVersionError"}
    assert "current_version" in _component(schema, "StaleVersionError")["properties"]
    # A create has no version to be stale, but may wait for a lock (the number sequence row)
    # past DB_LOCK_TIMEOUT_MS: a plain refusal, not a stale version.
    create = schema["paths"]["/api/v1/incidents/"]["post"]["responses"]
    assert create["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}


def test_every_operation_documents_the_statement_timeout(schema):
    missing = [f"{method.upper()} {path}" for path, operations in schema["paths"].items()
               for method, operation in operations.items() if "503" not in operation["responses"]]
    assert missing == []


def test_fields_that_answer_null_are_nullable(schema):
    assert _component(schema, "Incident")["properties"]["assigned_to_detail"]["nullable"] is True
    assert _component(schema, "Me")["properties"]["organisation"]["nullable"] is True


def test_working_hours_are_documented_as_the_hh_mm_they_answer(schema):
    import re

    start = _component(schema, "WorkingHours")["properties"]["start"]
    assert "format" not in start
    assert re.match(start["pattern"], "09:00") and not re.match(start["pattern"], "09:00:00")
    request_start = _component(schema, "WorkingHoursRequest")["properties"]["start"]
    assert re.match(request_start["pattern"], "09:00") and re.match(request_start["pattern"], "09:00:00")


def test_escalation_rules_allow_the_blank_kind_and_webhook_they_answer(schema):
    rule = _component(schema, "EscalationRule")["properties"]
    assert {"type": "string", "maxLength": 0} in rule["webhook_url"]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in rule["kind"]["oneOf"]
    assert _component(schema, "BlankEnum")["enum"] == [""]


def test_clock_events_and_explanation_have_their_own_shapes(schema):
    def body(path):
        return schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    assert body("/api/v1/sla/clocks/{id}/events/") == {"type": "array",
                                                       "items": {"$ref": "#/components/schemas/ClockEvent"}}
    assert body("/api/v1/sla/clocks/{id}/explain/") == {"$ref": "#/components/schemas/ClockExplanation"}
    assert {"summary", "events", "breached_at"} <= set(_component(schema, "ClockExplanation")["properties"])


def test_swagger_groups_the_operations_by_resource(schema):
    # (issue 11, item 12: every operation was under "v1")
    tags = {path: {tuple(op["tags"]) for op in operations.values() if isinstance(op, dict) and "tags" in op}
            for path, operations in schema["paths"].items()}
    assert tags["/api/v1/incidents/"] == tags["/api/v1/incidents/{id}/"] == {("incidents",)}
    assert tags["/api/v1/cmdb/cis/"] == {("cmdb/cis",)}
    assert tags["/api/v1/sla/calendars/"] == {("sla/calendars",)}
    assert tags["/api/v1/changes/{id}/approve/"] == tags["/api/v1/changes/freeze-windows/"] == {("changes",)}
    assert {tag["name"] for tag in schema["tags"]} >= {"incidents", "problems", "changes", "releases", "users/me",
                                                       "groups", "cmdb/cis", "cmdb/classes", "sla/definitions"}


def test_no_enum_is_named_by_a_hash(schema):
    # drf-spectacular names colliding choice sets by a hash (`StateDa1Enum`), which changes with
    # the choices and means nothing to a client; SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] names them.
    import re

    hashed = [name for name in schema["components"]["schemas"]
              if re.fullmatch(r"[A-Za-z]*[a-z][0-9A-F][0-9A-Fa-f]{2}Enum", name)]
    assert hashed == []
    assert "OpenClosedStateEnum" in str(_component(schema, "Alert")["properties"]["state"])
    assert "OpenClosedStateEnum" in str(_component(schema, "Finding")["properties"]["state"])
    assert "LanguageEnum" in str(_component(schema, "Me")["properties"]["language"])
    assert "AvailabilityTargetStatusEnum" in str(_component(schema, "Report")["properties"]["status"])
