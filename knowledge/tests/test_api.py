"""API v1 kb/articles/: audiences, drafts, versions, publish, feedback, bad input."""

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from knowledge.models import Article
from knowledge.tests.factories import make_article, make_category, published

pytestmark = pytest.mark.django_db
URL = "/api/v1/kb/articles/"


def test_end_users_list_and_read_published_articles_of_their_audience(agent, other_agent, end_user_api, agent_api):
    public = published(agent, other_agent, title="VPN 연결이 자꾸 끊길 때", body="<script>x</script> **재접속**")
    internal = published(agent, other_agent, title="Internal VPN runbook", audience="internal")
    draft = make_article(agent, title="VPN draft")
    body = end_user_api.get(URL).json()
    assert [a["id"] for a in body["results"]] == [public.pk]
    detail = end_user_api.get(f"{URL}{public.number}/").json()
    assert detail["number"] == public.number and "<script" not in detail["body_html"]
    assert set(detail) >= {"id", "number", "title", "summary", "body", "body_html", "category", "tags", "language",
                           "audience", "state", "published_at", "review_at", "services", "known_errors", "version"}
    for hidden in (internal, draft):
        assert end_user_api.get(f"{URL}{hidden.pk}/").status_code == 404
        assert end_user_api.get(f"{URL}{hidden.number}/").status_code == 404
    assert {a["id"] for a in agent_api.get(URL).json()["results"]} == {public.pk, internal.pk, draft.pk}
    assert agent_api.get(f"{URL}?state=draft").json()["results"][0]["id"] == draft.pk


def test_search_finds_korean_inflections_and_records_misses(agent, other_agent, end_user_api):
    vpn = published(agent, other_agent, title="VPN 연결이 자꾸 끊길 때")
    assert [a["id"] for a in end_user_api.get(URL, {"search": "VPN이 끊겨요"}).json()["results"]] == [vpn.pk]
    assert end_user_api.get(URL, {"search": "팩스"}).json()["results"] == []
    from knowledge.models import SearchMiss
    assert SearchMiss.objects.filter(query="팩스").exists()


def test_create_update_publish_flow(agent_api, manager_api, agent, manager):
    category = make_category()
    created = agent_api.post(URL, {"title": "프린터 드라이버 설치", "body": "1. 다운로드", "category": category.pk,
                                   "tags": ["printer"], "language": "ko"}, format="json")
    assert created.status_code == 201, created.content
    article = created.json()
    assert article["state"] == "draft" and article["number"].startswith("KB")
    stale = agent_api.patch(f"{URL}{article['id']}/", {"title": "x", "version": article["version"] + 5}, format="json")
    assert stale.status_code == 409
    missing_version = agent_api.patch(f"{URL}{article['id']}/", {"title": "x"}, format="json")
    assert missing_version.status_code == 400 and "version" in missing_version.json()
    refused = agent_api.post(f"{URL}{article['id']}/publish/", {}, format="json")
    assert refused.status_code == 400 and "state" in refused.json()
    submitted = agent_api.post(f"{URL}{article['id']}/submit/", {"version": article["version"]}, format="json").json()
    own = agent_api.post(f"{URL}{article['id']}/approve/", {}, format="json")
    assert own.status_code == 403
    approved = manager_api.post(f"{URL}{article['id']}/approve/", {"version": submitted["version"]}, format="json")
    assert approved.status_code == 200
    done = agent_api.post(f"{URL}{article['id']}/publish/", {}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "published"
    edited = agent_api.patch(f"{URL}{article['id']}/", {"body": "2. 설치", "version": done.json()["version"]},
                             format="json").json()
    assert edited["body"] == "1. 다운로드" and edited["working_version"] == 2
    versions = agent_api.get(f"{URL}{article['id']}/versions/").json()
    assert [(v["number"], v["state"]) for v in versions] == [(1, "published"), (2, "draft")]
    assert agent_api.get(f"{URL}{article['id']}/versions/2/").json()["body"] == "2. 설치"
    assert "+2. 설치" in agent_api.get(f"{URL}{article['id']}/diff/?from=1&to=2").json()["diff"]


def test_bad_input_is_a_clear_400(agent_api):
    assert "category" in agent_api.post(URL, {"title": "x", "category": 99999}, format="json").json()
    big = agent_api.post(URL, {"title": "x", "body": "a" * (5 * 1024 * 1024)}, format="json")
    assert big.status_code == 400 and "body" in big.json()
    assert "title" in agent_api.post(URL, {"body": "x"}, format="json").json()
    assert agent_api.post(URL, {"title": "x", "language": "fr"}, format="json").status_code == 400
    assert not Article.objects.exists()


def test_end_users_cannot_write(agent, other_agent, end_user_api):
    article = published(agent, other_agent)
    assert end_user_api.post(URL, {"title": "x"}, format="json").status_code == 403
    assert end_user_api.patch(f"{URL}{article.pk}/", {"title": "x", "version": 1}, format="json").status_code == 403
    assert end_user_api.post(f"{URL}{article.pk}/publish/", {}, format="json").status_code == 403
    assert end_user_api.get(f"{URL}{article.pk}/versions/").status_code == 403


def test_feedback(agent, other_agent, end_user_api):
    article = published(agent, other_agent)
    answer = end_user_api.post(f"{URL}{article.pk}/feedback/", {"helpful": True, "comment": "좋아요"}, format="json")
    assert answer.status_code == 201 and answer.json()["helpful_count"] == 1
    assert end_user_api.post(f"{URL}{article.pk}/feedback/", {"comment": "x"}, format="json").status_code == 400


def test_list_query_count_is_constant(agent, other_agent, agent_api, end_user_api):
    def count(client):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    published(agent, other_agent)
    count(agent_api), count(end_user_api)  # the token's first use is written once
    few_agent, few_user = count(agent_api), count(end_user_api)
    for i in range(5):
        published(agent, other_agent, title=f"Article {i}", services=[], known_errors=[])
    assert count(agent_api) == few_agent
    assert count(end_user_api) == few_user
    assert (few_agent, few_user) == (3, 3)  # the token brings the roles (issue 12)
