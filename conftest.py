"""Fixtures every app's tests share: users per role, a team, API clients, a browser."""

import os

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken, Team
from accounts.roles import Role
from accounts.services import upsert_user

PASSWORD = "correct-horse-battery-staple"


def _flush_by_deleting(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """Empty the tables after a transactional test (browser, Celery worker, live server) by
    deleting their rows instead of TRUNCATE: truncating ~140 tables gives each a new file on
    disk, 3-4 s a test here against ~10 ms for deleting the few rows a test wrote. Django's
    foreign keys are deferrable, so the order does not matter; a table with triggers of its own
    (the append-only audit trail refuses DELETE) is truncated when it holds rows. Sequences are
    left alone, as Django's own flush leaves them unless asked to reset them."""
    if reset_sequences or not tables:
        return _truncate_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    names = ", ".join("'" + table.replace("'", "''") + "'" for table in tables)
    return [f"""DO $$
DECLARE t text;
BEGIN
  SET CONSTRAINTS ALL DEFERRED;
  FOREACH t IN ARRAY ARRAY[{names}] LOOP
    IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = t::regclass AND NOT tgisinternal) THEN
      EXECUTE format('TRUNCATE %I CASCADE', t);
    ELSE
      EXECUTE format('DELETE FROM %I', t);
    END IF;
  END LOOP;
END $$;"""]


def _install_fast_flush():
    from django.db.backends.postgresql.operations import DatabaseOperations

    global _truncate_flush
    _truncate_flush = DatabaseOperations.sql_flush
    DatabaseOperations.sql_flush = _flush_by_deleting


_install_fast_flush()


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(role=Role.AGENT, username=None, teams=(), **extra):
        counter["n"] += 1
        username = username or f"{role}{counter['n']}"
        return upsert_user(username, role=role, email=f"{username}@example.com", password=PASSWORD,
                           teams=teams, **extra)

    return make


@pytest.fixture
def team(db):
    return Team.objects.create(name="Service Desk")


@pytest.fixture
def agent(make_user, team):
    user = make_user(Role.AGENT, username="agent")
    team.members.add(user)
    return user


@pytest.fixture
def other_agent(make_user, team):
    user = make_user(Role.AGENT, username="agent2")
    team.members.add(user)
    return user


@pytest.fixture
def manager(make_user, team):
    user = make_user(Role.MANAGER, username="manager")
    team.members.add(user)
    team.manager = user
    team.save()
    return user


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN, username="admin")


@pytest.fixture
def end_user(make_user):
    return make_user(Role.END_USER, username="enduser", organisation="Finance")


@pytest.fixture
def other_end_user(make_user):
    return make_user(Role.END_USER, username="enduser2", organisation="Finance")


def _api_client(user):
    client = APIClient()
    if user is not None:
        _token, key = ApiToken.issue(user, name="test")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def agent_api(agent):
    return _api_client(agent)


@pytest.fixture
def manager_api(manager):
    return _api_client(manager)


@pytest.fixture
def end_user_api(end_user):
    return _api_client(end_user)


@pytest.fixture
def api_as():
    return _api_client


# --- browser tests -------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # beside one unless told it is safe (it is: the loop only drives the browser).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login(page):
    def do_login(user, password=PASSWORD):
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return do_login


def screenshot(page, name, *, full_page=True):
    """Keep a picture of what the user saw, for a human to look at."""
    os.makedirs("test-artifacts", exist_ok=True)
    page.screenshot(path=f"test-artifacts/{name}.png", full_page=full_page)


WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


def shots(page, name):
    """The page as it stands, wide and on a phone (`<name>-1440.png`, `<name>-390.png`)."""
    page.set_viewport_size(WIDE)
    screenshot(page, f"{name}-1440")
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-390")
    page.set_viewport_size(WIDE)


def sign_in(page, login, user, language):
    """Sign in as `user` (signing the previous person out) and read the desk in `language`."""
    page.context.clear_cookies()
    login(user)
    page.goto("/accounts/profile/")
    if page.get_attribute("html", "lang") != language:
        page.select_option("#language-select", language)
        page.wait_for_function(f"() => document.documentElement.lang === '{language}'")


@pytest.fixture(autouse=True)
def fresh_configuration_memo():
    """Each test reads SLA definitions and routing rules from its own database state: what a
    previous test loaded was rolled back without a save signal (core.memo)."""
    from core import memo, search

    memo.clear()
    search.forget_word_statistics()
    yield
    memo.clear()
    search.forget_word_statistics()


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: a test (or a request it makes) that switches to Korean
    must not leak the language into the next test run by the same worker."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
