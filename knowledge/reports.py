"""The knowledge report: what is read, what does not help, what is out of date and what people
looked for in vain."""

from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from knowledge.choices import ArticleState
from knowledge.models import Article, SearchMiss

FIELDS = ("id", "number", "title", "language", "state", "view_count", "helpful_count", "not_helpful_count",
          "deflection_count", "use_count", "review_at", "needs_review", "owner_id")


def most_viewed(limit=10):
    return list(Article.objects.published().only(*FIELDS).order_by("-view_count", "-id")[:limit])


def least_helpful(limit=10, min_votes=3):
    """Articles with enough votes, the smallest share of "helpful" first."""
    votes = F("helpful_count") + F("not_helpful_count")
    return list(Article.objects.published().only(*FIELDS)
                .annotate(votes=votes)
                .filter(votes__gte=min_votes)
                .annotate(helpful_share=Cast("helpful_count", FloatField()) / Cast(votes, FloatField()))
                .order_by("helpful_share", "-votes", "-id")[:limit])


def stale(limit=20, now=None):
    """Published articles past their review date (flagged or about to be)."""
    now = now or timezone.now()
    return list(Article.objects.published().filter(Q(needs_review=True) | Q(review_at__lte=now))
                .select_related("owner").only(*FIELDS, "owner__username", "owner__first_name",
                                              "owner__last_name").order_by("review_at", "id")[:limit])


def search_misses(limit=20):
    return list(SearchMiss.objects.order_by("-count", "-last_at")[:limit])


def totals():
    from django.db.models import Count, Sum

    return Article.objects.aggregate(
        published=Count("pk", filter=Q(state=ArticleState.PUBLISHED)),
        drafts=Count("pk", filter=Q(state__in=[ArticleState.DRAFT, ArticleState.REVIEW])),
        views=Sum("view_count"), deflections=Sum("deflection_count"), uses=Sum("use_count"),
    )


def report(limit=10):
    return {"most_viewed": most_viewed(limit), "least_helpful": least_helpful(limit), "stale": stale(limit),
            "search_misses": search_misses(limit), "totals": totals()}
