"""Browser journeys of an end user: answering the desk's question on a ticket on hold, and
getting back in with a forgotten password."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from conftest import screenshot
from core.choices import Channel
from incidents import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_end_user_answers_the_desks_question(page, login, end_user, agent):
    incident = services.open_incident(actor=end_user, channel=Channel.PORTAL, title="프린터 출력이 안 됩니다")
    services.comment(incident, actor=agent, channel=Channel.WEB, body="어느 층의 프린터인가요?")
    services.transition(incident, actor=agent, channel=Channel.WEB, target="on_hold", on_hold_reason="awaiting_caller")
    login(end_user)
    page.goto("/portal/")
    assert page.get_by_test_id("awaiting-reply").count() == 1
    page.click(f"text={incident.number}")
    banner = page.get_by_test_id("awaiting-reply")
    assert "Awaiting your reply" in banner.inner_text()
    assert "어느 층의 프린터인가요?" in banner.get_by_test_id("question").inner_text()
    assert page.get_by_test_id("state").inner_text().strip() == "Awaiting your reply"
    screenshot(page, "portal-awaiting-reply")
    banner.locator("#id_body").fill("3층 복도 프린터입니다.")
    banner.get_by_test_id("post-comment").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("state").inner_text().strip() == "In progress"
    assert page.get_by_test_id("awaiting-reply").count() == 0
    assert "3층 복도 프린터입니다." in page.get_by_test_id("timeline").inner_text()
    incident.refresh_from_db()
    assert incident.state == "in_progress"


def test_forgotten_password_from_the_login_page(page, live_server, end_user, settings):
    cache.clear()
    settings.SITE_URL = live_server.url
    page.goto("/accounts/login/")
    page.get_by_test_id("forgot-password").click()
    page.fill("#id_email", end_user.email)
    page.click("button[type=submit]")
    assert "Check your e-mail" in page.get_by_test_id("password-reset-sent").inner_text()
    (message,) = mail.outbox
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.fill("#id_new_password1", "a-fresh-long-passphrase-77")
    page.fill("#id_new_password2", "a-fresh-long-passphrase-77")
    page.click("button[type=submit]")
    page.get_by_test_id("go-login").click()
    page.fill("#id_username", end_user.username)
    page.fill("#id_password", "a-fresh-long-passphrase-77")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/portal/")
