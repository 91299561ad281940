"""Forgot password: a reset link by e-mail (to SITE_URL, in the reader's language), a new
password set through the audited use case, and no hint whether an address has an account."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from accounts import password_reset
from core.models import AuditEntry

pytestmark = pytest.mark.django_db
FORGOT = "/accounts/password/forgot/"
NEW_PASSWORD = "a-fresh-long-passphrase-77"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def reset_link(message):
    return re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)


def test_the_login_page_links_to_the_forgot_password_page(client):
    assert f'href="{FORGOT}"' in client.get("/accounts/login/").content.decode()


def test_reset_end_to_end(client, end_user, settings):
    settings.SITE_URL = "https://desk.example.com/"
    response = client.post(FORGOT, {"email": end_user.email.upper()}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [end_user.email]
    assert message.subject == "Reset your service desk password"
    link = reset_link(message)
    assert link.startswith("https://desk.example.com/accounts/password/reset/")
    assert f"Your username is {end_user.username}." in message.body

    path = link.removeprefix("https://desk.example.com")
    form_page = client.get(path, follow=True)
    assert 'data-testid="set-password-form"' in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 400 and "This password is too short" in weak.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "Your new password is saved." in done.content.decode()

    end_user.refresh_from_db()
    assert end_user.check_password(NEW_PASSWORD)
    audit = AuditEntry.objects.get(object_id=end_user.pk, field="password")
    assert (audit.actor, audit.old_value, audit.new_value) == (end_user, None, None)
    # the link works once
    assert 'data-testid="invalid-link"' in client.get(path, follow=True).content.decode()
    client.logout()
    assert client.post("/accounts/login/", {"username": end_user.username, "password": NEW_PASSWORD}).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(FORGOT, {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/forgot/sent/"
    assert mail.outbox == []


def test_an_invalid_address_is_refused_with_a_message(client):
    response = client.post(FORGOT, {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert 'value="not an address"' in response.content.decode()


def test_the_mail_is_in_the_readers_language(client, end_user):
    end_user.language = "ko"
    end_user.save()
    client.post(FORGOT, {"email": end_user.email})
    (message,) = mail.outbox
    assert message.subject == "서비스 데스크 비밀번호 재설정"
    assert "새 비밀번호를 정하려면" in message.body


def test_one_address_gets_a_few_mails_then_quietly_no_more(client, end_user):
    for _attempt in range(password_reset.PER_ADDRESS + 2):
        response = client.post(FORGOT, {"email": end_user.email})
        assert response.status_code == 302
    assert len(mail.outbox) == password_reset.PER_ADDRESS


def test_one_client_asking_too_often_is_told_to_wait(client):
    for attempt in range(password_reset.PER_CLIENT):
        assert client.post(FORGOT, {"email": f"someone{attempt}@example.com"}).status_code == 302
    refused = client.post(FORGOT, {"email": "another@example.com"})
    assert refused.status_code == 429
    assert "Please try again in an hour." in refused.content.decode()


def test_a_locked_out_user_resets_the_password_and_logs_in_at_once(client, end_user):
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": end_user.username, "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": end_user.username, "password": "wrong"})
    assert locked.status_code == 429 and f'href="{FORGOT}"' in locked.content.decode()
    client.post(FORGOT, {"email": end_user.email})
    form_page = client.get("/" + reset_link(mail.outbox[0]).split("/", 3)[3], follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post("/accounts/login/", {"username": end_user.username, "password": NEW_PASSWORD})
    assert response.status_code == 302
