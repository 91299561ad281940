"""/api/v1/suppliers/, /contracts/, /disputes/: the contract's fields, 400 naming the field with
nothing saved, 404 for end users and odd ids, writes for managers only, pinned list queries."""

import datetime

import pytest

from sla.models import SLADefinition
from suppliers.models import Contract, Dispute, Supplier

pytestmark = pytest.mark.django_db


def contract_body(hanbit, erp, **overrides):
    body = {"supplier": hanbit.pk, "kind": "uc", "title": "ERP maintenance", "services": [erp.pk],
            "start": "2026-01-01", "end": "2027-12-31", "value": "180000000",
            "targets": [{"priority": 1, "response_minutes": 15, "resolution_minutes": 480}]}
    return {**body, **overrides}


def test_a_manager_creates_a_uc_and_sees_the_alignment_warning(manager_api, hanbit, erp, p1_sla, always):
    # when
    response = manager_api.post("/api/v1/contracts/", contract_body(hanbit, erp, calendar=always.pk), format="json")
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {"id", "supplier", "kind", "services", "start", "end", "value", "targets",
            "alignment_warnings"} <= set(body)
    assert body["targets"] == [{"priority": 1, "response_minutes": 15, "resolution_minutes": 480}]
    assert [(w["sla"], w["priority"], w["kind"], w["target_minutes"], w["sla_minutes"])
            for w in body["alignment_warnings"]] == [(p1_sla.pk, 1, "resolution", 480, 240)]
    assert body["alignment_warnings"][0]["message"] == (
        "P1 resolution: 8 h here, but Incidents: critical (P1, 24×7) promises 4 h.")
    assert SLADefinition.objects.get(pk=body["definition"]).agreement == "uc"


def test_a_2h_uc_has_no_warning(manager_api, hanbit, erp, p1_sla, always):
    body = contract_body(hanbit, erp, calendar=always.pk,
                         targets=[{"priority": 1, "response_minutes": 10, "resolution_minutes": 120}])
    response = manager_api.post("/api/v1/contracts/", body, format="json")
    assert response.status_code == 201 and response.json()["alignment_warnings"] == []


def test_a_contract_that_ends_before_it_starts_is_a_400_naming_end(manager_api, hanbit, erp):
    response = manager_api.post("/api/v1/contracts/", contract_body(hanbit, erp, start="2026-06-01",
                                                                    end="2026-05-31"), format="json")
    assert response.status_code == 400 and list(response.json()) == ["end"]
    assert not Contract.objects.exists() and not SLADefinition.objects.exists()


