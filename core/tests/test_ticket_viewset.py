"""The TicketViewSet base and the visible-only relation fields, seen through the incident API."""

import pytest

from cmdb.tests.factories import make_ci

pytestmark = pytest.mark.django_db
URL = "/api/v1/incidents/"


def test_an_invisible_ci_answers_exactly_like_a_missing_one(end_user_api):
    desk_only = make_ci("db-01", "server")  # end users see only live business services
    missing = desk_only.pk + 1000
    hidden = end_user_api.post(URL, {"title": "Slow", "service": desk_only.pk}, format="json")
    absent = end_user_api.post(URL, {"title": "Slow", "service": missing}, format="json")
    assert hidden.status_code == absent.status_code == 400
    assert hidden.json() == {"service": [f'Invalid pk "{desk_only.pk}" - object does not exist.']}
    assert absent.json() == {"service": [f'Invalid pk "{missing}" - object does not exist.']}


def test_a_desk_field_is_refused_before_its_value_is_looked_up(end_user_api):
    # The CI is the desk's to set (issue 10): refused whether the id exists or not.
    desk_only = make_ci("db-01", "server")
    for pk in (desk_only.pk, desk_only.pk + 1000):
        response = end_user_api.post(URL, {"title": "Slow", "configuration_item": pk}, format="json")
        assert response.status_code == 403
        assert response.json() == {"detail": "Only the service desk can set these fields: configuration_item."}


def test_a_visible_ci_is_accepted_for_the_end_user(end_user_api):
    service = make_ci("Mail", "business_service")
    response = end_user_api.post(URL, {"title": "Mail is slow", "service": service.pk}, format="json")
    assert response.status_code == 201 and response.json()["service"] == service.pk


def test_desk_staff_may_link_any_ci(agent_api):
    server = make_ci("db-02", "server")
    response = agent_api.post(URL, {"title": "Disk full", "configuration_item": server.pk}, format="json")
    assert response.status_code == 201 and response.json()["configuration_item"] == server.pk


def test_update_needs_the_version_and_answers_with_the_fresh_record(agent_api):
    created = agent_api.post(URL, {"title": "Printer jam"}, format="json").json()
    by_number = f"{URL}{created['number']}/"
    missing = agent_api.patch(by_number, {"title": "Printer jam on floor 3"}, format="json")
    assert missing.status_code == 400 and missing.json() == {"version": ["Send the version you read."]}
    done = agent_api.patch(by_number, {"title": "Printer jam on floor 3", "version": created["version"]},
                           format="json")
    assert done.status_code == 200
    assert (done.json()["title"], done.json()["version"]) == ("Printer jam on floor 3", created["version"] + 1)
    stale = agent_api.patch(by_number, {"title": "Again", "version": created["version"]}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == created["version"] + 1
