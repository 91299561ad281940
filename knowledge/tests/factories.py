"""Test data builders: articles go through the services."""

from core.choices import Channel
from knowledge import services
from knowledge.models import KnowledgeCategory


def make_category(name="Network", name_ko="네트워크"):
    return KnowledgeCategory.objects.create(name=name, name_ko=name_ko)


def make_article(actor, *, title="VPN disconnects", body="Reconnect.", publish=False, reviewer=None, **fields):
    article = services.create_article(actor=actor, channel=Channel.WEB, title=title, body=body, **fields)
    if publish:
        if article.reviewer_required:
            article = services.submit_for_review(article, actor=actor, channel=Channel.WEB)
            article = services.approve(article, actor=reviewer, channel=Channel.WEB)
        article = services.publish(article, actor=actor, channel=Channel.WEB)
    return article


def published(actor, reviewer, **fields):
    return make_article(actor, publish=True, reviewer=reviewer, **fields)
