"""Contract checks over every endpoint the schema publishes: anonymous callers get 401, and
no malformed query parameter produces a 500 (API.md: "No input, however malformed, may
produce a 500")."""

import re

import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator

MALFORMED = ["abc", "-1", "1e999", "99999999999999999999999", "%00", "2026-13-45,x"]


def _schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations():
    schema = _schema()
    for path, operations in sorted(schema["paths"].items()):
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def _concrete(path):
    return re.sub(r"\{[^}]+\}", "1", path)


def _list_operations():
    return [(path, [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"])
            for path, method, op in _operations() if method == "get" and "{" not in path]


@pytest.mark.django_db
@pytest.mark.parametrize("path, method", [(path, method) for path, method, _op in _operations()])
def test_anonymous_gets_401(api_client, path, method):
    response = getattr(api_client, method)(_concrete(path))
    assert response.status_code == 401, (method, path, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("path, parameters", _list_operations())
def test_malformed_query_parameters_never_give_500(agent_api, manager_api, path, parameters):
    if path in MANAGERS_ONLY:
        agent_api = manager_api
    failures = []
    for name in [*parameters, "page", "page_size", "ordering", "search"]:
        for value in MALFORMED:
            # A refused statement aborts PostgreSQL's transaction; roll back to a savepoint after
            # each request, as autocommit does in production, so the next request starts clean.
            savepoint = transaction.savepoint()
            response = agent_api.get(path, {name: value})
            transaction.savepoint_rollback(savepoint)
            if response.status_code >= 500:
                failures.append((name, value, response.status_code))
    assert failures == []


# Collections only managers see (to anyone else they do not exist: 404): read as a manager.
MANAGERS_ONLY = {"/api/v1/reports/", "/api/v1/audit-access-log/", "/api/v1/iso/evidence-packs/"}


# Collection-level GETs that answer one object, not a page (API.md: users/me/).
SINGLE_OBJECTS = {"/api/v1/users/me/": ["id", "username", "display_name", "email", "roles"],
                  "/api/v1/iso/certification-events/next-due/": ["kind", "date", "anchor", "overdue"]}

# Collection-level GETs that answer a computed report for the parameters asked (API.md:
# availability/report/?service=ID&month=YYYY-MM): its figures, one row per service.
REPORTS = {"/api/v1/availability/report/": ({"month": "2026-11"}, ["results"])}


@pytest.mark.django_db
@pytest.mark.parametrize("path, parameters", _list_operations())
def test_list_pages_have_the_contract_shape(agent_api, manager_api, path, parameters):
    if path in MANAGERS_ONLY:
        agent_api = manager_api
    if path in REPORTS:
        query, keys = REPORTS[path]
        response = agent_api.get(path, query)
        assert response.status_code == 200, response.content[:300]
        assert set(keys) <= set(response.json()), response.json()
        return
    response = agent_api.get(path, {"page_size": 1})
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    if path in SINGLE_OBJECTS:
        assert isinstance(body, dict) and set(SINGLE_OBJECTS[path]) <= set(body), body
        assert "results" not in body
        return
    # Every other collection is a page: a new unpaginated one must be named above, deliberately.
    assert isinstance(body, dict) and list(body) == ["count", "next", "previous", "results"], body
    assert agent_api.get(path, {"page": 9999}).status_code == 404


def test_single_object_routes_exist():
    assert set(SINGLE_OBJECTS) <= {path for path, _parameters in _list_operations()}
