"""Browser: a manager sets up a calendar ticking Monday to Friday once (and adds a row for
Saturday), reads the holidays it applies, and changes an agreement's target."""

import pytest
from django.utils import timezone

from conftest import screenshot
from sla.models import BusinessCalendar
from sla.tests.factories import make_definition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_configures_a_calendar_and_a_target(page, login, manager):
    definition = make_definition("Gold", calendar=None, targets={3: (60, 240)})
    login(manager)
    # when: a new calendar, Monday to Friday ticked once with one pair of hours
    page.goto("/sla/")
    page.get_by_test_id("sla-config-link").click()
    page.get_by_role("link", name="Calendars", exact=True).click()
    page.get_by_test_id("new-calendar").click()
    page.fill("#id_name", "서울 본사")
    for day in range(5):
        page.check(f"#id_hours-0-weekdays_{day}")
    page.fill("#id_hours-0-start", "09:00")
    page.fill("#id_hours-0-end", "18:00")
    page.locator("[data-add-row=hours]").click()  # a third row, for Saturday morning
    page.check("#id_hours-2-weekdays_5")
    page.fill("#id_hours-2-start", "09:00")
    page.fill("#id_hours-2-end", "13:00")
    page.get_by_test_id("save-calendar").click()
    page.wait_for_load_state("networkidle")
    # then: five working days, and the Korean holidays of this year and next
    calendar = BusinessCalendar.objects.get(name="서울 본사")
    assert calendar.intervals.count() == 6
    hours = page.get_by_test_id("calendar-hours").inner_text()
    assert "Monday–Friday" in hours and "Saturday" in hours
    year = timezone.localdate().year
    for shown in (year, year + 1):
        text = page.get_by_test_id(f"holiday-year-{shown}").inner_text()
        assert "설날" in text and "추석" in text
    screenshot(page, "sla-config-calendar")
    # when: the agreement's P3 resolution target becomes 8 hours, on this calendar
    page.goto(definition.get_absolute_url())
    page.get_by_test_id("edit-definition").click()
    page.select_option("#id_calendar", str(calendar.pk))
    page.fill("#id_resolution_3", "8")
    page.select_option("#id_resolution_unit_3", "hours")
    page.get_by_test_id("save-definition").click()
    page.wait_for_load_state("networkidle")
    # then
    assert "8 h" in page.get_by_test_id("definition-targets").inner_text()
    assert definition.targets.get(priority=3).resolution_minutes == 480
    screenshot(page, "sla-config-definition")
