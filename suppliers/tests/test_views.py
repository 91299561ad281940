"""Desk pages: the desk reads, managers write through the services; refusals land on the form
with nothing saved."""

import datetime

import pytest

from suppliers.models import Contract, Supplier

pytestmark = pytest.mark.django_db


def test_a_manager_creates_a_contract_with_targets_from_the_form(client, manager, hanbit, erp, always, p1_sla):
    client.force_login(manager)
    response = client.post("/suppliers/contracts/new/", {
        "supplier": hanbit.pk, "kind": "uc", "title": "ERP maintenance", "services": [erp.pk],
        "start": "2026-01-01", "end": "2027-12-31", "calendar": always.pk, "p1_response": "10",
        "p1_resolution": "480"})
    contract = Contract.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/suppliers/contracts/{contract.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="alignment-warnings"' in page and "8 h here" in page


def test_a_contract_ending_before_it_starts_is_refused_on_the_form(client, manager, hanbit):
    client.force_login(manager)
    response = client.post("/suppliers/contracts/new/", {
        "supplier": hanbit.pk, "kind": "uc", "title": "Backwards", "start": "2026-06-01", "end": "2026-05-01",
        "p1_resolution": "60"})
    assert response.status_code == 400
    assert response.context["form"].errors["end"] == ["The contract cannot end before it starts."]
    assert not Contract.objects.exists()


def test_agents_read_the_pages_but_not_the_forms(client, agent, hanbit, make_contract):
    contract = make_contract()
    client.force_login(agent)
    assert client.get("/suppliers/").status_code == 200
    assert client.get(f"/suppliers/{hanbit.pk}/").status_code == 200
    assert client.get(f"/suppliers/contracts/{contract.pk}/").status_code == 200
    assert client.get(f"/suppliers/contracts/{contract.pk}/edit/").status_code == 403
    assert client.post("/suppliers/new/", {"name": "Sneaky"}).status_code == 403
    assert not Supplier.objects.filter(name="Sneaky").exists()


def test_supplier_form_saves_contacts_and_refuses_a_bad_business_number(client, manager):
    client.force_login(manager)
    refused = client.post("/suppliers/new/", {"name": "누리클라우드", "business_number": "12-345", "active": "on"})
    assert refused.status_code == 400 and "business_number" in refused.context["form"].errors
    saved = client.post("/suppliers/new/", {"name": "누리클라우드", "business_number": "120-81-67890", "active": "on",
                                            "contacts": "이하나 | hana@nuri.example | 1588-0000 | 기술 책임자"})
    supplier = Supplier.objects.get()
    assert saved.status_code == 302
    assert [(c.name, c.email, c.phone, c.role) for c in supplier.contacts.all()] == [
        ("이하나", "hana@nuri.example", "1588-0000", "기술 책임자")]


def test_the_contract_list_filters_contracts_ending_soon(client, agent, make_contract):
    today = datetime.date.today()
    make_contract(title="Soon", start=today - datetime.timedelta(days=100), end=today + datetime.timedelta(days=10))
    make_contract(title="Later", start=today, end=today + datetime.timedelta(days=300))
    client.force_login(agent)
    page = client.get("/suppliers/contracts/?expiring_within=30").content.decode()
    assert "Soon" in page and "Later" not in page
