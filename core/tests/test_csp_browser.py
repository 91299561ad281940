"""In Chromium, the main pages run under the Content-Security-Policy without a single violation
or script error, and the behaviour moved out of inline handlers still works."""

import pytest

from conftest import screenshot
from core.choices import Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered by Playwright before any page script (and outside the page's policy).
COLLECT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "")
                              + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation, console error and uncaught exception collected."""
    problems = []
    page.add_init_script(COLLECT)
    def on_console(message):
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):  # the browser's own guess
            problems.append(f"console: {message.text} {url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"error: {error}"))

    def visit(path):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        problems.extend(f"{path}: {v}" for v in page.evaluate("window.__cspViolations || []"))
        return page

    page.visit = visit
    page.problems = problems
    return page


@pytest.fixture
def estate(agent, team):
    from cmdb.choices import BUSINESS_SERVICE_SLUG
    from cmdb.models import CIClass, ImportJob
    from cmdb.tests.factories import make_ci, relate
    from incidents import services

    service_class = CIClass.objects.get_or_create(slug=BUSINESS_SERVICE_SLUG, defaults={"name": "Business service"})[0]
    groupware = make_ci("Groupware", service_class)
    mail = make_ci("mail-01", "server", owner_group=team)
    relate(groupware, mail)
    incident = services.open_incident(actor=agent, channel=Channel.WEB, title="Mail down", caller=agent,
                                      configuration_item=mail, service=groupware)
    job = ImportJob.objects.create(kind="cis", payload="", filename="x.csv", total_rows=4, processed_rows=1,
                                   created_by=agent)
    return {"groupware": groupware, "mail": mail, "incident": incident, "job": job}


def test_desk_pages_raise_no_policy_violation(watched, login, agent, estate):
    login(agent)
    for path in ["/", "/incidents/?queue=open", f"/incidents/{estate['incident'].pk}/", "/incidents/new/",
                 "/problems/", "/problems/new/", "/problems/known-errors/", "/changes/", "/changes/new/",
                 "/changes/calendar/", "/releases/", "/cmdb/", f"/cmdb/{estate['mail'].pk}/", "/cmdb/import/",
                 f"/cmdb/import/{estate['job'].pk}/", "/sla/", "/sla/reports/", "/sla/reports/service/",
                 "/sla/breaches/", "/accounts/profile/", "/accounts/tokens/"]:
        watched.visit(path)
    screenshot(watched, "csp-ci-detail")
    assert watched.problems == []


def test_portal_and_admin_pages_raise_no_policy_violation(watched, login, end_user, admin_user, estate):
    login(end_user)
    for path in ["/portal/", "/portal/new/"]:
        watched.visit(path)
    watched.context.clear_cookies()
    login(admin_user)
    for path in ["/admin/", "/admin/incidents/incident/", f"/admin/cmdb/configurationitem/{estate['mail'].pk}/change/"]:
        watched.visit(path)
    assert watched.problems == []


def test_moved_handlers_still_work(watched, login, agent, estate):
    login(agent)
    # the import job's progress bar gets its width from data-progress (1 of 4 rows)
    watched.visit(f"/cmdb/import/{estate['job'].pk}/")
    width = watched.eval_on_selector("[data-progress]", "el => el.style.width")
    assert width == "25%"
    # "Use it" under the service field fills in the suggested business service
    watched.visit("/incidents/new/")
    # ... once a CI is picked from the picker's suggestions (static/js/picker.js)
    watched.fill("#id_configuration_item_text", estate["groupware"].name)
    watched.locator(f"#id_configuration_item_listbox [data-id='{estate['groupware'].pk}']").click()
    watched.get_by_test_id("service-suggestion").get_by_role("button").click()
    assert watched.input_value("#id_service") == str(estate["groupware"].pk)
    screenshot(watched, "csp-service-suggestion")
    # choosing a language submits the form at once
    with watched.expect_navigation():
        watched.select_option("#language-select", "ko")
    assert watched.locator("html").get_attribute("lang") == "ko"
    assert watched.problems == []
