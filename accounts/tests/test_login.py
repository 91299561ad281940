"""Logging in and out, changing the password, and failed-login throttling (django-axes)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from conftest import PASSWORD

LOGIN = "/accounts/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.django_db
def test_login_page_renders(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content and b'name="password"' in response.content


@pytest.mark.django_db
def test_agent_logs_in_and_lands_on_the_desk(client, agent):
    # when
    response = _login(client, "agent", PASSWORD)
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(agent.pk)
    assert client.get(reverse("home"))["Location"] == reverse("incidents:incident_list")


@pytest.mark.django_db
def test_end_user_lands_on_the_portal(client, end_user):
    _login(client, "enduser", PASSWORD)
    assert client.get(reverse("home"))["Location"] == reverse("portal:home")


@pytest.mark.django_db
def test_wrong_password_shows_an_error(client, agent):
    response = _login(client, "agent", "wrong")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert b"alert-danger" in response.content


@pytest.mark.django_db
def test_login_keeps_a_safe_next_and_drops_a_foreign_one(client, agent):
    response = client.post(LOGIN + "?next=/accounts/profile/", {"username": "agent", "password": PASSWORD,
                                                                 "next": "/accounts/profile/"})
    assert response["Location"] == "/accounts/profile/"
    client.logout()
    response = client.post(LOGIN, {"username": "agent", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_logout_ends_the_session(client, agent):
    # given
    _login(client, "agent", PASSWORD)
    # when
    response = client.post("/accounts/logout/")
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    assert client.get("/accounts/profile/").status_code == 302


@pytest.mark.django_db
def test_logout_by_get_is_refused(client, agent):
    client.force_login(agent)
    assert client.get("/accounts/logout/").status_code == 405
    assert SESSION_KEY in client.session


@pytest.mark.django_db
def test_password_change(client, agent):
    # given
    client.force_login(agent)
    # when
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "a-much-better-secret-42", "new_password2": "a-much-better-secret-42",
    })
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    agent.refresh_from_db()
    assert agent.check_password("a-much-better-secret-42")
    assert SESSION_KEY in client.session  # the session survives its own password change


@pytest.mark.django_db
def test_password_change_with_wrong_old_password_changes_nothing(client, agent):
    client.force_login(agent)
    response = client.post("/accounts/password/", {
        "old_password": "nope", "new_password1": "a-much-better-secret-42", "new_password2": "a-much-better-secret-42",
    })
    assert response.status_code == 200
    agent.refresh_from_db()
    assert agent.check_password(PASSWORD)


@pytest.mark.django_db
def test_sixth_attempt_is_locked_out_even_with_the_right_password(client, agent, settings):
    # given
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _login(client, "agent", "wrong").status_code == 200
    fifth = _login(client, "agent", "wrong")
    # when
    sixth = _login(client, "agent", PASSWORD)
    # then
    assert fifth.status_code == 429
    assert sixth.status_code == 429
    assert SESSION_KEY not in client.session
    page = sixth.content.decode()
    assert "Too many failed log-in attempts" in page
    assert "Logging in as agent from your address is blocked for now." in page
    assert "Try again in 15 minutes." in page
    assert 'href="/accounts/login/"' in page


@pytest.mark.django_db
def test_lockout_is_per_username(client, agent, other_agent):
    for _ in range(5):
        _login(client, "agent", "wrong")
    assert _login(client, "agent2", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_success_resets_the_failure_count(client, agent):
    for _ in range(4):
        _login(client, "agent", "wrong")
    assert _login(client, "agent", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        _login(client, "agent", "wrong")
    assert _login(client, "agent", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_login_applies_the_users_preferred_language(client, agent):
    # given
    agent.language = "ko"
    agent.save()
    # when
    _login(client, "agent", PASSWORD)
    # then
    assert client.cookies["django_language"].value == "ko"
    assert '<html lang="ko"' in client.get("/accounts/profile/").content.decode()


@pytest.mark.django_db
def test_profile_saves_language_and_notifications(client, agent):
    client.force_login(agent)
    response = client.post("/accounts/profile/", {"display_name": "Kim", "email": "kim@example.com", "phone": "",
                                                  "language": "ko", "notifications": ["assigned", "sla"]})
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.display_name, agent.language) == ("Kim", "ko")
    assert agent.muted_notifications == ["created", "commented", "resolved", "reopened"]
    assert client.cookies["django_language"].value == "ko"
