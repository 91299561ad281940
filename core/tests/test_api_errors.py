from django.core.exceptions import ValidationError
from django.db import DataError
from rest_framework.exceptions import NotAuthenticated

from core.api.exceptions import exception_handler
from core.exceptions import DomainError, InvalidTransition, PermissionRefused, StaleVersion


def _handle(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


def test_domain_error_names_the_field():
    assert _handle(DomainError("Too long", field="title")) == (400, {"title": ["Too long"]})
    assert _handle(DomainError("Nope")) == (400, {"detail": "Nope"})


def test_invalid_transition_lists_the_allowed_states():
    status, body = _handle(InvalidTransition("new", "closed", ["in_progress", "cancelled"]))
    assert status == 400
    assert body["allowed"] == ["in_progress", "cancelled"]
    assert "in_progress, cancelled" in body["state"][0]


def test_stale_version_is_409_with_the_current_version():
    status, body = _handle(StaleVersion(7))
    assert status == 409 and body["current_version"] == 7


def test_permission_refused_is_403():
    assert _handle(PermissionRefused("No"))[0] == 403


def test_django_validation_errors_are_400():
    assert _handle(ValidationError({"title": ["Required."], "__all__": ["Bad."]})) == (
        400, {"title": ["Required."], "non_field_errors": ["Bad."]})
    assert _handle(ValidationError("Bad input.")) == (400, {"detail": "Bad input."})


def test_database_range_errors_are_400():
    status, body = _handle(DataError("bigint out of range"))
    assert status == 400 and "out of range" in body["detail"]


def test_malformed_values_are_400_and_drf_errors_pass_through():
    assert _handle(ValueError("invalid literal for int()"))[0] == 400
    assert _handle(NotAuthenticated())[0] == 401


def test_a_bare_drf_validation_error_answers_the_contracts_object():
    from rest_framework.exceptions import ValidationError as DRFValidationError

    assert _handle(DRFValidationError("Null characters are not allowed.")) == (
        400, {"detail": "Null characters are not allowed."})


def test_a_nul_byte_in_search_answers_a_detail_object(agent_api):
    # Found by Schemathesis (tests/test_api_fuzz.py): DRF's search filter answered a bare list.
    response = agent_api.get("/api/v1/groups/", {"search": "mail\x00"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Null characters are not allowed."}
