"""Knowledge in a real browser: an end user typing in Korean is offered the VPN article and ends
there; hostile Markdown renders inert; a published known error becomes an article the agent is
offered on a matching incident. Screenshots at 1440 and 390 px, English and Korean."""

import pytest

from conftest import screenshot
from core.choices import Channel
from incidents.models import Incident
from incidents.services import open_incident
from knowledge import services
from knowledge.models import Article
from problems.services import create_problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WEB = Channel.WEB
HOSTILE = """# Hostile

<script>window.__pwned = 1; alert('script')</script>

<img src=x onerror="window.__pwned = 2; alert('onerror')">

<svg onload="window.__pwned = 3"><circle r="5"/></svg>

[click me](javascript:window.__pwned=4;alert('link'))

<a href="javascript:alert(5)" onclick="window.__pwned = 5">raw link</a>

Plain **bold** text stays.
"""


def publish(article, author, reviewer):
    article = services.submit_for_review(article, actor=author, channel=WEB)
    article = services.approve(article, actor=reviewer, channel=WEB)
    return services.publish(article, actor=author, channel=WEB)


def korean(page):
    page.select_option("#language-select", "ko")
    page.wait_for_function("() => document.documentElement.lang === 'ko'")


def phone(page, name):
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1440, "height": 900})


def test_a_korean_end_user_is_answered_by_the_vpn_article_before_filing(page, login, end_user, agent, other_agent):
    # given: a published VPN article in Korean (and an unrelated one)
    vpn = publish(services.create_article(
        actor=agent, channel=WEB, title="VPN 연결이 자꾸 끊길 때", summary="VPN이 끊기면 클라이언트를 다시 시작하세요.",
        body="1. GlobalProtect를 종료합니다.\n2. 다시 연결합니다.", tags=["vpn"], language="ko"), agent, other_agent)
    publish(services.create_article(actor=agent, channel=WEB, title="프린터 용지 걸림", body="트레이를 여세요.",
                                    language="ko"), agent, other_agent)
    page.set_viewport_size({"width": 1440, "height": 900})
    login(end_user)
    korean(page)
    # when: they start reporting a problem and type in Korean
    page.goto("/portal/new/")
    page.locator("#id_title").press_sequentially("VPN이 자꾸 끊겨요", delay=30)
    # then: the VPN article appears beside the form, the printer one does not
    suggestions = page.get_by_test_id("kb-suggestions")
    suggestions.wait_for()
    assert "VPN 연결이 자꾸 끊길 때" in suggestions.inner_text()
    assert "프린터" not in suggestions.inner_text()
    screenshot(page, "kb-deflection-ko-1440")
    phone(page, "kb-deflection-ko")
    # when: the article solves it
    page.get_by_test_id("kb-solved").first.click()
    page.get_by_test_id("kb-thanks").wait_for()
    screenshot(page, "kb-thanks-ko-1440")
    phone(page, "kb-thanks-ko")
    # then: no incident, one deflection
    assert not Incident.objects.exists()
    vpn.refresh_from_db()
    assert vpn.deflection_count == 1


def test_a_ticket_filed_anyway_remembers_the_articles_shown(page, login, end_user, agent, other_agent):
    vpn = publish(services.create_article(actor=agent, channel=WEB, title="VPN keeps disconnecting",
                                          body="Restart the client.", language="en"), agent, other_agent)
    page.set_viewport_size({"width": 1440, "height": 900})
    login(end_user)
    page.goto("/portal/new/")
    page.locator("#id_title").press_sequentially("VPN disconnects", delay=20)
    page.get_by_test_id("kb-suggestions").wait_for()
    page.locator("#id_description").fill("Every ten minutes during calls.")
    screenshot(page, "kb-deflection-en-1440")
    page.get_by_test_id("submit-report").click()
    page.wait_for_url("**/portal/incidents/**")
    incident = Incident.objects.get()
    assert incident.title == "VPN disconnects"
    from knowledge.models import KnowledgeEvent

    assert KnowledgeEvent.objects.filter(article=vpn, kind="shown", ticket_number=incident.number).exists()


