"""Feedback, usage counters, the review sweep and the report."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core import outbox
from core.exceptions import DomainError
from knowledge import reports, review, usage
from knowledge.models import Article, KnowledgeEvent
from knowledge.tests.factories import make_article, published
from problems.tests.factories import make_incident

pytestmark = pytest.mark.django_db


def test_feedback_and_counters(agent, other_agent, end_user):
    article = published(agent, other_agent)
    usage.record_view(article)
    usage.give_feedback(article, user=end_user, helpful=False, comment="Step 3 fails")
    usage.record_deflection(article, user=end_user)
    incident = make_incident(end_user)
    assert usage.record_use(article, incident, user=agent) is True
    assert usage.record_use(article, incident, user=agent) is False
    usage.record_shown([article.pk, "x", 999999], incident, user=end_user)
    article.refresh_from_db()
    assert (article.view_count, article.not_helpful_count, article.deflection_count, article.use_count) == (1, 1, 1, 1)
    assert list(article.incidents.all()) == [incident]
    assert KnowledgeEvent.objects.filter(kind="shown", ticket_number=incident.number).count() == 1
    with pytest.raises(DomainError):
        usage.give_feedback(make_article(agent), user=end_user, helpful=True)


def test_review_sweep_flags_and_mails_the_owner_once(agent, other_agent, django_capture_on_commit_callbacks):
    article = published(agent, other_agent)
    Article.objects.filter(pk=article.pk).update(review_at=timezone.now() - datetime.timedelta(days=1))
    assert review.flag_due() == 1
    assert review.flag_due() == 0
    outbox.deliver_due()
    assert len(mail.outbox) == 1 and article.number in mail.outbox[0].subject
    assert mail.outbox[0].to == [agent.email]
    assert [a.pk for a in reports.stale()] == [article.pk]


def test_report(agent, other_agent, end_user):
    a = published(agent, other_agent, title="A")
    for helpful in (True, False, False):
        usage.give_feedback(a, user=end_user, helpful=helpful)
    report = reports.report()
    assert report["least_helpful"] == [a] and report["totals"]["published"] == 1
