"""Search and suggestions: Korean inflections, ranking, audiences, misses."""

import pytest

from accounts.models import Organisation
from knowledge import query, selectors
from knowledge.models import SearchMiss
from knowledge.tests.factories import make_article, make_category, published
from problems.tests.factories import make_ci, make_incident

pytestmark = pytest.mark.django_db


def test_typed_korean_words_become_prefixes():
    assert query.words("VPN이 자꾸 끊겨요") == [["vpn"], ["자꾸"], ["끊겨요", "끊겨", "끊"]]
    assert ["비밀번호를", "비밀번호"] in query.words("비밀번호를 잊어버렸어요")
    assert query.words("x:*&|' ( !") == [["x"]] or query.words("x:*&|' ( !") == []


def test_the_portal_example_finds_the_vpn_article_first(agent, other_agent, end_user):
    vpn = published(agent, other_agent, title="VPN 연결이 자꾸 끊길 때", body="재접속하세요", tags=["vpn"])
    published(agent, other_agent, title="VPN 클라이언트 설치", body="설치 파일을 받으세요")
    published(agent, other_agent, title="프린터 드라이버 설치", body="드라이버")
    found = selectors.suggest_for_text(end_user, "VPN이 자꾸 끊겨요")
    assert found[0].pk == vpn.pk and len(found) == 2
    assert [a.pk for a in selectors.search_articles(end_user, "VPN이 끊겨요").articles] == [vpn.pk]


def test_title_matches_rank_first(agent, other_agent, end_user):
    in_body = published(agent, other_agent, title="Network basics", body="printer printer printer")
    in_title = published(agent, other_agent, title="Printer offline", body="Power cycle it")
    assert [a.pk for a in selectors.search_articles(end_user, "printer").articles] == [in_title.pk, in_body.pk]


def test_end_users_see_only_published_articles_of_their_audience(agent, other_agent, end_user, other_end_user):
    public = published(agent, other_agent, title="Printer public")
    internal = published(agent, other_agent, title="Printer internal", audience="internal")
    finance = Organisation.objects.get(name="Finance")
    mine = published(agent, other_agent, title="Printer finance", audience="organisations", organisations=[finance])
    other_org = Organisation.objects.create(name="Sales")
    theirs = published(agent, other_agent, title="Printer sales", audience="organisations", organisations=[other_org])
    draft = make_article(agent, title="Printer draft")
    seen = {a.pk for a in selectors.search_articles(end_user, "printer").articles}
    assert seen == {public.pk, mine.pk}
    desk = {a.pk for a in selectors.search_articles(agent, "printer").articles}
    assert desk == {public.pk, internal.pk, mine.pk, theirs.pk, draft.pk}


def test_filters(agent, other_agent, end_user):
    network = make_category()
    service = make_ci("vpn-service")
    a = published(agent, other_agent, title="VPN a", category=network.pk, services=[service], language="en")
    published(agent, other_agent, title="VPN b")
    assert [x.pk for x in selectors.search_articles(end_user, "vpn", category=network.pk).articles] == [a.pk]
    assert [x.pk for x in selectors.search_articles(end_user, "vpn", service=service.pk).articles] == [a.pk]
    assert [x.pk for x in selectors.search_articles(end_user, "vpn", language="en").articles] == [a.pk]


def test_nothing_found_records_the_miss_and_suggests(agent, other_agent, end_user):
    vpn = published(agent, other_agent, title="VPN 연결 끊김")
    result = selectors.search_articles(end_user, "VPN 팩스")
    assert result.articles == [] and result.partial and [a.pk for a in result.suggestions] == [vpn.pk]
    selectors.search_articles(end_user, "  vpn   팩스 ")
    assert SearchMiss.objects.get(query="vpn 팩스").count == 2
    result = selectors.search_articles(end_user, "팩스")
    assert result.suggestions == [vpn] and not result.partial


@pytest.mark.parametrize("text", ["'", "a & b", "!!", "(", ":*", "x:*&|", "\\", "%_", "KB", "\x00"])
def test_odd_input_never_fails(agent, other_agent, end_user, text):
    published(agent, other_agent)
    selectors.search_articles(end_user, text)
    selectors.suggest_for_text(end_user, text)


def test_a_number_finds_its_article(agent, other_agent, end_user):
    article = published(agent, other_agent)
    assert selectors.search_articles(end_user, article.number.lower()).articles == [article]


def test_suggest_for_ticket_puts_articles_of_its_service_first(agent, other_agent, end_user):
    mail = make_ci("mail-service")
    by_text = published(agent, other_agent, title="Mail delay", audience="internal")
    by_service = published(agent, other_agent, title="Groupware notes", services=[mail])
    published(agent, other_agent, title="Printer offline")
    incident = make_incident(end_user, title="Mail delay again", service=mail)
    assert [a.pk for a in selectors.suggest_for_ticket(incident)] == [by_service.pk, by_text.pk]
