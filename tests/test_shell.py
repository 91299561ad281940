"""The UI shell: navigation per role, offline templates, English/Korean."""

import re
from pathlib import Path

import pytest

from accounts.roles import Role

ROOT = Path(__file__).resolve().parents[1]
DESK_LINKS = ["/incidents/", "/problems/", "/changes/", "/releases/", "/cmdb/", "/sla/", "/approvals/"]
PORTAL_LINKS = ["/portal/", "/portal/new/"]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "www.w3.org"}  # w3.org: SVG/XML namespaces, never fetched
DOC_HOSTS = re.compile(r"^(.+\.)?example\.(com|org|net)$")  # RFC 2606 placeholders in help texts


def _nav(client, user):
    client.force_login(user)
    page = client.get("/accounts/profile/").content.decode()
    nav = page[page.index("<nav"):page.index("</nav>")]
    return set(re.findall(r'class="(?:nav-link|dropdown-item)[^"]*" href="([^"]+)"', nav))


@pytest.mark.django_db
@pytest.mark.parametrize("role, desk, admin", [
    (Role.END_USER, False, False), (Role.AGENT, True, False), (Role.MANAGER, True, False), (Role.ADMIN, True, True),
])
def test_navigation_per_role(client, make_user, role, desk, admin):
    # when
    links = _nav(client, make_user(role))
    # then
    assert all(link in links for link in DESK_LINKS) is desk
    assert any(link in links for link in DESK_LINKS) is desk
    assert all(link in links for link in PORTAL_LINKS) is not desk
    assert ("/admin/" in links) is admin
    assert {"/accounts/profile/", "/accounts/tokens/", "/accounts/password/"} <= links


@pytest.mark.django_db
def test_anonymous_sees_no_navigation(client):
    page = client.get("/accounts/login/").content.decode()
    assert "/incidents/" not in page and "/portal/" not in page and 'id="language-select"' in page


@pytest.mark.django_db
def test_no_desk_section_is_marked_active_on_account_pages(client, agent):
    client.force_login(agent)
    page = client.get("/accounts/profile/").content.decode()
    assert 'class="nav-link active"' not in page


@pytest.mark.django_db
def test_switching_to_korean_translates_the_shell(client, agent):
    # given
    client.force_login(agent)
    # when
    response = client.post("/i18n/setlang/", {"language": "ko", "next": "/accounts/profile/"}, follow=True)
    # then
    page = response.content.decode()
    assert '<html lang="ko"' in page
    for korean in ("인시던트", "문제", "변경", "릴리스", "서비스 수준", "로그아웃", "프로필 및 알림"):
        assert korean in page, korean
    # and back
    page = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/profile/"}, follow=True).content.decode()
    assert '<html lang="en"' in page and "Incidents" in page


@pytest.mark.django_db
def test_login_page_in_korean(client):
    client.cookies["django_language"] = "ko"
    page = client.get("/accounts/login/").content.decode()
    assert "서비스 데스크 로그인" in page and "비밀번호" in page


@pytest.mark.django_db
def test_end_user_portal_nav_in_korean(client, end_user):
    client.force_login(end_user)
    client.cookies["django_language"] = "ko"
    page = client.get("/accounts/profile/").content.decode()
    assert "내 티켓" in page and "장애 신고" in page


def _template_files():
    skip = {".venv", "node_modules", "staticfiles", "var", ".git"}
    return [path for path in ROOT.rglob("*.html")
            if not skip & set(path.relative_to(ROOT).parts) and "templates" in path.relative_to(ROOT).parts]


def test_there_are_templates_to_scan():
    names = {path.relative_to(ROOT).as_posix() for path in _template_files()}
    assert {"templates/base.html", "templates/accounts/login.html"} <= names


def test_templates_reference_no_external_hosts():
    offenders = []
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        for host in re.findall(r"https?://([^/\"'\s<>?#)]+)", text):
            hostname = host.split("@")[-1].rsplit(":", 1)[0] if not host.startswith("[") else host
            if hostname not in LOCAL_HOSTS and not DOC_HOSTS.match(hostname) and "{" not in hostname:
                offenders.append(f"{path.relative_to(ROOT)}: {host}")
        for url in re.findall(r"(?:src|href|action)=[\"'](//[^\"']+)", text):
            offenders.append(f"{path.relative_to(ROOT)}: {url}")
    assert offenders == []


def test_stylesheets_import_nothing_remote():
    for path in (ROOT / "static").rglob("*.css"):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"@import\s+(url\()?[\"']?(https?:)?//", text), path
        assert not re.search(r"url\([\"']?(https?:)?//", text), path


def test_compiled_korean_catalogue_is_committed_next_to_its_source():
    po = ROOT / "locale/ko/LC_MESSAGES/django.po"
    mo = ROOT / "locale/ko/LC_MESSAGES/django.mo"
    assert po.exists() and mo.exists()
    assert "#, fuzzy\nmsgid \"\"" not in po.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_not_found_page_keeps_the_shell(client, agent):
    client.force_login(agent)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page or record does not exist" in page and 'id="mainnav"' in page


@pytest.mark.django_db
def test_forbidden_page_explains(client, end_user):
    client.force_login(end_user)
    response = client.get("/incidents/")
    assert response.status_code == 403
    assert "Your role does not give access to this page" in response.content.decode()


def test_server_error_page_renders_without_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and "/static/vendor/bootstrap/bootstrap.min.css" in html