def test_patching_only_the_end_before_the_start_is_a_400_and_changes_nothing(manager_api, make_contract):
    contract = make_contract()
    response = manager_api.patch(f"/api/v1/contracts/{contract.pk}/", {"end": "2025-12-31"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["end"]
    contract.refresh_from_db()
    assert contract.end == datetime.date(2027, 12, 31) and contract.version == 1


@pytest.mark.parametrize(("payload", "field"), [
    ({"kind": "xyz"}, "kind"), ({"start": "soon"}, "start"), ({"value": "lots"}, "value"),
    ({"supplier": 999999}, "supplier"), ({"targets": [{"priority": 7, "resolution_minutes": 60}]}, "targets"),
    ({"targets": [{"priority": 1, "resolution_minutes": 60}, {"priority": 1, "resolution_minutes": 90}]},
     "targets"),
    ({"targets": [{"priority": 1, "resolution_minutes": 0}]}, "targets"),
])
def test_bad_contract_input_is_a_400_naming_the_field(manager_api, hanbit, erp, payload, field):
    response = manager_api.post("/api/v1/contracts/", contract_body(hanbit, erp, **payload), format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Contract.objects.exists()


def test_a_bad_business_number_is_a_400(manager_api):
    response = manager_api.post("/api/v1/suppliers/", {"name": "누리클라우드", "business_number": "1208167890"},
                                format="json")
    assert response.status_code == 400 and list(response.json()) == ["business_number"]
    assert not Supplier.objects.exists()


def test_a_supplier_with_contacts(manager_api):
    response = manager_api.post("/api/v1/suppliers/", {
        "name": "누리클라우드", "business_number": "120-81-67890",
        "contacts": [{"name": "이하나", "email": "hana@nuri.example", "phone": "1588-0000", "role": "기술 책임자"}]},
        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["contacts"] == [{"name": "이하나", "email": "hana@nuri.example", "phone": "1588-0000",
                                            "role": "기술 책임자"}]


def test_a_stale_version_is_a_409(manager_api, hanbit):
    response = manager_api.patch(f"/api/v1/suppliers/{hanbit.pk}/", {"name": "Renamed", "version": 7},
                                 format="json")
    assert response.status_code == 409
    hanbit.refresh_from_db()
    assert hanbit.name == "(주)한빛시스템"


def test_agents_read_but_do_not_write(agent_api, hanbit):
    assert agent_api.get(f"/api/v1/suppliers/{hanbit.pk}/").status_code == 200
    assert agent_api.patch(f"/api/v1/suppliers/{hanbit.pk}/", {"name": "x"}, format="json").status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/suppliers/", "/api/v1/contracts/", "/api/v1/disputes/"])
def test_end_users_are_told_nothing_exists(end_user_api, hanbit, path):
    assert end_user_api.get(path).status_code == 404
    assert end_user_api.get(f"/api/v1/suppliers/{hanbit.pk}/").status_code == 404


@pytest.mark.parametrize("key", ["0", "999999", "abc", "1.5"])
def test_odd_ids_are_a_json_404(agent_api, key):
    response = agent_api.get(f"/api/v1/contracts/{key}/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_expiring_within_lists_running_contracts_ending_soon(agent_api, make_contract):
    today = datetime.date.today()
    soon = make_contract(title="Soon", start=today - datetime.timedelta(days=300),
                         end=today + datetime.timedelta(days=20))
    make_contract(title="Later", start=today, end=today + datetime.timedelta(days=200))
    make_contract(title="Ended", start=today - datetime.timedelta(days=400), end=today - datetime.timedelta(days=1))
    response = agent_api.get("/api/v1/contracts/?expiring_within=90")
    assert [c["id"] for c in response.json()["results"]] == [soon.pk]
    assert response.json()["results"][0]["days_left"] == 20
    assert agent_api.get("/api/v1/contracts/?expiring_within=-1").status_code == 400


def test_scorecard_of_a_quarter(agent_api, hanbit, make_contract, manager):
    contract = make_contract()
    Dispute.objects.create(contract=contract, subject="Invoice", raised_on=datetime.date(2026, 8, 3))
    response = agent_api.get(f"/api/v1/suppliers/{hanbit.pk}/scorecard/?quarter=2026Q3")
    assert response.status_code == 200
    assert response.json() == {"supplier": hanbit.pk, "quarter": "2026Q3", "start": "2026-07-01",
                               "end": "2026-10-01", "tickets": 0, "met": 0, "breaches": 0, "met_percent": None,
                               "mean_restore_minutes": None, "disputes": 1, "disputes_open": 1, "score": None,
                               "grade": "—"}
    assert list(agent_api.get(f"/api/v1/suppliers/{hanbit.pk}/scorecard/?quarter=2026Q5").json()) == ["quarter"]


def test_the_dispute_log(manager_api, make_contract, hanbit):
    contract = make_contract()
    created = manager_api.post("/api/v1/disputes/", {"contract": contract.pk, "subject": "3월 장애 크레딧",
                                                     "amount": "4500000"}, format="json")
    assert created.status_code == 201 and created.json()["state"] == "open"
    refused = manager_api.patch(f"/api/v1/disputes/{created.json()['id']}/", {"state": "resolved"}, format="json")
    assert refused.status_code == 400 and list(refused.json()) == ["resolution"]
    listed = manager_api.get(f"/api/v1/suppliers/{hanbit.pk}/disputes/").json()
    assert [(d["subject"], d["state"], d["supplier"]) for d in listed] == [("3월 장애 크레딧", "open", hanbit.pk)]


CONTRACT_LIST_QUERIES = 10


def test_the_contract_list_runs_a_pinned_number_of_queries(agent_api, make_contract, p1_sla,
                                                           django_assert_num_queries):
    make_contract(title="One")
    agent_api.get("/api/v1/contracts/")  # the token's first use of the minute is recorded once
    with django_assert_num_queries(CONTRACT_LIST_QUERIES):
        assert agent_api.get("/api/v1/contracts/").status_code == 200
    for n in range(4):
        make_contract(title=f"More {n}")
    with django_assert_num_queries(CONTRACT_LIST_QUERIES):
        assert len(agent_api.get("/api/v1/contracts/").json()["results"]) == 5


def test_the_supplier_list_runs_a_pinned_number_of_queries(agent_api, hanbit, django_assert_num_queries):
    agent_api.get("/api/v1/suppliers/")
    with django_assert_num_queries(4):
        assert agent_api.get("/api/v1/suppliers/").status_code == 200
