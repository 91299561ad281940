"""The change list, record page (approve), calendar and release pages in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from changes.models import FreezeWindow
from changes.tests.factories import make_change, make_ci, schedule, service, needs, to_authorize
from conftest import screenshot
from core.choices import Channel
from releases import services as release_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_change_pages(page, login, agent, manager):
    # given a scheduled change, one awaiting approval on the same CI, a freeze and a release
    web = make_ci("web01")
    svc = service("Online Banking")
    needs(svc, web)
    # 10:00 local time, so no window crosses midnight (a change spanning two days is drawn on both)
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=2)
    scheduled = schedule(make_change(agent, cis=[web], start=start, title="Patch web01 kernel"), agent, manager)
    pending = to_authorize(make_change(agent, cis=[web], start=start + timedelta(hours=1),
                                       title="Upgrade web01 nginx"), agent)
    FreezeWindow.objects.create(name="Quarter close", start=start + timedelta(days=3), end=start + timedelta(days=4))
    release_services.create_release(actor=agent, channel=Channel.WEB, title="Banking 3.2", version_label="3.2.0",
                                    changes=[scheduled], planned_date=start + timedelta(days=1))

    # when the manager opens the list
    login(manager)
    page.goto("/changes/")
    assert page.locator("[data-testid=change-row]").count() == 2
    screenshot(page, "changes-list")

    # and approves the pending change from its record page
    page.goto(f"/changes/{pending.pk}/")
    assert page.locator("[data-testid=approval-status]").inner_text().strip() == "Pending"
    page.fill("#id_comment", "Fine, keep the backout ready.")
    page.click("[data-testid=approve]")
    page.wait_for_load_state("networkidle")
    # then it is scheduled and shows the conflict with the other change on web01
    assert page.locator("[data-testid=change-state]").inner_text().strip() == "Scheduled"
    conflicts = page.locator("[data-testid=conflicts]")
    assert scheduled.number in conflicts.inner_text()
    assert "Fine, keep the backout ready." in page.locator("[data-testid=approvals]").inner_text()
    screenshot(page, "change-detail")

    # the calendar shows both changes, the freeze and the release
    page.goto(f"/changes/calendar/?date={start.date().isoformat()}")
    assert page.locator("[data-testid=cal-change]").count() >= 2
    assert page.locator("[data-testid=cal-freeze]").count() >= 1
    assert page.locator("[data-testid=cal-release]").count() == 1
    screenshot(page, "change-calendar-month")
    page.goto(f"/changes/calendar/?view=week&date={start.date().isoformat()}&service={svc.pk}")
    assert page.locator("[data-testid=cal-change]").count() == 2
    screenshot(page, "change-calendar-week")


def test_release_pages(page, login, agent, manager):
    change = schedule(make_change(agent), agent, manager)
    release = release_services.create_release(actor=agent, channel=Channel.WEB, title="Payroll 2026.12",
                                              version_label="2026.12.0", changes=[change],
                                              test_summary="412 passed", tests_passed=True)
    login(agent)
    page.goto("/releases/")
    assert page.locator("[data-testid=release-row]").count() == 1
    screenshot(page, "releases-list")
    page.goto(f"/releases/{release.pk}/")
    assert "Ready for production" in page.locator("[data-testid=ready]").inner_text()
    page.select_option("#id_environment", "test")
    page.select_option("#id_state", "in_progress")
    page.click("[data-testid=deploy-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "In progress" in page.locator("[data-testid=deployments]").inner_text()
    screenshot(page, "release-detail")


def test_new_change_form_rejects_backwards_window(page, login, agent):
    login(agent)
    page.goto("/changes/new/")
    page.fill("#id_title", "Replace core switch")
    page.fill("#id_planned_start", "2026-12-10T22:00")
    page.fill("#id_planned_end", "2026-12-10T20:00")
    page.click("[data-testid=save-change]")
    page.wait_for_load_state("networkidle")
    assert "ends before it starts" in page.content()
    screenshot(page, "change-form-error")
