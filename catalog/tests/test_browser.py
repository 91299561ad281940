"""Browser: a catalog manager edits an item's request form and watches the live preview follow,
the preview's "shown only when" question appears with its answer, and the pages are looked at
(screenshots at 1440 and 390 px, in English and Korean, in test-artifacts/)."""

import pytest
from playwright.sync_api import expect

from catalog import selectors
from catalog.tests.factories import make_category, make_item
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def laptop_item(db):
    category = make_category("Hardware", name_ko="하드웨어")
    make_category("Laptops", name_ko="노트북", parent=category)
    item = make_item("Laptop", category=category, name_ko="노트북", summary="A laptop for work",
                     summary_ko="업무용 노트북", description="Standard or developer model.",
                     description_ko="표준형 또는 개발자용 모델.")
    selectors.refresh_search()
    return item


def shots(page, name, url):
    for language in ("en", "ko"):
        page.evaluate(f"document.cookie = 'django_language={language}; path=/'")
        for width, height in ((1440, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page.get_attribute("html", "lang") == language
            screenshot(page, f"catalog-{name}-{width}-{language}")
            page.screenshot(path=f"test-artifacts/catalog-{name}-{width}-{language}-top.png")
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} at {width}px ({language}) scrolls sideways by {overflow}px"
    page.evaluate("document.cookie = 'django_language=en; path=/'")
    page.set_viewport_size({"width": 1440, "height": 900})


def test_manager_edits_the_form_with_a_live_preview(page, login, manager, laptop_item):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(manager)
    page.goto("/catalog/")
    page.get_by_role("link", name="Laptop").first.click()
    # the preview on the item page: memory is asked only for the developer model
    preview = page.get_by_test_id("item-form-preview")
    # (expect waits for catalog-form.js, which hides the question once the page has loaded)
    expect(preview.get_by_label("Memory (GB)")).to_be_hidden()
    preview.locator("select").first.select_option("developer")
    expect(preview.get_by_label("Memory (GB)")).to_be_visible()
    # when: the manager renames a question in the editor
    page.get_by_test_id("edit-form").click()
    page.fill("#id_fields-2-label", "Why do you need it?")
    # then: the preview follows without saving
    page.get_by_test_id("form-preview").get_by_text("Why do you need it?").wait_for()
    # and a question pointing at itself is named in the preview's problems
    page.fill("#id_fields-1-show_if_field", "memory")
    page.get_by_test_id("preview-problem").first.wait_for()
    page.fill("#id_fields-1-show_if_field", "model")
    page.get_by_test_id("save-form").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "catalog-form-editor-saved")
    page.wait_for_url(f"**/catalog/items/{laptop_item.pk}/")
    laptop_item.refresh_from_db()
    assert laptop_item.form_ui["fields"]["reason"]["label"] == "Why do you need it?"
    assert errors == []


def test_catalog_pages_look_right(page, login, manager, laptop_item):
    login(manager)
    page.goto("/catalog/")
    for name, url in (("list", "/catalog/"), ("categories", "/catalog/categories/"),
                      ("detail", laptop_item.get_absolute_url()),
                      ("edit", f"/catalog/items/{laptop_item.pk}/edit/"),
                      ("form-editor", f"/catalog/items/{laptop_item.pk}/form/"),
                      ("plan", f"/catalog/items/{laptop_item.pk}/plan/")):
        shots(page, name, url)
