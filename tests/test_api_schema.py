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
