"""The CI list and CI page in a real browser (Chromium through Playwright)."""

import pytest

from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_list_filter_and_detail_page(page, login, agent, team):
    from cmdb.tests.factories import make_ci, relate

    service = make_ci("Payroll", "business_service", attributes={"sla_tier": "gold"}, owner_group=team)
    app = make_ci("payroll-web", "application", attributes={"app_version": "2.4.1"})
    database = make_ci("payroll-db", "database", attributes={"engine": "postgresql", "port": 5432})
    vm = make_ci("vm-payroll-01", "virtual_machine", attributes={"cpu_count": 4})
    host = make_ci("esx-01", "server", attributes={"cpu_count": 64, "os": "ESXi 8"}, criticality=1)
    relate(service, app), relate(app, database), relate(app, vm, "runs_on"), relate(database, vm, "hosted_on")
    relate(vm, host, "hosted_on")
    login(agent)

    # the list, then filtered by class through htmx
    page.goto("/cmdb/")
    assert page.locator("[data-testid=ci-row]").count() == 5
    page.select_option("#id_ci_class", ["database"])
    page.wait_for_function("document.querySelectorAll('[data-testid=ci-row]').length === 1")
    screenshot(page, "cmdb-list")

    # the CI page with its graph
    page.click("text=payroll-db")
    page.wait_for_selector("[data-testid=ci-name]")
    assert page.inner_text("[data-testid=ci-name]") == "payroll-db"
    assert page.locator("[data-testid=dependency-graph] rect").count() >= 4
    assert "Payroll" in page.inner_text("[data-testid=ci-services]")
    screenshot(page, "cmdb-detail")

    # the impact panel switches direction in place
    page.select_option("select[name=direction]", "upstream")
    page.wait_for_function("document.querySelector('[data-testid=impact-table]').innerText.includes('esx-01')")

    # the edit form shows the class's attribute fields
    page.click("[data-testid=edit-ci]")
    assert page.input_value("#id_attr__port") == "5432"
    screenshot(page, "cmdb-form")
