"""/api/v1/improvements/: the contract's fields, writes through the services, 400 naming the
field, 409 on a stale version, 404 for what an end user may not see, pinned list queries."""

from datetime import date
from decimal import Decimal

import pytest

from core.models import OutboxEvent
from improvements.choices import ImprovementState as S
from improvements.models import Improvement
from improvements.tests.conftest import walk

pytestmark = pytest.mark.django_db
URL = "/api/v1/improvements/"
CONTRACT = {"id", "number", "source_type", "source", "title", "benefit", "effort", "risk", "priority", "owner",
            "due_date", "state", "baseline", "result", "verified_by", "verified_at", "change", "version"}


def test_create_answers_the_contract_fields(agent_api, agent):
    response = agent_api.post(URL, {"title": "Cut password reset calls", "benefit": 5, "effort": 2, "risk": 1,
                                    "owner": agent.pk, "due_date": "2027-01-31",
                                    "baseline": {"value": "310", "unit": "calls/month", "date": "2026-11-01"}},
                              format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert CONTRACT <= set(body)
    assert body["number"].startswith("IMP") and body["priority"] == 1 and body["state"] == "proposed"
    assert body["baseline"] == {"value": "310.000", "unit": "calls/month", "date": "2026-11-01"}
    assert body["result"] == {"value": None, "unit": "calls/month", "date": None}
    assert body["source"] == {"type": None, "id": None, "label": ""} and body["source_type"] == "manual"


@pytest.mark.parametrize(("payload", "field"), [
    ({"benefit": 0}, "benefit"), ({"effort": 6}, "effort"), ({"risk": "five"}, "risk"),
    ({"source_type": "complaint"}, "source_type"), ({"source_type": "nonsense"}, "source_type"),
    ({"baseline": {"value": "many"}}, "baseline"), ({"due_date": "tomorrow"}, "due_date"),
])
def test_bad_input_is_a_400_naming_the_field(agent_api, payload, field):
    response = agent_api.post(URL, {"title": "x", **payload}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Improvement.objects.exists()


def test_closing_as_effective_without_a_measurement_is_a_400_and_changes_nothing(agent_api, agent, make_item):
    item = walk(make_item(owner=agent), agent, S.APPROVED, S.IN_PROGRESS, S.IMPLEMENTED)
    # when: no result
    response = agent_api.patch(f"{URL}{item.number}/", {"state": "closed_effective", "verified_by": agent.pk,
                                                       "version": item.version}, format="json")
    # then
    assert response.status_code == 400 and "result" in response.json()
    # when: a result but no verifier
    response = agent_api.patch(f"{URL}{item.pk}/", {"state": "closed_effective", "version": item.version,
                                                   "result": {"value": "12", "date": "2026-11-30"}}, format="json")
    assert response.status_code == 400 and "verified_by" in response.json()
    fresh = Improvement.objects.get(pk=item.pk)
    assert (fresh.state, fresh.version, fresh.result_value) == (S.IMPLEMENTED, item.version, None)
    # when: everything
    response = agent_api.patch(f"{URL}{item.pk}/", {"state": "closed_effective", "version": item.version,
                                                   "verified_by": agent.pk,
                                                   "result": {"value": "12", "date": "2026-11-30"}}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "closed_effective" and body["verified_by"] == agent.pk and body["verified_at"]
    assert body["result"]["value"] == "12.000"
    assert OutboxEvent.objects.filter(name="improvement.closed", object_id=item.pk).exists()


def test_an_invalid_move_names_the_allowed_ones(agent_api, make_item):
    item = make_item()
    response = agent_api.patch(f"{URL}{item.pk}/", {"state": "implemented", "version": item.version}, format="json")
    assert response.status_code == 400 and response.json()["allowed"] == ["approved", "rejected", "cancelled"]


def test_a_stale_version_is_a_409(agent_api, make_item):
    item = make_item()
    response = agent_api.patch(f"{URL}{item.pk}/", {"title": "New", "version": item.version + 1}, format="json")
    assert response.status_code == 409
    assert Improvement.objects.get(pk=item.pk).title == item.title


def test_end_users_see_nothing_and_anonymous_callers_are_401(end_user_api, api_client, make_item):
    item = make_item()
    assert end_user_api.get(URL).json()["count"] == 0
    assert end_user_api.get(f"{URL}{item.pk}/").status_code == 404
    assert end_user_api.post(URL, {"title": "x"}, format="json").status_code == 403
    assert api_client.get(URL).status_code == 401


def test_filters_by_source_type_state_and_owner(agent_api, agent, other_agent, make_item):
    mine = make_item(owner=agent, source_type="audit_finding")
    make_item(owner=other_agent)
    assert [r["id"] for r in agent_api.get(f"{URL}?source_type=audit_finding").json()["results"]] == [mine.pk]
    assert [r["id"] for r in agent_api.get(f"{URL}?owner={agent.pk}&state=proposed").json()["results"]] == [mine.pk]
    assert agent_api.get(f"{URL}?state=bogus").status_code == 400


QUERIES_LIST = 3  # the token with its user and roles, count, rows (with the source's content type)


def test_the_list_runs_a_pinned_number_of_queries(agent_api, agent, make_item, django_assert_num_queries):
    for n in range(3):
        make_item(title=f"Item {n}", owner=agent, baseline_value=Decimal("1"), baseline_date=date(2026, 1, 1))
    agent_api.get(URL)  # the token's first use records when it was used
    with django_assert_num_queries(QUERIES_LIST):
        assert agent_api.get(URL).status_code == 200
    for n in range(5):
        make_item(title=f"More {n}")
    with django_assert_num_queries(QUERIES_LIST):
        assert agent_api.get(URL).json()["count"] == 8
