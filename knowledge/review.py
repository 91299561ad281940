"""The review sweep: published articles past their review date are flagged "needs review" and
their owners reminded (once per review date; the flag is cleared when a new version is published)."""

from django.db import transaction
from django.utils import timezone

from core import audit, events
from core.choices import AuditAction, Channel
from knowledge.choices import ArticleState
from knowledge.models import Article

BATCH = 500


def flag_due(now=None):
    """Flag the due articles, one batch per transaction. Returns how many were flagged."""
    now = now or timezone.now()
    flagged = 0
    while True:
        with transaction.atomic():
            due = list(Article.objects.select_for_update(skip_locked=True, of=("self",))
                       .filter(state=ArticleState.PUBLISHED, needs_review=False, review_at__lte=now)
                       .select_related("owner").order_by("review_at", "id")[:BATCH])
            if not due:
                return flagged
            Article.objects.filter(pk__in=[a.pk for a in due]).update(needs_review=True)
            for article in due:
                article.needs_review = True
                audit.record(article, actor=None, channel=Channel.SYSTEM, action=AuditAction.UPDATED,
                             field="needs_review", old=False, new=True, at=now)
            events.publish_many("article.review-due", [(a, {"review_at": a.review_at.isoformat()}) for a in due],
                                channel=Channel.SYSTEM, at=now)
            flagged += len(due)
