"""Browser journeys: an agent works a problem and searches the known-error database."""

import pytest

from conftest import screenshot
from core.choices import Channel
from problems import services
from problems.models import Problem
from problems.tests.factories import make_ci, make_incident, make_known_error, make_problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_works_a_problem(page, login, agent, end_user, team):
    # given
    gateway = make_ci("vpn-gw-01")
    first = make_incident(end_user, title="VPN 연결이 10분마다 끊깁니다", configuration_item=gateway, state="in_progress")
    second = make_incident(end_user, title="VPN drops in the afternoon", configuration_item=gateway)
    problem = services.raise_problem_from_incidents([first, second], actor=agent, channel=Channel.WEB,
                                                    title="VPN sessions drop", priority=2, assignment_group=team)
    make_known_error(agent, title="Outlook search returns nothing", workaround="Rebuild the search index.")
    make_problem(agent, title="Backups fail on the reporting cluster")
    login(agent)
    # when: the list, filtered to open problems with "VPN"
    page.goto("/problems/")
    assert page.get_by_test_id("problem-table").locator("tbody tr").count() == 3
    screenshot(page, "problems-list")
    page.fill("#id_search", "VPN")
    page.get_by_test_id("problem-filters").locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=problem-table] tbody tr').length === 1")
    page.click(f"text={problem.number}")
    page.wait_for_load_state("networkidle")
    assert problem.number in page.get_by_test_id("problem-title").inner_text()
    # when: publish it as a known error with a workaround
    page.select_option("#id_state", "known_error")
    page.fill("#id_workaround", "Disable split tunnelling in the VPN client.")
    page.get_by_test_id("transition-form").locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    # then
    problem.refresh_from_db()
    assert problem.state == "known_error"
    assert "Disable split tunnelling" in page.get_by_test_id("workaround").inner_text()
    assert "Known error" in page.get_by_test_id("timeline").inner_text()
    # when: resolve it together with its open incidents
    page.select_option("#id_state", "resolved")
    page.fill("#id_root_cause", "Concentrator firmware ignores keep-alives.")
    page.check("#id_resolve_incidents")
    screenshot(page, "problems-detail")
    page.get_by_test_id("transition-form").locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    # then
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("resolved", "resolved")
    screenshot(page, "problems-detail-resolved")


def test_known_error_database_search_and_apply(page, login, agent, end_user):
    # given
    gateway = make_ci("vpn-gw-02")
    vpn = make_known_error(agent, title="VPN sessions drop after 10 minutes",
                           workaround="Disable split tunnelling, then reconnect.", configuration_items=[gateway])
    make_known_error(agent, title="Printing fails on 3F", workaround="Use the print server queue.",
                     root_cause="Direct IP ports blocked by the new VLAN.")
    incident = make_incident(end_user, title="VPN keeps disconnecting", configuration_item=gateway)
    login(agent)
    # when
    page.goto("/problems/known-errors/")
    assert page.get_by_test_id("known-error").count() == 2
    page.fill("#ke-search", "tunnelling")
    page.press("#ke-search", "Enter")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=known-error]').length === 1")
    screenshot(page, "problems-known-errors")
    # when: the suggestions fragment the incident page embeds
    page.goto(f"/problems/known-errors/?incident={incident.pk}")
    card = page.get_by_test_id("known-error").filter(has_text=vpn.title)
    card.get_by_role("button", name=f"Apply to {incident.number}").click()
    page.wait_for_load_state("networkidle")
    # then
    assert list(vpn.incidents.all()) == [incident]
    assert Problem.objects.get(pk=vpn.pk).version == 2
    # and the incident page embeds the matching known errors, marked as linked now
    page.goto(incident.get_absolute_url())
    suggestion = page.get_by_test_id("suggested-known-error").first
    suggestion.wait_for()
    assert vpn.number in suggestion.inner_text()
    screenshot(page, "problems-suggestions-on-incident")
    # and the known-error database reads in Korean
    page.goto("/problems/known-errors/")
    with page.expect_navigation():
        page.select_option("#language-select", "ko")
    assert "알려진 오류 데이터베이스" in page.locator("h1").inner_text()
    screenshot(page, "problems-known-errors-ko")


def test_new_problem_form_shows_errors(page, login, agent):
    login(agent)
    page.goto("/problems/new/")
    page.get_by_test_id("problem-form").locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert Problem.objects.count() == 0
    page.fill("#id_title", "Mail delivery delays every Monday")
    page.check("#id_known_error")
    page.get_by_test_id("problem-form").locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "problems-form-error")
    assert Problem.objects.count() == 0
    page.fill("#id_workaround", "Resend from the web client.")
    page.get_by_test_id("problem-form").locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    problem = Problem.objects.get()
    assert page.url.endswith(problem.get_absolute_url())
