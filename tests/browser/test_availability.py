"""Availability and the public-sector SLA evaluation in a real browser (issue 17): the month per
service with a target warning, an outage recorded through the form, and the grade-1 example
sheet (40 outage minutes in November 2026 → 99.907 %, under the 99.92 % minimum; a 150-minute
restore → 30 minutes late and its sanction). Screenshots at 1440 and 390 px, English and Korean."""

import pytest

from availability import services as availability_services
from availability.tests.helpers import kst_nov
from cmdb.tests.factories import make_ci
from conftest import shots, sign_in
from incidents.models import Incident
from problems.tests.factories import make_incident
from publicsla import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _example(agent, manager):
    portal = make_ci("e-Government portal", "business_service")
    groupware = make_ci("Groupware", "business_service")
    incident = make_incident(agent, service=portal, title="Portal unreachable")
    Incident.objects.filter(pk=incident.pk).update(created_at=kst_nov(12, 10), resolved_at=kst_nov(12, 12, 30),
                                                   state="resolved")
    availability_services.record_outage(actor=agent, channel="web", service=portal, start=kst_nov(12, 10),
                                        end=kst_nov(12, 10, 40), incident=incident)
    # groupware misses its 99.5 % target: five hours down
    availability_services.record_outage(actor=agent, channel="web", service=groupware, start=kst_nov(20, 9),
                                        end=kst_nov(20, 14))
    availability_services.record_outage(actor=agent, channel="web", service=groupware, start=kst_nov(3, 2),
                                        end=kst_nov(3, 4), planned=True)
    contract = services.create_contract(actor=manager, channel="web", name="전자정부 포털 운영", system_grade=1,
                                        monthly_amount=50_000_000, services=[portal])
    return contract, portal, incident


@pytest.mark.parametrize("language", ["en", "ko"])
def test_availability_month_and_outage_form(page, login, agent, manager, language):
    _contract, portal, _incident = _example(agent, manager)
    sign_in(page, login, agent, language)
    page.goto("/availability/?month=2026-11")
    table = page.get_by_test_id("availability-table").inner_text()
    assert "99.907" in table
    assert "Groupware" in page.get_by_test_id("availability-warnings").inner_text()
    assert page.get_by_test_id("outage-list").locator("tbody tr").count() == 3
    shots(page, f"availability-month-{language}")
    # an outage that overlaps the portal's is refused, with the reason on the form
    form = page.get_by_test_id("outage-form")
    form.locator("#id_service").select_option(str(portal.pk))
    form.locator("#id_start").fill("2026-11-12T10:20")
    form.locator("#id_end").fill("2026-11-12T11:00")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".invalid-feedback").count() == 1
    shots(page, f"availability-overlap-refused-{language}")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_public_sla_sheet_shows_the_grade_1_example(page, login, agent, manager, language):
    contract, _portal, incident = _example(agent, manager)
    sign_in(page, login, manager, language)
    page.goto("/public-sla/")
    assert "전자정부 포털 운영" in page.get_by_test_id("contract-list").inner_text()
    shots(page, f"public-sla-contracts-{language}")
    page.goto(f"/public-sla/{contract.pk}/")
    assert page.get_by_test_id("indicator-table").locator("tbody tr").count() == 6  # five + one empty row
    shots(page, f"public-sla-contract-{language}")
    page.goto(f"/public-sla/{contract.pk}/evaluation/?month=2026-11")
    sheet = page.get_by_test_id("evaluation-sheet")
    assert "99.907 %" in page.get_by_test_id("availability").inner_text()
    assert "최소 수준 미달" in page.get_by_test_id("availability").inner_text()  # the sheet is in Korean
    delays = page.get_by_test_id("restore-delays").inner_text()
    assert incident.number in delays and "150" in delays and "30" in delays
    assert "3.00" in page.get_by_test_id("totals").inner_text()
    assert "공공 SLA 평가표" in sheet.inner_text()
    shots(page, f"public-sla-evaluation-{language}")
    # the indicator editor refuses an availability weight under 30 %
    page.goto(f"/public-sla/{contract.pk}/")
    page.fill("#id_ind-0-weight", "20")
    page.fill("#id_ind-4-weight", "40")
    page.get_by_test_id("save-contract").click()
    page.wait_for_load_state("networkidle")
    assert "30" in page.get_by_test_id("indicator-errors").inner_text()
    shots(page, f"public-sla-weights-refused-{language}")
