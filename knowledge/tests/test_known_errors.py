"""Known errors publish articles; withdrawing, closing or cancelling the problem retires them."""

import pytest
from django.test import override_settings

from core.choices import Channel
from knowledge import selectors
from knowledge.choices import ArticleState
from knowledge.models import Article
from problems import services as problem_services
from problems.tests.factories import make_incident, make_known_error, make_problem

pytestmark = pytest.mark.django_db


def test_publishing_a_known_error_publishes_its_article(agent, end_user):
    problem = make_problem(agent, title="메일 발송 지연", description="외부 메일이 30분 늦게 도착합니다")
    assert not Article.objects.exists()
    problem_services.update_problem(problem, actor=agent, channel=Channel.WEB, changes={
        "state": "known_error", "known_error": True, "workaround": "SMTP 큐를 비우고 재전송", "root_cause": "relay01 디스크"})
    article = Article.objects.get(known_error_of=problem)
    assert article.state == ArticleState.PUBLISHED and article.audience == "public" and article.language == "ko"
    assert "SMTP 큐를 비우고 재전송" in article.body and "relay01" not in article.body
    assert list(article.known_errors.all()) == [problem]
    # The end user finds it in the portal; the agent sees it suggested on a matching incident.
    assert selectors.suggest_for_text(end_user, "메일이 늦게 와요")[0] == article
    incident = make_incident(end_user, title="메일 발송이 지연됩니다")
    assert selectors.suggest_for_ticket(incident)[0] == article


def test_updates_follow_and_closing_retires(agent):
    problem = make_known_error(agent, title="VPN drops", workaround="Reconnect")
    article = Article.objects.get(known_error_of=problem)
    problem_services.update_problem(problem, actor=agent, channel=Channel.WEB, changes={"workaround": "Disable split"})
    article.refresh_from_db()
    assert "Disable split" in article.body and article.versions.count() == 2
    problem_services.update_problem(Article.objects.get(pk=article.pk).known_error_of, actor=agent,
                                    channel=Channel.WEB, changes={"state": "cancelled"})
    article.refresh_from_db()
    assert article.state == ArticleState.RETIRED


@override_settings(KNOWLEDGE_KNOWN_ERROR_AUDIENCE="internal")
def test_internal_audience_carries_the_root_cause(agent, end_user):
    problem = make_known_error(agent, title="Printer queue stuck", workaround="Restart spooler",
                               root_cause="Driver 4.2 leak")
    article = Article.objects.get(known_error_of=problem)
    assert article.audience == "internal" and "Driver 4.2 leak" in article.body
    assert not Article.objects.visible_to(end_user).filter(pk=article.pk).exists()


def test_withdrawing_the_known_error_retires_the_article(agent):
    problem = make_known_error(agent)
    problem_services.update_problem(problem, actor=agent, channel=Channel.WEB, changes={"known_error": False})
    assert Article.objects.get(known_error_of=problem).state == ArticleState.RETIRED
