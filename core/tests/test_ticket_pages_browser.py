"""The shared desk list and record pages in a real browser, on a desktop and a phone."""

import pytest

from changes.tests.factories import make_change, make_ci
from conftest import screenshot
from core.choices import Channel
from incidents import services as incident_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", SIZES)
def test_incident_and_change_lists_and_records(page, login, agent, end_user, team, size):
    # given an incident for the agent's group and a change on a CI
    incident = incident_services.open_incident(actor=agent, channel=Channel.WEB, caller=end_user,
                                               title="메일 발송이 안 됩니다", assignment_group=team, impact=2, urgency=1)
    change = make_change(agent, cis=[make_ci("web01")], title="Patch web01 kernel")
    page.set_viewport_size(SIZES[size])
    login(agent)

    # the lists show their rows with the badges of the choices they declare
    page.goto("/incidents/?queue=all")
    row = page.locator("[data-testid=incident-row]")
    assert row.count() == 1
    assert row.locator(".badge.text-bg-warning").inner_text() == "P2"
    assert row.locator(".badge.text-bg-info").inner_text() == "New"
    screenshot(page, f"ticket-incident-list-{size}")
    # on a phone the filters fold away above the rows and one button opens them
    filters, toggle = page.locator("[data-testid=incident-filters]"), page.locator("[data-testid=filters-toggle]")
    if size == "phone":
        assert not filters.is_visible() and toggle.is_visible()
        toggle.click()
        filters.wait_for(state="visible")
    else:
        assert filters.is_visible() and not toggle.is_visible()

    page.goto("/changes/")
    assert page.locator("[data-testid=change-row]").count() == 1
    assert page.locator("[data-testid=change-row] .badge.text-bg-primary").first.inner_text() == "Normal"
    screenshot(page, f"ticket-change-list-{size}")

    # an invalid filter says so, in the same words on both lists, and lists nothing
    page.goto("/incidents/?queue=all&created_after=yesterday")
    incident_alert = page.locator("[data-testid=invalid-filter]")
    assert "Some filters could not be applied, so nothing is listed." in incident_alert.inner_text()
    assert page.locator("[data-testid=incident-row]").count() == 0
    screenshot(page, f"ticket-incident-list-invalid-filter-{size}")
    page.goto("/changes/?planned_after=next+week")
    change_alert = page.locator("[data-testid=invalid-filter] p").first.inner_text()
    assert change_alert == incident_alert.locator("p").first.inner_text()

    # the record pages
    page.goto(f"/incidents/{incident.pk}/")
    assert page.locator("[data-testid=state]").inner_text() == "New"
    screenshot(page, f"ticket-incident-detail-{size}")
    page.goto(f"/changes/{change.pk}/")
    assert page.locator("[data-testid=change-state]").inner_text() == "New"
    screenshot(page, f"ticket-change-detail-{size}")
