"""Supplier management in a real browser: the supplier list with scorecards and contracts ending
soon, a supplier's page, the contract whose 8 h P1 UC sits under the 4 h P1 SLA with its alignment
warning, the expiring filter, and a contract that ends before it starts refused on the form.
Screenshots at 1440 and 390 px, in English and Korean, land in test-artifacts/."""

import datetime

import pytest

from conftest import shots, sign_in
from suppliers.models import Contract
from suppliers.tests.conftest import always, erp, hanbit, make_contract, p1_sla  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(manager, hanbit, make_contract, p1_sla):
    from core.choices import Channel
    from suppliers import services

    today = datetime.date.today()
    misaligned = make_contract(8 * 60, title="ERP maintenance UC", reference="HB-2026-014", value=180000000,
                               responsible=manager)
    make_contract(2 * 60, title="Portal hosting UC", start=today - datetime.timedelta(days=300),
                  end=today + datetime.timedelta(days=25), value=96000000)
    services.save_dispute(None, actor=manager, channel=Channel.WEB, fields={
        "contract": misaligned, "subject": "Credit for the March ERP outage", "amount": 4500000,
        "raised_on": today - datetime.timedelta(days=3)})
    return misaligned


@pytest.mark.parametrize("language", ["en", "ko"])
def test_supplier_pages_flag_the_misaligned_uc(page, login, manager, hanbit, world, language):
    sign_in(page, login, manager, language)
    page.goto("/suppliers/")
    assert hanbit.name in page.get_by_test_id("supplier-rows").inner_text()
    assert "Portal hosting UC" in page.get_by_test_id("expiring-contracts").inner_text()
    shots(page, f"suppliers-list-{language}")

    page.goto(f"/suppliers/{hanbit.pk}/")
    assert page.get_by_test_id("alignment-flag").count() == 1
    assert "March ERP outage" in page.get_by_test_id("disputes").inner_text()
    shots(page, f"suppliers-detail-{language}")

    page.goto(f"/suppliers/contracts/{world.pk}/")
    warning = page.get_by_test_id("alignment-warnings").inner_text()
    assert "P1" in warning and ("8 h" in warning or "8시간" in warning) and ("4 h" in warning or "4시간" in warning)
    shots(page, f"suppliers-contract-{language}")

    page.goto("/suppliers/contracts/?expiring_within=30")
    rows = page.get_by_test_id("contract-rows").inner_text()
    assert "Portal hosting UC" in rows and "ERP maintenance UC" not in rows
    shots(page, f"suppliers-contracts-expiring-{language}")


def test_a_contract_that_ends_before_it_starts_is_refused_on_the_form(page, login, manager, hanbit, erp):
    sign_in(page, login, manager, "en")
    page.goto(f"/suppliers/contracts/new/?supplier={hanbit.pk}")
    page.fill("#id_title", "Backwards contract")
    page.fill("#id_start", "2026-06-01")
    page.fill("#id_end", "2026-05-01")
    page.fill("#id_p1_resolution", "240")
    page.get_by_test_id("save").click()
    page.wait_for_load_state("networkidle")
    assert "cannot end before it starts" in page.locator("#id_end ~ .invalid-feedback").inner_text()
    assert not Contract.objects.filter(title="Backwards contract").exists()
    shots(page, "suppliers-contract-refused-en")
