"""Dashboards in the browser: a manager opens the dashboard from the menu, the charts draw (no
inline script: the Content-Security-Policy would refuse it and log an error), the page fits a
phone, and the SLA breach figure leads to exactly its incidents. The lead and agent dashboards
too. Screenshots at 1440 and 390 px, English and Korean, land in test-artifacts/."""

import pytest

from accounts.roles import Role
from conftest import screenshot
from dashboards import manager as manager_figures
from dashboards.tests.worlds import build_world

pytestmark = pytest.mark.django_db(transaction=True)

WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture
def world(agent, other_agent, manager, team, end_user, make_user):
    data = build_world(agent=agent, other_agent=other_agent, team=team, end_user=end_user, make_user=make_user)
    manager_figures.refresh()
    return data


def watch(page):
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    return problems


def in_language(page, language):
    if language == "ko":
        page.select_option("#language-select", "ko")
        page.wait_for_function("() => document.documentElement.lang === 'ko'")


def charts_drawn(page):
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() >= 1
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas[data-chart]')].every(c => c.dataset.drawn === 'true'"
        " && c.width > 0 && c.height > 0)")


def fits(page):
    """Nothing wider than the viewport (a chart or table overflowing would widen the page)."""
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def shots(page, name):
    page.set_viewport_size(WIDE)
    page.wait_for_timeout(150)  # charts resize on the next frame
    fits(page)
    screenshot(page, f"{name}-1440")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(150)
    fits(page)
    screenshot(page, f"{name}-390")
    page.set_viewport_size(WIDE)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_manager_follows_the_breach_figure_to_its_tickets(page, login, manager, world, language):
    problems = watch(page)
    page.set_viewport_size(WIDE)
    login(manager)
    in_language(page, language)
    page.click("[data-testid=nav-dashboards]")
    page.wait_for_url("**/dashboards/manager/")
    charts_drawn(page)
    assert page.locator("[data-testid=dash-as-of]").inner_text().strip()
    shots(page, f"dashboards-manager-{language}")

    figure = page.locator("[data-testid=dash-breaches] [data-testid=dash-figure]")
    assert figure.inner_text().strip() == "1"
    page.click("[data-testid=dash-breaches]")
    page.wait_for_load_state("networkidle")
    assert "/incidents/" in page.url and "breached=true" in page.url
    rows = page.locator("[data-testid=incident-row]")
    assert rows.count() == 1 and world["breached"].number in rows.first.inner_text()
    screenshot(page, f"dashboards-manager-breaches-{language}-1440")
    assert problems == []


@pytest.mark.parametrize("language", ["en", "ko"])
def test_lead_and_agent_dashboards_draw(page, login, agent, world, language):
    problems = watch(page)
    page.set_viewport_size(WIDE)
    login(world["lead"])
    in_language(page, language)
    page.goto("/dashboards/")
    page.wait_for_url("**/dashboards/lead/")
    charts_drawn(page)
    assert page.locator("[data-testid=dash-team-%d]" % world["network"].pk).count() == 1
    shots(page, f"dashboards-lead-{language}")

    page.click("[data-testid=dashboard-tabs] a[href$='/agent/']")
    page.wait_for_url("**/dashboards/agent/")
    charts_drawn(page)
    shots(page, f"dashboards-agent-{language}")
    assert problems == []


def test_an_end_user_is_sent_to_the_portal(page, login, make_user):
    user = make_user(Role.END_USER, username="citizen")
    login(user)
    page.goto("/dashboards/")
    page.wait_for_load_state("networkidle")
    assert "/portal/" in page.url
