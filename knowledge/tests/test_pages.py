"""The desk's knowledge pages: list, article, editor (preview, stale version), review actions,
versions with a diff, the report, and the related-articles panel on an incident."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.choices import Channel
from incidents.services import open_incident, resolve
from knowledge import services
from knowledge.choices import ArticleState
from knowledge.models import Article, KnowledgeCategory, KnowledgeEvent

pytestmark = pytest.mark.django_db
WEB = Channel.WEB
# the navigation's approvals badge: one statement for every source; the roles kept per process
PINNED_LIST_QUERIES = 6
PINNED_ARTICLE_QUERIES = 10


def publish(article, author, reviewer):
    article = services.submit_for_review(article, actor=author, channel=WEB)
    article = services.approve(article, actor=reviewer, channel=WEB)
    return services.publish(article, actor=author, channel=WEB)


@pytest.fixture
def category(db):
    return KnowledgeCategory.objects.create(name="Network", name_ko="네트워크")


@pytest.fixture
def vpn(agent, other_agent, category):
    article = services.create_article(actor=agent, channel=WEB, title="VPN keeps disconnecting",
                                      summary="Reconnect the VPN client", body="## Fix\n\nRestart **GlobalProtect**.",
                                      category=category, tags=["vpn"], language="en")
    return publish(article, agent, other_agent)


def test_the_list_filters_and_searches(client, agent, vpn, category):
    services.create_article(actor=agent, channel=WEB, title="Printer jams", body="Open tray 2.", language="en")
    client.force_login(agent)
    page = client.get(reverse("knowledge:article_list"))
    assert page.status_code == 200
    assert "VPN keeps disconnecting" in page.content.decode() and "Printer jams" in page.content.decode()
    drafts = client.get(reverse("knowledge:article_list"), {"state": "draft"}).content.decode()
    assert "Printer jams" in drafts and "VPN keeps" not in drafts
    found = client.get(reverse("knowledge:article_list"), {"q": "vpn"}).content.decode()
    assert "VPN keeps disconnecting" in found and "Printer jams" not in found
    odd = client.get(reverse("knowledge:article_list"), {"category": "nope", "state": "\x00"})
    assert odd.status_code == 200


def test_the_list_runs_a_constant_number_of_queries(client, agent, other_agent, category, django_assert_num_queries):
    for n in range(3):
        publish(services.create_article(actor=agent, channel=WEB, title=f"How to {n}", category=category), agent,
                other_agent)
    client.force_login(agent)
    client.get(reverse("knowledge:article_list"))
    with django_assert_num_queries(PINNED_LIST_QUERIES):
        assert client.get(reverse("knowledge:article_list")).status_code == 200
    for n in range(3, 8):
        services.create_article(actor=agent, channel=WEB, title=f"How to {n}", category=category)
    with django_assert_num_queries(PINNED_LIST_QUERIES):
        assert client.get(reverse("knowledge:article_list")).status_code == 200


def test_the_article_page_shows_the_body_usage_and_versions(client, agent, vpn, django_assert_num_queries):
    client.force_login(agent)
    url = reverse("knowledge:article_detail", args=[vpn.pk])
    client.get(url)
    with django_assert_num_queries(PINNED_ARTICLE_QUERIES):
        page = client.get(url)
    body = page.content.decode()
    assert "<strong>GlobalProtect</strong>" in body
    assert 'data-testid="kb-usage"' in body and 'data-testid="kb-retire"' in body


def test_an_end_user_is_refused_the_desk_pages(client, end_user, vpn):
    client.force_login(end_user)
    assert client.get(reverse("knowledge:article_list")).status_code == 403
    assert client.get(reverse("knowledge:article_detail", args=[vpn.pk])).status_code == 403


def test_the_editor_creates_a_draft_and_previews_markdown_safely(client, agent, category):
    client.force_login(agent)
    assert client.get(reverse("knowledge:article_create")).status_code == 200
    preview = client.post(reverse("knowledge:preview"),
                          {"body": "**bold** <script>alert(1)</script> [x](javascript:alert(1))"}).content.decode()
    assert "<strong>bold</strong>" in preview and "<script>" not in preview and "javascript:" not in preview
    response = client.post(reverse("knowledge:article_create"), {
        "title": "Reset a password", "summary": "", "body": "Use the portal.", "category": category.pk,
        "tags": "Password, accounts", "language": "en", "audience": "public"})
    article = Article.objects.get(title="Reset a password")
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.state == ArticleState.DRAFT and article.tags == ["password", "accounts"]


def test_a_huge_body_and_an_unknown_category_are_refused_with_400(client, agent):
    client.force_login(agent)
    response = client.post(reverse("knowledge:article_create"), {
        "title": "Big", "body": "x" * (5 * 1024 * 1024), "category": "999999", "language": "en",
        "audience": "public"})
    assert response.status_code == 400
    assert not Article.objects.filter(title="Big").exists()


def test_a_stale_edit_is_a_409_that_keeps_the_typed_text(client, agent, vpn):
    client.force_login(agent)
    stale = vpn.version
    services.update_article(vpn, actor=agent, channel=WEB, changes={"summary": "Someone else's edit"})
    response = client.post(reverse("knowledge:article_update", args=[vpn.pk]), {
        "version": stale, "title": "VPN keeps disconnecting", "body": "My careful new text", "language": "en",
        "audience": "public"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "My careful new text" in body and "Someone else saved this article" in body


def test_editing_a_published_article_keeps_readers_on_the_published_version(client, agent, vpn, end_user):
    client.force_login(agent)
    response = client.post(reverse("knowledge:article_update", args=[vpn.pk]), {
        "version": vpn.version, "title": "VPN keeps disconnecting", "body": "Brand new steps", "language": "en",
        "audience": "public", "tags": "vpn"})
    assert response.status_code == 302
    client.force_login(end_user)
    reader = client.get(reverse("portal_kb:article", args=[vpn.pk])).content.decode()
    assert "GlobalProtect" in reader and "Brand new steps" not in reader


def test_review_actions_submit_send_back_approve_publish_retire(client, agent, other_agent):
    article = services.create_article(actor=agent, channel=WEB, title="Wi-Fi guest access", body="v1")
    url = reverse("knowledge:article_review", args=[article.pk])
    client.force_login(agent)
    client.post(url, {"action": "submit"})
    client.force_login(other_agent)
    refused = client.post(url, {"action": "send_back", "comment": ""}, follow=True)
    assert "Say what should change" in refused.content.decode()
    client.post(url, {"action": "send_back", "comment": "Add the SSID"})
    article.refresh_from_db()
    assert article.working_version.state == "draft" and article.working_version.review_comment == "Add the SSID"
    client.force_login(agent)
    early = client.post(url, {"action": "publish"}, follow=True)
    assert "approval" in early.content.decode()
    client.post(url, {"action": "submit"})
    client.force_login(other_agent)
    client.post(url, {"action": "approve"})
    client.post(url, {"action": "publish"})
    article.refresh_from_db()
    assert article.state == ArticleState.PUBLISHED
    client.post(url, {"action": "retire"})
    article.refresh_from_db()
    assert article.state == ArticleState.RETIRED


def test_versions_page_diffs_any_two(client, agent, vpn):
    services.update_article(vpn, actor=agent, channel=WEB, changes={"body": "Totally <b>new</b> text"})
    client.force_login(agent)
    page = client.get(reverse("knowledge:article_versions", args=[vpn.pk]), {"a": 1, "b": 2})
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="kb-diff"' in body
    assert "Totally &lt;b&gt;new&lt;/b&gt; text" in body
    assert client.get(reverse("knowledge:article_versions", args=[vpn.pk]), {"a": "x", "b": 99}).status_code == 200


def test_the_report_page(client, agent, vpn):
    from knowledge.selectors import record_search_miss

    record_search_miss("quantum printer")
    client.force_login(agent)
    body = client.get(reverse("knowledge:report")).content.decode()
    assert "quantum printer" in body and "VPN keeps disconnecting" in body


def test_the_incident_page_loads_related_articles_and_records_use(client, agent, end_user, vpn):
    incident = open_incident(actor=end_user, channel=Channel.PORTAL, caller=end_user, title="VPN disconnecting again")
    client.force_login(agent)
    page = client.get(incident.get_absolute_url()).content.decode()
    ct = ContentType.objects.get_for_model(incident).pk
    related_url = reverse("knowledge:related", args=[ct, incident.pk])
    assert related_url in page
    panel = client.get(related_url).content.decode()
    assert "VPN keeps disconnecting" in panel and "data-kb-insert" in panel
    assert "Create an article from this" not in panel
    response = client.post(reverse("knowledge:article_used", args=[vpn.pk]), {"ct": ct, "ticket": incident.pk},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and incident.number in response.content.decode()
    vpn.refresh_from_db()
    assert vpn.use_count == 1
    assert KnowledgeEvent.objects.filter(article=vpn, kind="use", ticket_number=incident.number).exists()


def test_create_an_article_from_a_resolved_incident(client, agent, end_user):
    incident = open_incident(actor=end_user, channel=Channel.PORTAL, caller=end_user, title="Outlook crashes on start",
                             description="It closes at once after the splash screen.")
    resolve(incident, actor=agent, channel=WEB, code="solved_workaround", notes="Start in safe mode and remove the add-in.")
    ct = ContentType.objects.get_for_model(incident).pk
    client.force_login(agent)
    panel = client.get(reverse("knowledge:related", args=[ct, incident.pk])).content.decode()
    assert "Create an article from this" in panel
    form = client.get(reverse("knowledge:article_create"), {"ct": ct, "ticket": incident.pk}).content.decode()
    assert "Outlook crashes on start" in form and "Start in safe mode" in form and "splash screen" in form
    response = client.post(reverse("knowledge:article_create"), {
        "title": "Outlook crashes on start", "body": "x", "language": "en", "audience": "internal",
        "from_ct": ct, "from_ticket": incident.pk})
    assert response.status_code == 302
    assert list(Article.objects.get(title="Outlook crashes on start").incidents.all()) == [incident]
