"""What the OpenAPI schema says beyond what drf-spectacular infers: every error answer, and the
fields whose answers its defaults would describe wrongly. Integrators generate clients from
the schema, so it must say exactly what the API answers (tests/test_api_fuzz.py checks it).
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

# The shapes of core.api.exceptions.exception_handler's answers (API.md, "Errors").
ERROR_COMPONENTS = {
    "ErrorDetail": {
        "type": "object",
        "description": "A refusal: 401 unauthenticated, 403 not allowed, 404 not found or not visible to the caller.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationErrorBody": {
        "type": "object",
        "description": (
            'Invalid input: {"field": ["message", ...]} per field at fault (nested serializers nest the '
            'same shape, lists of them give one entry per item), or {"detail": "message"}; a refused '
            'transition adds "allowed" (the states it may move to).'
        ),
        "additionalProperties": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
                {"type": "object"},
            ]
        },
    },
    "StaleVersionError": {
        "type": "object",
        "description": "The write carried a version that is no longer the current one; nothing was changed.",
        "properties": {"detail": {"type": "string"}, "current_version": {"type": "integer"}},
        "required": ["detail"],
    },
}

WRITE_METHODS = {"post", "put", "patch", "delete"}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description, component):
    return {"description": description, "content": {"application/json": {"schema": _ref(component)}}}


def _carries_version(operation, schemas):
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    ref = body.get("$ref", "")
    component = schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else body
    return "version" in component.get("properties", {})


UNSEEN_404 = "x-unseen-404"


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: each operation documents the errors it can answer.

    400 where the caller sends something to refuse (a body, query parameters, or a delete a rule
    may forbid); 401 and 403 everywhere (every operation needs a login, and roles decide);
    404 where a path names a record, or a paginated list is asked for a page beyond its end;
    409 where the body carries the `version` of the record the path names, and on every write
    (a lock held by another writer past DB_LOCK_TIMEOUT_MS); 503 everywhere (a statement past
    DB_STATEMENT_TIMEOUT_MS).
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(ERROR_COMPONENTS)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            parameters = operation.get("parameters", [])
            responses = operation.setdefault("responses", {})
            errors = {
                "401": _error("Not authenticated.", "ErrorDetail"),
                "403": _error("Not allowed to the caller's role.", "ErrorDetail"),
            }
            if method in WRITE_METHODS or any(p.get("in") == "query" for p in parameters):
                errors["400"] = _error("Invalid input.", "ValidationErrorBody")
            if "requestBody" in operation:
                # A body in a format the operation does not read (or a multipart body whose
                # boundary cannot be parsed) is refused before anything else.
                errors["415"] = _error("Unsupported media type of the request body.", "ErrorDetail")
            # An operation on records hidden from some roles (managers' reports) says so with
            # extend_schema(extensions={UNSEEN_404: True}): the others get 404 even without a path id.
            hidden = operation.pop(UNSEEN_404, False)
            if hidden or any(p.get("in") == "path" for p in parameters) or any(p.get("name") == "page" for p in parameters):
                errors["404"] = _error("No such record, or not one the caller may see.", "ErrorDetail")
            if any(p.get("in") == "path" for p in parameters) and _carries_version(operation, schemas):
                errors["409"] = _error("Stale version: someone else changed the record; or the record is "
                                       "locked by another writer right now (Retry-After).", "StaleVersionError")
            elif method in WRITE_METHODS:
                errors["409"] = _error("A record this write needs is locked by another writer right now; "
                                       "nothing was changed (Retry-After).", "ErrorDetail")
            # Any statement may pass its time limit (core.dbbusy).
            errors["503"] = _error("The database took too long to answer; nothing was changed "
                                   "(Retry-After).", "ErrorDetail")
            for code, response in errors.items():
                responses.setdefault(code, response)
    return result


class HourMinuteField(serializers.TimeField):
    """A time of day answered as "HH:MM" (working hours); "HH:MM" or "HH:MM:SS" accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class HourMinuteFieldSchema(OpenApiSerializerFieldExtension):
    target_class = HourMinuteField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "09:00"}
        return {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$", "example": "09:00"}


API_PREFIX = "/api/v1/"


def _resource(path, collections):
    """The resource a path belongs to: its first segment (incidents), or its first two when the
    first is only a folder without a list of its own (cmdb/cis, sla/calendars)."""
    segments = path[len(API_PREFIX):].strip("/").split("/")
    first = segments[0]
    if len(segments) > 1 and not segments[1].startswith("{") and first not in collections:
        return f"{first}/{segments[1]}"
    return first


def tag_by_resource(result, generator, request, public):
    """Group the operations in Swagger UI and ReDoc by resource, not all under "v1". Tags only:
    paths, operation ids and bodies (the contract) stay as they are."""
    paths = [path for path in result["paths"] if path.startswith(API_PREFIX)]
    collections = {path[len(API_PREFIX):].strip("/") for path in paths if path.count("/") == 4}
    tags = set()
    for path in paths:
        tag = _resource(path, collections)
        tags.add(tag)
        for method, operation in result["paths"][path].items():
            if isinstance(operation, dict) and "responses" in operation:
                operation["tags"] = [tag]
    result["tags"] = [{"name": tag} for tag in sorted(tags)]
    return result
