"""Browser: on the incident page the agent sees plainly whether they write a work note or a reply
to the caller before posting, and the timeline shows which each entry was."""

import pytest

from conftest import screenshot
from core.choices import Channel
from core.models import Comment
from incidents import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMBER = "rgb(255, 248, 225)"  # .comment-pane of a work note (static/css/itsm.css)


def test_work_note_is_the_default_and_looks_internal_then_a_public_reply(page, login, agent, end_user, team):
    incident = services.open_incident(actor=end_user, channel=Channel.PORTAL, title="VPN drops every hour",
                                      description="Since this morning.")
    login(agent)
    page.goto(incident.get_absolute_url())
    form = page.get_by_test_id("comment-form")
    assert page.locator("#visibility-internal").is_checked()
    assert not page.locator("#visibility-public").is_checked()
    pane = form.locator(".comment-pane")
    assert pane.evaluate("el => getComputedStyle(el).backgroundColor") == AMBER
    assert page.get_by_test_id("hint-internal").is_visible()
    assert "Only agents see this." in page.get_by_test_id("hint-internal").inner_text()
    assert not page.get_by_test_id("hint-public").is_visible()
    assert page.get_by_test_id("post-comment").inner_text().strip() == "Add work note"
    screenshot(page, "incident-work-note-tab")

    page.fill("#id_body", "Checked the VPN concentrator logs.")
    page.get_by_test_id("post-comment").click()
    page.wait_for_load_state("networkidle")
    assert f"Work note added to {incident.number}." in page.locator("body").inner_text()
    entry = page.locator(".timeline-work_note").filter(has_text="Checked the VPN concentrator logs.")
    assert "Work note · internal" in entry.inner_text()
    assert Comment.objects.for_object(incident).get().internal is True

    # the public tab: another colour, says who reads it, and the button says what it sends
    page.locator("label[for=visibility-public]").click()
    assert pane.evaluate("el => getComputedStyle(el).backgroundColor") != AMBER
    hint = page.get_by_test_id("hint-public")
    assert hint.is_visible() and f"{end_user} will see this on the portal and be e-mailed." in hint.inner_text()
    assert not page.get_by_test_id("hint-internal").is_visible()
    assert page.get_by_test_id("post-comment").inner_text().strip() == "Send reply to caller"
    screenshot(page, "incident-public-tab")
    page.fill("#id_body", "We are restarting the VPN gateway.")
    page.get_by_test_id("post-comment").click()
    page.wait_for_load_state("networkidle")
    reply = page.locator(".timeline-comment").filter(has_text="We are restarting the VPN gateway.")
    assert "Public" in reply.inner_text()
    assert list(Comment.objects.for_object(incident).order_by("pk").values_list("internal", flat=True)) == [
        True, False]
    # after posting, the form is back on the safe default
    assert page.locator("#visibility-internal").is_checked()
