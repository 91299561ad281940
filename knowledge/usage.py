"""Feedback and usage: what readers say about articles and what articles achieve.

Counters on the article are bumped with F() in one UPDATE (no lock, no read); the events that a
report must be able to reproduce (deflections, uses, articles shown before a ticket) also keep
a KnowledgeEvent row. Views are only counted: one row per page view would outweigh the articles.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from knowledge.choices import ArticleState, EventKind
from knowledge.models import Article, ArticleFeedback, KnowledgeEvent

MAX_COMMENT = 2000


def _bump(article_ids, **counters):
    Article.objects.filter(pk__in=article_ids).update(**{name: F(name) + 1 for name in counters})


def record_view(article):
    _bump([article.pk], view_count=1)


def _user(user):
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def give_feedback(article, *, user, helpful, comment=""):
    """Helpful or not, with an optional comment; published articles only."""
    if article.state != ArticleState.PUBLISHED:
        raise DomainError(_("Only published articles take feedback."), field="article", code="not_published")
    if not isinstance(helpful, bool):
        raise DomainError(_("Say whether the article helped (true or false)."), field="helpful", code="required")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(_("The comment is too long: at most %(count)d characters.") % {"count": MAX_COMMENT},
                          field="comment")
    feedback = ArticleFeedback.objects.create(article=article, user=_user(user), helpful=helpful, comment=comment)
    _bump([article.pk], **({"helpful_count": 1} if helpful else {"not_helpful_count": 1}))
    return feedback


@transaction.atomic
def record_deflection(article, *, user):
    """"This solved it": the person leaves without filing a ticket."""
    KnowledgeEvent.objects.create(article=article, kind=EventKind.DEFLECTION, user=_user(user))
    _bump([article.pk], deflection_count=1)


@transaction.atomic
def record_use(article, ticket, *, user=None):
    """An agent resolved `ticket` with this article (counted once per ticket)."""
    number = getattr(ticket, "number", "") or ""
    if KnowledgeEvent.objects.filter(article=article, kind=EventKind.USE, ticket_number=number).exists():
        return False
    KnowledgeEvent.objects.create(article=article, kind=EventKind.USE, user=_user(user), ticket_number=number)
    _bump([article.pk], use_count=1)
    if type(ticket)._meta.label == "incidents.Incident":
        article.incidents.add(ticket)
    return True


def record_shown(article_ids, ticket, *, user=None):
    """The portal filed `ticket` anyway after showing these articles: kept for the report."""
    ids = list(Article.objects.filter(pk__in=[int(i) for i in article_ids if str(i).isdigit()][:20])
               .values_list("pk", flat=True))
    now = timezone.now()
    KnowledgeEvent.objects.bulk_create([
        KnowledgeEvent(article_id=pk, kind=EventKind.SHOWN, user=_user(user),
                       ticket_number=getattr(ticket, "number", "") or "", created_at=now)
        for pk in ids
    ])
    return ids
