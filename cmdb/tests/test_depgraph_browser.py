"""The dependency picture in a real browser: readable at 1440 and 390 px, zoom and pan,
the full-screen view, and the same picture on a change page."""

import pytest

from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL_HEIGHT = "() => document.querySelector('[data-depgraph] .depgraph-label').getBoundingClientRect().height"


@pytest.fixture(autouse=True)
def default_classes(transactional_db):
    from cmdb.defaults import ensure_default_classes

    ensure_default_classes()


@pytest.fixture
def banking():
    """A business service needing 30 applications, each running on its own VM."""
    from cmdb.tests.factories import make_ci, relate

    service = make_ci("Online banking", "business_service")
    vms = []
    for i in range(30):
        app = make_ci(f"bank-app-{i:02d}", "application")
        vm = make_ci(f"vm-bank-{i:02d}", "virtual_machine")
        relate(service, app), relate(app, vm, "runs_on")
        vms.append(vm)
    return service, vms


def _no_page_overflow(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1440, 390])
def test_wide_service_stays_readable_and_zooms(page, login, agent, banking, width):
    service, _vms = banking
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size({"width": width, "height": 900})
    login(agent)
    page.goto(service.get_absolute_url())
    page.wait_for_selector("[data-depgraph][data-depgraph-ready]")
    # drawn at its natural size, not squeezed into the column
    assert page.evaluate(LABEL_HEIGHT) >= 11
    assert page.locator("[data-testid=depgraph-more] .depgraph-label").first.text_content() == "+18 more"
    assert _no_page_overflow(page)
    screenshot(page, f"depgraph-service-{width}")

    # zoom with the + button: the scale and the labels grow; the reset button brings 100% back
    before = page.evaluate(LABEL_HEIGHT)
    page.click("[data-testid=depgraph-zoom-in]")
    assert page.inner_text("[data-testid=depgraph-scale]") == "125%"
    assert page.evaluate(LABEL_HEIGHT) > before * 1.2
    page.click("[data-testid=depgraph-zoom-out]")
    page.click("[data-testid=depgraph-zoom-out]")
    assert page.inner_text("[data-testid=depgraph-scale]") == "80%"
    page.click("[data-depgraph-zoom=reset]")
    assert page.inner_text("[data-testid=depgraph-scale]") == "100%"
    assert errors == []


def test_drag_pans_and_the_full_screen_view_expands_a_level(page, login, agent, banking):
    service, _vms = banking
    page.set_viewport_size({"width": 1440, "height": 900})
    login(agent)
    page.goto(service.get_absolute_url())
    page.wait_for_selector("[data-depgraph][data-depgraph-ready]")
    viewport = page.locator("[data-depgraph-viewport]")
    left = viewport.evaluate("(el) => el.scrollLeft")
    box = viewport.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + box["height"] - 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 240, box["y"] + box["height"] - 20, steps=5)
    page.mouse.up()
    assert viewport.evaluate("(el) => el.scrollLeft") < left  # dragged right: the drawing moved right

    # the full-screen view: its own page, filling the window
    page.click("[data-testid=depgraph-page]")
    page.wait_for_url(f"**/cmdb/{service.pk}/dependencies/")
    page.wait_for_selector("[data-depgraph][data-depgraph-ready]")
    assert viewport.evaluate("(el) => el.getBoundingClientRect().height") > 600
    assert page.evaluate(LABEL_HEIGHT) >= 11
    screenshot(page, "depgraph-full-screen")
    # "+ 18 more" expands its level in place
    page.locator("[data-testid=depgraph-more]").first.click()
    page.wait_for_url("**/dependencies/?expand=1*")
    page.wait_for_selector("[data-depgraph][data-depgraph-ready]")
    assert page.locator(".depgraph-label", has_text="bank-app-29").count() == 1
    assert page.locator("[data-testid=depgraph-more]").count() == 1  # the VMs' level is still cut short
    assert page.locator("[data-testid=depgraph-collapse]").is_visible()
    # and the Fullscreen API button puts the picture alone on the screen
    page.click("[data-testid=depgraph-fullscreen]")
    page.wait_for_function("() => document.fullscreenElement && document.fullscreenElement.id === 'dependency-picture'")
    # the button's words change on the fullscreenchange event, a moment after fullscreenElement
    page.wait_for_function(
        "() => document.querySelector('[data-testid=depgraph-fullscreen]').textContent.trim() !== 'Full screen'")
    assert page.inner_text("[data-testid=depgraph-fullscreen]") == "Leave full screen"


@pytest.mark.parametrize("width", [1440, 390])
def test_change_page_draws_what_its_cis_hold_up(page, login, agent, banking, width):
    from changes.tests.factories import make_change

    _service, vms = banking
    change = make_change(agent, cis=vms[:14])
    page.set_viewport_size({"width": width, "height": 900})
    login(agent)
    page.goto(change.get_absolute_url())
    page.wait_for_selector("[data-testid=change-dependencies] [data-depgraph][data-depgraph-ready]")
    picture = page.locator("[data-testid=change-dependencies]")
    assert "Online banking" in picture.inner_html()
    assert page.evaluate(LABEL_HEIGHT) >= 11
    assert _no_page_overflow(page)
    page.click("[data-testid=depgraph-zoom-in]")
    assert page.inner_text("[data-testid=depgraph-scale]") == "125%"
    screenshot(page, f"depgraph-change-{width}")
