"""A manager works their approvals in a real browser: the count in the navigation, the inbox,
the stage-named buttons, and no second vote on the next stage by the same person."""

import pytest

from changes.choices import ApprovalMode, ChangeType as T, Risk
from changes.tests.factories import make_change, make_group, make_policy, to_authorize
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_works_the_approvals_inbox(page, login, requester, manager, cab):
    # given a two-stage policy (the change manager, then the board) and two changes awaiting it
    board = make_group("CAB", [manager, *cab])
    policy = make_policy(T.NORMAL, [(board, ApprovalMode.ANY, None), (board, ApprovalMode.QUORUM, 2)], risk=Risk.HIGH)
    policy.stages.filter(order=1).update(name="Change manager", managers_decide=True)
    policy.stages.filter(order=2).update(name="CAB")
    first = to_authorize(make_change(requester, title="Replace the core switch"), requester, risk=Risk.HIGH)
    to_authorize(make_change(requester, title="Move the mail relay"), requester, risk=Risk.HIGH)

    # when the manager signs in, the navigation shows two decisions waiting
    login(manager)
    page.goto("/changes/")
    assert page.locator("[data-testid=nav-approvals-count]").inner_text().strip() == "2"
    # on a phone the folded menu hides that link: the count sits beside the menu button
    assert not page.locator("[data-testid=nav-approvals-phone]").is_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator("[data-testid=nav-approvals-phone]").inner_text().strip() == "2 approvals"
    screenshot(page, "approvals-phone-badge")
    page.set_viewport_size({"width": 1360, "height": 900})

    # and the inbox lists both, at the change manager's stage
    page.click("[data-testid=nav-approvals]")
    page.wait_for_load_state("networkidle")
    rows = page.locator("[data-testid=approval-row]")
    assert rows.count() == 2
    assert "Change manager" in rows.first.inner_text() and "High" in rows.first.inner_text()
    screenshot(page, "approvals-inbox")

    # the record's buttons name the stage the vote is for
    page.click(f"[data-testid=approval-link]:text('{first.number}')")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=approve]").inner_text().strip() == "Approve — Change manager stage"
    assert page.locator("[data-testid=reject]").inner_text().strip() == "Reject — Change manager stage"
    page.fill("#id_comment", "Owner agrees.")
    page.click("[data-testid=approve]")
    page.wait_for_load_state("networkidle")

    # then the board's stage is next, but not offered to the manager, and the page says why
    assert page.locator("[data-testid=approval-form]").count() == 0
    assert "one stage per person" in page.locator("[data-testid=approval-not-offered]").inner_text()
    assert "Pending" in page.locator("[data-testid=approval-stages] li[data-stage='2']").inner_text()
    assert page.locator("[data-testid=nav-approvals-count]").inner_text().strip() == "1"
    screenshot(page, "approvals-change-panel")


def _menu_rows(page):
    """How many rows the brand, the top-level menu entries, the language select and the user menu
    take: items on one row have their middles within a few pixels of each other."""
    middles = page.evaluate("""() => [...document.querySelectorAll(
        '.navbar-brand, #mainnav > ul > li, #language-select, [data-testid=user-menu]')]
        .map(e => { const box = e.getBoundingClientRect(); return box.top + box.height / 2; })""")
    return 1 + sum(1 for above, below in zip(sorted(middles), sorted(middles)[1:]) if below - above > 12)


def test_a_managers_menu_with_decisions_waiting_fits_one_row_on_a_1440_px_laptop(page, login, requester, manager, cab):
    # given a manager with a decision waiting (the widest desk menu: every entry plus the badge)
    # and a name as long as the demo's
    manager.display_name = "Demo Manager"
    manager.save(update_fields=["display_name"])
    board = make_group("CAB", [manager, *cab])
    make_policy(T.NORMAL, [(board, ApprovalMode.ANY, None)], risk=Risk.HIGH)
    to_authorize(make_change(requester, title="Replace the core switch"), requester, risk=Risk.HIGH)
    page.set_viewport_size({"width": 1440, "height": 900})
    login(manager)
    page.goto("/incidents/")
    assert page.locator("[data-testid=nav-approvals-count]").is_visible()
    # then the menu takes one row in English, and in Korean
    screenshot(page, "manager-menu-1440-en", full_page=False)
    assert _menu_rows(page) == 1
    page.select_option("#language-select", "ko")
    page.wait_for_function("() => document.documentElement.lang === 'ko'")
    screenshot(page, "manager-menu-1440-ko", full_page=False)
    assert _menu_rows(page) == 1
