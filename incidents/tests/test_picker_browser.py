"""In Chromium: the incident form's caller picker shows a name, never an id, and a typed full
name is enough."""

import pytest

from accounts.roles import Role
from conftest import screenshot
from incidents.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(make_user):
    minji = make_user(Role.END_USER, username="minji", display_name="Kim Minji")
    make_user(Role.END_USER, username="minsu", display_name="Kim Minsu")
    return minji


def test_part_of_a_name_then_a_pick_shows_the_name_and_files_for_that_caller(page, login, agent, people):
    login(agent)
    page.goto("/incidents/new/")
    page.fill("#id_title", "메일 발송 실패")
    box = page.locator("#id_caller_text")
    box.fill("kim min")
    options = page.locator("#id_caller_listbox [role=option]")
    options.first.wait_for()
    assert options.count() == 2
    assert box.get_attribute("aria-expanded") == "true"
    screenshot(page, "picker-open")
    # keyboard: down to the first suggestion, Enter picks it (and does not submit the form)
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    box.press("Enter")
    assert box.input_value() == f"Kim Minji ({people.email})"
    assert page.locator("#id_caller").input_value() == str(people.pk)
    assert page.locator("#id_caller_listbox").is_hidden()
    assert Incident.objects.count() == 0
    page.get_by_test_id("save-incident").click()
    page.wait_for_load_state("networkidle")
    incident = Incident.objects.get()
    assert incident.caller == people
    assert page.url.endswith(incident.get_absolute_url())
    assert "Kim Minji" in page.content()


def test_a_full_name_typed_without_picking_is_enough(page, login, agent, people):
    login(agent)
    page.goto("/incidents/new/")
    page.fill("#id_title", "VPN 접속 불가")
    page.fill("#id_caller_text", "Kim Minji")
    page.keyboard.press("Escape")
    page.get_by_test_id("save-incident").click()
    page.wait_for_load_state("networkidle")
    assert Incident.objects.get().caller == people


def test_a_click_on_a_suggestion_picks_it(page, login, agent, people):
    login(agent)
    page.goto("/incidents/new/")
    page.fill("#id_caller_text", "minsu")
    page.locator("#id_caller_listbox [role=option]", has_text="Kim Minsu").click()
    assert page.locator("#id_caller_text").input_value().startswith("Kim Minsu (")
    page.fill("#id_caller_text", "Kim Minsu x")  # edited after the pick: the id goes
    assert page.locator("#id_caller").input_value() == ""
