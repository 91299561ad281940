"""The page shell (templates/base.html) keeps renderings per process ({% desk_nav %},
{% once_per_language %}, issue 12 seventh round): it must still write, for every person, page and
language, what the shell wrote when it went through the template engine each time.

shell_reference/ holds the shell as it was (base.html and includes/nav_desk.html, with the
`{% desk_menu %}` tag and `my_approvals.count` read in the template); each case renders a page on
both and compares the HTML character for character (the CSRF tokens aside: masked anew per read).
The cases run in one process one after the other, with the kept renderings warm, in orders that
would show one person's menu to another or a language's words in another if the keys were wrong.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template import TemplateSyntaxError, engines
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, resolve
from django.utils import translation

from accounts.roles import Role
from core import navigation

REFERENCE_DIR = Path(__file__).parent  # shell_reference/… resolves from here
PAGE = ('{% extends "BASE" %}{% block title %}A page{% endblock %}'
        '{% block head %}<meta name="x">{% endblock %}'
        '{% block content %}<p>{{ user }} {{ LANGUAGE_CODE }}</p>{% endblock %}'
        '{% block scripts %}<script></script>{% endblock %}')
CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')

PATHS = ["/incidents/", "/incidents/35/", "/changes/", "/approvals/", "/requests/", "/admin/", "/iso/audits/",
         "/portal/", "/no-such-page/"]


@pytest.fixture
def reference_templates():
    options = settings.TEMPLATES[0]
    with override_settings(TEMPLATES=[{**options, "DIRS": [*options["DIRS"], REFERENCE_DIR]}]):
        yield engines["django"]


@pytest.fixture
def people(agent, manager, admin_user, end_user, make_user):
    return {"agent": agent, "manager": manager, "admin": admin_user, "end_user": end_user,
            "auditor": make_user(Role.AUDITOR, username="auditor"), "anonymous": AnonymousUser()}


def _render(engine, base, user, path, language, pending=None):
    request = RequestFactory().get(path, HTTP_ACCEPT_LANGUAGE=language)
    request.user = user
    request.session = SessionStore()
    try:
        request.resolver_match = resolve(path)
    except Resolver404:
        request.resolver_match = None
    if pending is not None:
        # The approvals count as if that many decisions waited (core.approvals reads the
        # request's list when there is one).
        request._pending_approvals = [object()] * pending
    with translation.override(language):
        request.LANGUAGE_CODE = language
        html = engine.from_string(PAGE.replace("BASE", base)).render({}, request)
    return CSRF.sub(r"\1…", html)


def _same(engine, user, path, language, pending=None):
    new = _render(engine, "base.html", user, path, language, pending)
    old = _render(engine, "shell_reference/base.html", user, path, language, pending)
    assert new == old, (user, path, language, pending)
    return new


@pytest.mark.django_db
def test_every_person_page_and_language_gets_the_reference_shell(reference_templates, people):
    navigation._rendered.clear()
    seen = {}
    for language in ("en", "ko", "en"):
        for path in PATHS:
            for name, user in people.items():
                html = _same(reference_templates, user, path, language)
                seen.setdefault((name, language), set()).add(html)
    # The cases differ where they should: the menus and the words are not all one rendering.
    assert _menu(seen[("agent", "en")]) != _menu(seen[("manager", "en")])
    assert _menu(seen[("manager", "en")]) != _menu(seen[("admin", "en")])
    assert _menu(seen[("agent", "en")]) != _menu(seen[("agent", "ko")])


def _menu(htmls):
    return {re.search(r'<ul class="navbar-nav me-auto">.*?(?=<ul class="navbar-nav ms-auto)', html,
                      re.S).group(0)
            for html in htmls if '<ul class="navbar-nav me-auto">' in html}


@pytest.mark.django_db
def test_the_approvals_badge_follows_the_count_and_the_page(reference_templates, people):
    for pending in (0, 1, 3, 1, 0, 12):
        for language in ("en", "ko"):
            for path in ("/incidents/", "/approvals/"):
                for name in ("agent", "manager", "end_user"):
                    html = _same(reference_templates, people[name], path, language, pending)
                    if name != "end_user" and pending:
                        assert f'data-testid="nav-approvals-count">{pending}</span>' in html


@pytest.mark.django_db
def test_a_changed_registration_or_setting_is_not_served_stale(reference_templates, agent):
    _same(reference_templates, agent, "/incidents/", "en")
    entry = navigation._entries["knowledge"]
    try:
        navigation.register("knowledge", "Know-how", entry.url_name, group=entry.group, order=entry.order,
                            visible=entry.visible, active=entry.active, testid=entry.testid)
        assert ">Know-how</a>" in _same(reference_templates, agent, "/incidents/", "en")
    finally:
        navigation._entries["knowledge"] = entry
        navigation._resolved.clear()
        navigation._rendered.clear()
    assert ">Know-how</a>" not in _same(reference_templates, agent, "/incidents/", "en")
    with override_settings(STATIC_URL="/elsewhere/"):
        assert 'href="/elsewhere/css/' in _same(reference_templates, agent, "/incidents/", "en")
    assert 'href="/elsewhere/css/' not in _same(reference_templates, agent, "/incidents/", "en")


@pytest.mark.django_db
def test_the_menu_is_the_same_on_a_real_desk_page(client, agent, manager):
    """Through the views and the middleware: the kept menu of one person never reaches another."""
    navigation._rendered.clear()
    pages = {}
    for user in (agent, manager, agent):
        client.force_login(user)
        html = client.get("/incidents/").content.decode()
        pages.setdefault(user.username, set()).add(_menu([html]).pop())
    assert len(pages["agent"]) == 1
    assert pages["agent"] != pages["manager"]
    assert 'data-testid="nav-admin"' not in pages["agent"].pop()


def test_once_per_language_sees_nothing_of_the_request():
    engine = engines["django"]
    page = engine.from_string("{% load shell_tags %}{% once_per_language %}[{{ user }}|{% csrf_token %}]"
                              "{% end_once_per_language %}")
    assert page.render({"user": "someone", "csrf_token": "secret"}) == "[|]"
    with translation.override("ko"):
        korean = engine.from_string("{% load i18n shell_tags %}{% once_per_language %}"
                                    "{% translate 'Log out' %}{% end_once_per_language %}")
        words = korean.render({})
    with translation.override("en"):
        assert korean.render({}) == "Log out"
    assert words != "Log out"
    with pytest.raises(TemplateSyntaxError):
        engine.from_string("{% load shell_tags %}{% once_per_language %}{% block x %}{% endblock %}"
                           "{% end_once_per_language %}")