def test_hostile_markdown_renders_inert(page, login, agent, other_agent, end_user):
    article = publish(services.create_article(actor=agent, channel=WEB, title="Hostile article", body=HOSTILE,
                                              language="en"), agent, other_agent)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_viewport_size({"width": 1440, "height": 900})
    # the reader's page in the portal
    login(end_user)
    page.goto(f"/portal/kb/{article.pk}/")
    body = page.get_by_test_id("kb-body")
    assert "bold" in body.inner_text()
    for link in body.locator("a").all():
        link.click(timeout=2000)
    page.goto(f"/portal/kb/{article.pk}/")
    screenshot(page, "kb-hostile-portal-1440")
    # the raw HTML shows as text: no element of it exists, no handler, no javascript: link
    body = page.get_by_test_id("kb-body")
    assert body.locator("script, svg, img, iframe, [onerror], [onload], [onclick]").count() == 0
    assert body.locator("a[href^='javascript' i]").count() == 0
    assert "<script>" in body.inner_text()
    assert page.evaluate("() => window.__pwned") is None
    # the desk's article page and the editor's live preview
    page.context.clear_cookies()
    login(agent)
    page.goto(f"/kb/{article.pk}/")
    screenshot(page, "kb-hostile-desk-1440")
    page.goto(f"/kb/{article.pk}/edit/")
    page.get_by_test_id("kb-preview").locator(".kb-body").wait_for()
    page.locator("#id_body").press_sequentially(" <img src=y onerror=alert(9)>", delay=5)
    page.wait_for_timeout(1200)
    assert page.get_by_test_id("kb-preview").locator("img, script, [onerror]").count() == 0
    screenshot(page, "kb-editor-1440")
    phone(page, "kb-editor")
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []


def test_an_agent_publishes_a_known_error_and_is_offered_it_on_a_matching_incident(page, login, agent, end_user):
    problem = create_problem(actor=agent, channel=WEB, title="Outlook crashes when opening shared calendars",
                             description="Outlook closes as soon as a shared calendar is opened.")
    incident = open_incident(actor=end_user, channel=Channel.PORTAL, caller=end_user,
                             title="Outlook crashes when I open the team calendar")
    page.set_viewport_size({"width": 1440, "height": 900})
    login(agent)
    # when: the agent publishes the problem as a known error with a workaround
    page.goto(f"/problems/{problem.pk}/edit/")
    page.fill("#id_workaround", "Open the calendar in Outlook on the web until the fix ships.")
    page.check("#id_known_error")
    page.get_by_test_id("problem-form").locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "kb-known-error-published-1440")
    article = Article.objects.get(known_errors=problem)
    assert article.state == "published"
    # then: the incident page offers it in Related articles
    page.goto(incident.get_absolute_url())
    related = page.get_by_test_id("kb-related-list")
    related.wait_for()
    assert article.title in related.inner_text()
    page.get_by_test_id("kb-insert-link").first.click()
    assert f"/portal/kb/{article.pk}/" in page.locator('[data-testid="comment-form"] textarea[name="body"]').input_value()
    screenshot(page, "kb-related-incident-en-1440")
    phone(page, "kb-related-incident-en")
    page.get_by_test_id("kb-used").first.click()
    page.get_by_test_id("kb-used-done").wait_for()
    article.refresh_from_db()
    assert article.use_count == 1
    korean(page)
    page.get_by_test_id("kb-related-list").wait_for()
    screenshot(page, "kb-related-incident-ko-1440")
    phone(page, "kb-related-incident-ko")


def test_knowledge_pages_look_right(page, login, agent, other_agent, end_user):
    """Screens for review: the desk list, article, versions, report; the portal home, search, article."""
    article = publish(services.create_article(
        actor=agent, channel=WEB, title="VPN keeps disconnecting", summary="Restart the client",
        body="## Steps\n\n1. Quit GlobalProtect.\n2. Connect again.\n\n| Setting | Value |\n|---|---|\n| MTU | 1400 |",
        tags=["vpn", "network"], language="en"), agent, other_agent)
    services.update_article(article, actor=agent, channel=WEB, changes={"body": "## Steps\n\n1. Quit the client.\n"})
    publish(services.create_article(actor=agent, channel=WEB, title="비밀번호 재설정", body="포털에서 재설정하세요.",
                                    language="ko"), agent, other_agent)
    page.set_viewport_size({"width": 1440, "height": 900})
    login(agent)
    for language in ("en", "ko"):
        if language == "ko":
            korean(page)
        for name, url in (("list", "/kb/"), ("article", f"/kb/{article.pk}/"),
                          ("versions", f"/kb/{article.pk}/versions/"), ("report", "/kb/report/"),
                          ("new", "/kb/new/")):
            response = page.goto(url)
            assert response.status == 200, url
            page.wait_for_load_state("networkidle")
            screenshot(page, f"kb-desk-{name}-{language}-1440")
            phone(page, f"kb-desk-{name}-{language}")
    page.context.clear_cookies()
    login(end_user)
    for language in ("en", "ko"):
        if language == "ko":
            korean(page)
        for name, url in (("home", "/portal/kb/"), ("search", "/portal/kb/search/?q=VPN"),
                          ("nothing", "/portal/kb/search/?q=VPN+quasar"), ("article", f"/portal/kb/{article.pk}/")):
            response = page.goto(url)
            assert response.status == 200, url
            screenshot(page, f"kb-portal-{name}-{language}-1440")
            phone(page, f"kb-portal-{name}-{language}")
    page.get_by_test_id("kb-helpful-yes").click()
    page.get_by_test_id("kb-feedback-thanks").wait_for()
