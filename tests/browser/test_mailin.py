"""Mail in's desk page in a real browser: an administrator reads the received log (a ticket opened
from Korean Outlook mail, an ignored bounce, a failed malformed message), follows the ticket link,
and edits a mailbox. Screenshots at 1440 and 390 px, in English and Korean, in test-artifacts/."""

import pytest

from accounts.roles import Role
from conftest import screenshot
from mailin import services
from mailin.models import Mailbox
from mailin.tests.conftest import corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


def shots(page, name):
    page.set_viewport_size(WIDE)
    screenshot(page, f"{name}-1440")
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-390")
    page.set_viewport_size(WIDE)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_administrator_reads_the_mail_log_and_edits_a_mailbox(page, login, make_user, team, language):
    admin = make_user(Role.ADMIN, username="mailadmin", language=language)
    mailbox = Mailbox.objects.create(name="helpdesk", address="helpdesk@desk.example", default_group=team)
    for name in ("outlook_euckr.eml", "dsn_bounce.eml", "malformed.eml", "webmail_html_only.eml",
                 "zip_bomb.eml"):
        services.ingest(corpus(name), mailbox=mailbox)
    login(admin)
    page.goto("/mail/")
    rows = page.locator("[data-testid=messages] tbody tr")
    assert rows.count() == 5
    assert page.locator("tr[data-state=failed]").count() == 1
    assert "multipart/report" in page.locator("tr[data-state=ignored]").inner_text()
    shots(page, f"mailin-log-{language}")
    page.click("text=helpdesk >> nth=0")
    page.wait_for_selector("[data-testid=mailbox-form]")
    page.fill("#id_imap_folder", "Desk")
    shots(page, f"mailin-mailbox-{language}")
    page.click("[data-testid=mailbox-form] button[type=submit]")
    page.wait_for_url("**/mail/")
    mailbox.refresh_from_db()
    assert mailbox.imap_folder == "Desk"
    page.click("[data-testid=messages] a:has-text('INC')>> nth=0")
    page.wait_for_load_state("networkidle")
    assert "전자결재" in page.content() or "Shared drive" in page.content() or "logs attached" in page.content()
