"""The knowledge base in the portal: what end users may read, feedback, and deflection beside
the new-incident form (suggestions, "This solved it", the articles shown to a ticket filed anyway)."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from core.choices import Channel
from incidents.models import Incident
from knowledge import services
from knowledge.models import ArticleFeedback, KnowledgeEvent

pytestmark = pytest.mark.django_db
WEB = Channel.WEB
PINNED_PORTAL_ARTICLE_QUERIES = 4  # 5 -> 4: the user's roles are kept per process (issue 12)


def publish(article, author, reviewer):
    article = services.submit_for_review(article, actor=author, channel=WEB)
    article = services.approve(article, actor=reviewer, channel=WEB)
    return services.publish(article, actor=author, channel=WEB)


@pytest.fixture
def vpn(agent, other_agent):
    article = services.create_article(
        actor=agent, channel=WEB, title="VPN이 자꾸 끊길 때", summary="VPN 연결이 끊기면 클라이언트를 다시 시작하세요",
        body="GlobalProtect를 다시 시작하세요.", tags=["vpn", "네트워크"], language="ko")
    return publish(article, agent, other_agent)


@pytest.fixture
def internal(agent, other_agent):
    article = services.create_article(actor=agent, channel=WEB, title="VPN concentrator failover", body="Internal.",
                                      audience="internal", language="en")
    return publish(article, agent, other_agent)


def test_home_search_and_article(client, end_user, vpn, internal):
    client.force_login(end_user)
    home = client.get(reverse("portal_kb:home")).content.decode()
    assert "VPN이 자꾸 끊길 때" in home and "concentrator" not in home
    found = client.get(reverse("portal_kb:search"), {"q": "VPN 끊김"}).content.decode()
    assert "VPN이 자꾸 끊길 때" in found and "concentrator" not in found
    assert client.get(reverse("portal_kb:search"), {"q": "\x00", "category": "x"}).status_code == 200
    page = client.get(reverse("portal_kb:article", args=[vpn.pk]))
    assert page.status_code == 200 and "GlobalProtect" in page.content.decode()
    vpn.refresh_from_db()
    assert vpn.view_count == 1


def test_a_search_that_finds_nothing_offers_something(client, end_user, vpn):
    client.force_login(end_user)
    page = client.get(reverse("portal_kb:search"), {"q": "VPN quasar"}).content.decode()
    assert 'data-testid="kb-nothing"' in page and "VPN이 자꾸 끊길 때" in page


def test_drafts_internal_and_other_organisations_articles_are_404(client, agent, other_agent, end_user, internal):
    draft = services.create_article(actor=agent, channel=WEB, title="Draft", body="x")
    org = Organisation.objects.create(name="Sales", code="sales")
    theirs = publish(services.create_article(actor=agent, channel=WEB, title="Sales only", body="x",
                                             audience="organisations", organisations=[org]), agent, other_agent)
    client.force_login(end_user)
    for article in (draft, internal, theirs):
        assert client.get(reverse("portal_kb:article", args=[article.pk])).status_code == 404
        assert client.post(reverse("portal_kb:feedback", args=[article.pk]), {"helpful": "yes"}).status_code == 404
        assert client.post(reverse("portal_kb:solved", args=[article.pk])).status_code == 404


def test_the_portal_article_page_runs_a_constant_number_of_queries(client, end_user, vpn, django_assert_num_queries):
    client.force_login(end_user)
    url = reverse("portal_kb:article", args=[vpn.pk])
    client.get(url)
    with django_assert_num_queries(PINNED_PORTAL_ARTICLE_QUERIES):
        client.get(url)


def test_feedback(client, end_user, vpn):
    client.force_login(end_user)
    response = client.post(reverse("portal_kb:feedback", args=[vpn.pk]), {"helpful": "no", "comment": "Still drops"})
    assert response.status_code == 302
    assert ArticleFeedback.objects.get(article=vpn).comment == "Still drops"
    assert client.post(reverse("portal_kb:feedback", args=[vpn.pk]), {"helpful": "maybe"}).status_code == 400


def test_suggestions_while_typing_and_this_solved_it(client, end_user, vpn):
    client.force_login(end_user)
    form = client.get(reverse("portal:incident_create")).content.decode()
    assert reverse("portal_kb:suggest") in form and 'keyup changed delay:400ms' in form
    fragment = client.get(reverse("portal_kb:suggest"), {"title": "VPN이 자꾸 끊겨요", "description": "",
                                                         "kb_shown": "12345"}).content.decode()
    assert "VPN이 자꾸 끊길 때" in fragment and "This solved it" in fragment
    assert f"12345,{vpn.pk}" in fragment or f"{vpn.pk},12345" in fragment
    response = client.post(reverse("portal_kb:solved", args=[vpn.pk]))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    vpn.refresh_from_db()
    assert vpn.deflection_count == 1 and not Incident.objects.exists()


def test_a_ticket_filed_anyway_records_the_articles_shown(client, end_user, vpn):
    client.force_login(end_user)
    response = client.post(reverse("portal:incident_create"), {
        "title": "VPN이 자꾸 끊겨요", "description": "회의 중에 끊깁니다", "urgency": "3", "kb_shown": f"{vpn.pk},999999"})
    assert response.status_code == 302
    incident = Incident.objects.get()
    shown = KnowledgeEvent.objects.get(kind="shown")
    assert shown.article == vpn and shown.ticket_number == incident.number
