"""/api/v1/documents/: the contract's fields, 400 naming the field, 404 for end users, 409 on a
stale version, approval by someone else, pinned list queries."""

import pytest

from changes.tests.factories import make_change, service
from documents.choices import DocumentState as S
from documents.models import Document

pytestmark = pytest.mark.django_db
URL = "/api/v1/documents/"
CONTRACT = {"id", "number", "kind", "title", "state", "owner", "current_version", "review_at", "clauses", "services"}


def test_create_answers_the_contract_and_detail_takes_number_or_id(agent_api, agent):
    svc = service("Payroll")
    response = agent_api.post(URL, {"title": "Incident procedure", "kind": "procedure", "owner": agent.pk,
                                    "clauses": ["8.6.1"], "services": [svc.pk], "body": "Record every call."},
                              format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert CONTRACT <= set(body) and body["number"].startswith("DOC") and body["state"] == "draft"
    assert body["services"] == [svc.pk] and body["current_version"] == 0 and body["review_overdue"] is False
    assert agent_api.get(f"{URL}{body['number']}/").json()["id"] == body["id"]
    versions = agent_api.get(f"{URL}{body['id']}/versions/").json()
    assert [v["number"] for v in versions] == [1] and versions[0]["body"] == "Record every call."


@pytest.mark.parametrize(("payload", "field"), [
    ({"clauses": ["8.6.1", "42.1"]}, "clauses"), ({"kind": "memo"}, "kind"), ({"review_at": "soon"}, "review_at"),
    ({"changes": [999999]}, "changes"),
])
def test_bad_input_is_a_400_naming_the_field(agent_api, payload, field):
    response = agent_api.post(URL, {"title": "x", "kind": "policy", **payload}, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Document.objects.exists()


def test_a_policy_does_not_trace_to_changes(agent_api, agent):
    change = make_change(agent)
    response = agent_api.post(URL, {"title": "x", "kind": "policy", "changes": [change.pk]}, format="json")
    assert response.status_code == 400 and "changes" in response.json()
    response = agent_api.post(URL, {"title": "SSO", "kind": "requirement", "changes": [change.pk]}, format="json")
    assert response.status_code == 201 and response.json()["changes"] == [change.pk]


def test_the_register_does_not_exist_for_end_users(end_user_api, make_document):
    document = make_document()
    assert end_user_api.get(URL).status_code == 404
    assert end_user_api.get(f"{URL}{document.pk}/").status_code == 404
    assert end_user_api.post(f"{URL}{document.pk}/approve/", {"version": 1}, format="json").status_code == 404


def test_review_approve_and_stale_version(agent_api, manager_api, agent, make_document):
    document = make_document()
    response = agent_api.post(f"{URL}{document.pk}/transition/", {"state": "review", "version": document.version},
                              format="json")
    assert response.status_code == 200 and response.json()["state"] == "review"
    version = response.json()["version"]
    # the author does not approve their own text
    response = agent_api.post(f"{URL}{document.pk}/approve/", {"version": version}, format="json")
    assert response.status_code == 400 and "approved_by" in response.json()
    assert manager_api.post(f"{URL}{document.pk}/approve/", {"version": version - 1},
                            format="json").status_code == 409
    response = manager_api.post(f"{URL}{document.pk}/approve/", {"version": version, "review_at": "2030-01-31"},
                                format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["current_version"], response.json()["review_at"]) == (
        S.APPROVED, 1, "2030-01-31")
    response = agent_api.post(f"{URL}{document.pk}/versions/", {"body": "v2", "version": version - 1}, format="json")
    assert response.status_code == 409
    diff = agent_api.get(f"{URL}{document.pk}/diff/", {"old": 1, "new": 1})
    assert diff.status_code == 200 and diff.json()["diff"] == ""
    assert agent_api.get(f"{URL}{document.pk}/diff/", {"old": "x", "new": 1}).status_code == 400


def test_distribution_via_the_api(agent_api, manager_api, agent, manager, team, make_document):
    document = make_document()
    response = agent_api.post(f"{URL}{document.pk}/distribution/", {"team": team.pk,
                                                                   "acknowledgement_required": True}, format="json")
    assert response.status_code == 201 and response.json()["team"] == team.pk
    assert agent_api.post(f"{URL}{document.pk}/distribution/", {}, format="json").status_code == 400
    # nothing in force yet
    response = manager_api.post(f"{URL}{document.pk}/acknowledge/")
    assert response.status_code == 400 and "current_version" in response.json()


def test_overdue_filter_and_flag(agent_api, make_document):
    from datetime import date

    overdue = make_document(title="Old procedure")
    Document.objects.filter(pk=overdue.pk).update(state=S.APPROVED, review_at=date(2020, 1, 1), current_version=1)
    make_document(title="Fresh procedure")
    body = agent_api.get(URL, {"overdue": "true"}).json()
    assert [row["id"] for row in body["results"]] == [overdue.pk] and body["results"][0]["review_overdue"] is True
    assert agent_api.get(URL, {"clause": "99"}).status_code == 400


def test_list_runs_a_constant_number_of_queries(agent_api, make_document, django_assert_num_queries, team):
    for n in range(3):
        make_document(title=f"Procedure {n}")
    agent_api.get(URL)  # warm the session and content types
    with django_assert_num_queries(8):
        assert len(agent_api.get(URL).json()["results"]) == 3
    for n in range(3, 8):
        make_document(title=f"Procedure {n}")
    with django_assert_num_queries(8):
        assert len(agent_api.get(URL).json()["results"]) == 8
