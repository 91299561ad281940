"""The CI list and CI page in a real browser (Chromium through Playwright)."""

import pytest

from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def default_classes(transactional_db):
    # A transactional test before this one may have flushed the data migration's classes.
    from cmdb.defaults import ensure_default_classes

    ensure_default_classes()


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
    page.wait_for_function("() => document.querySelectorAll('[data-testid=ci-row]').length === 1")
    screenshot(page, "cmdb-list")

    # the CI page with its graph
    page.click("text=payroll-db")
    page.wait_for_selector("[data-testid=ci-name]")
    assert page.inner_text("[data-testid=ci-name]") == "payroll-db"
    assert page.locator("[data-testid=dependency-graph] rect").count() >= 4
    page.wait_for_selector("[data-testid=ci-services-list]")  # loaded by htmx after the page
    assert "Payroll" in page.inner_text("[data-testid=ci-services]")
    screenshot(page, "cmdb-detail")

    # the impact panel switches direction in place
    page.select_option("select[name=direction]", "upstream")
    page.wait_for_function("() => document.querySelector('[data-testid=impact-table]').innerText.includes('esx-01')")

    # the edit form shows the class's attribute fields
    page.click("[data-testid=edit-ci]")
    assert page.input_value("#id_attr__port") == "5432"
    screenshot(page, "cmdb-form")


def test_import_preview_then_run(page, login, agent, tmp_path):
    from cmdb.models import ConfigurationItem

    csv_file = tmp_path / "cis.csv"
    csv_file.write_text("ci_class,name,environment,attr.cpu_count\n"
                        "server,esx-01,production,16\n"
                        "server,esx-02,production,many\n"
                        "server,esx-03,staging,8\n")
    login(agent)
    page.goto("/cmdb/import/")
    page.set_input_files("#id_file", str(csv_file))
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_selector("[data-testid=import-job][data-status=done]")
    assert "attributes.cpu_count: 'many' is not of type 'integer'" in page.inner_text("[data-testid=import-errors]")
    screenshot(page, "cmdb-import-preview")
    assert ConfigurationItem.objects.count() == 0

    page.check("input[name=skip_bad_rows]")
    page.click("[data-testid=run-import]")
    page.wait_for_selector("[data-testid=import-job][data-status=done]")
    assert "2 created" in page.inner_text("[data-testid=import-message]")
    assert ConfigurationItem.objects.count() == 2


def test_switch_page_draws_peer_links_and_shows_what_depends_on_it(page, login, agent):
    from cmdb.tests.factories import make_ci, relate

    service = make_ci("Payroll", "business_service")
    vm = make_ci("vm-payroll-01", "virtual_machine")
    host = make_ci("esx-01", "server")
    switch = make_ci("sw-core-01", "network_device", attributes={"device_type": "switch"})
    peer = make_ci("sw-core-02", "network_device", attributes={"device_type": "switch"})
    relate(service, vm, "runs_on"), relate(vm, host, "hosted_on"), relate(host, switch, "depends_on")
    relate(switch, peer, "connects_to")
    login(agent)
    page.goto(switch.get_absolute_url())
    page.wait_for_selector("[data-testid=ci-services-list]")
    assert "Payroll" in page.inner_text("[data-testid=ci-services]")
    graph = page.locator("[data-testid=dependency-graph]")
    assert "peer link" in graph.inner_html() and "sw-core-02" in graph.inner_html()
    assert "sw-core-02" not in page.inner_text("[data-testid=impact-table]")
    screenshot(page, "cmdb-switch-peers")
