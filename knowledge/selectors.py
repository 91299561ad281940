"""Reading the knowledge base: lists, search, suggestions, counters. Everything starts from
Article.objects.visible_to(user), so an end user never finds a draft or another audience's article.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, Value
from django.utils import timezone

from accounts import roles
from knowledge import query as kbquery
from knowledge.choices import ArticleState, Audience
from knowledge.models import Article, SearchMiss

# Title (A) far above summary and tags (B) far above the body (C): "ranked title first".
RANK_WEIGHTS = [0.05, 0.1, 0.3, 1.0]
LOOSE_CANDIDATES = 200
LIST_FIELDS = ("id", "number", "title", "summary", "category_id", "language", "audience", "state", "published_at",
               "updated_at", "view_count", "helpful_count", "not_helpful_count", "tags")


def articles_for(user, *, state=None, category=None, service=None, audience=None, language=None, tags=None):
    """Articles `user` may read, filtered. Desk staff may ask for any state; others get published."""
    qs = Article.objects.visible_to(user)
    if state and roles.is_agent(user):
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category_id=category)
    if service:
        linked = Article.services.through.objects.filter(article_id=OuterRef("pk"), configurationitem_id=service)
        qs = qs.filter(Exists(linked))
    if audience:
        qs = qs.filter(audience=audience)
    if language:
        qs = qs.filter(language=language)
    if tags:
        qs = qs.filter(tags__contains=list(tags))
    return qs


def rank_by(queryset, text, *, every=True):
    """Narrow to the articles matching `text` (every word, or any), best first; None if `text`
    has no words worth searching."""
    groups = kbquery.words(text)
    number = (text or "").strip().upper()
    if number.startswith("KB") and number[2:].isdigit():
        return queryset.filter(number=number)
    search_query = kbquery.tsquery(groups, every=every)
    if search_query is None:
        return None
    rank = SearchRank(F("search_vector"), search_query, weights=RANK_WEIGHTS)
    return (queryset.filter(search_vector=search_query).annotate(search_rank=rank)
            .order_by("-search_rank", "-view_count", "-id"))


@dataclass
class SearchResult:
    articles: list
    # When nothing matched: articles that match some of the words, or else popular ones.
    suggestions: list = field(default_factory=list)
    partial: bool = False


def search_articles(user, q, *, limit=20, record_miss=True, **filters):
    """The knowledge search people run: every word must match; when none does, the articles
    matching any word (`partial`), or else the most read of the category, and the miss is kept."""
    base = articles_for(user, **filters)
    if not roles.is_agent(user):
        base = base.filter(state=ArticleState.PUBLISHED)
    ranked = rank_by(base, q)
    if ranked is None:
        return SearchResult(articles=list(base.order_by("-view_count", "-id")[:limit]) if not q else [])
    found = list(ranked.select_related("category")[:limit])
    if found:
        return SearchResult(articles=found)
    if record_miss:
        record_search_miss(q)
    loose = rank_by(base, q, every=False)
    partial = list(loose.select_related("category")[:5]) if loose is not None else []
    if partial:
        return SearchResult(articles=[], suggestions=partial, partial=True)
    return SearchResult(articles=[], suggestions=popular(user, category=filters.get("category"), limit=5))


def popular(user, *, category=None, limit=5):
    qs = Article.objects.visible_to(user).filter(state=ArticleState.PUBLISHED)
    if category:
        qs = qs.filter(category_id=category)
    return list(qs.select_related("category").order_by("-view_count", "-id")[:limit])


def suggest_for_text(user, text, limit=5):
    """Deflection: published articles for what the person is typing (title and description),
    best first. Readable by `user` only.

    Articles matching every word come first (a cheap, selective query); the rest of the list is
    filled from articles matching any word, ranked among the first LOOSE_CANDIDATES the index
    gives: with 100,000 articles one common word ("vpn") matches thousands, and ranking all of
    them on every keystroke would cost more than the suggestion is worth."""
    base = Article.objects.visible_to(user).filter(state=ArticleState.PUBLISHED)
    text = (text or "")[:500]
    strict = rank_by(base, text)
    if strict is None:
        return []
    found = list(strict.only(*LIST_FIELDS)[:limit])
    if len(found) >= limit:
        return found
    groups = kbquery.significant(kbquery.words(text))
    loose_query = kbquery.tsquery(groups, every=False)
    if len(groups) < 2 or loose_query is None:
        return found
    candidates = base.filter(search_vector=loose_query).exclude(pk__in=[a.pk for a in found])
    # No ORDER BY inside: the LIMIT then stops the index scan early instead of sorting every match.
    candidates = Article.objects.filter(pk__in=candidates.order_by().values("pk")[:LOOSE_CANDIDATES])
    rank = SearchRank(F("search_vector"), loose_query, weights=RANK_WEIGHTS)
    more = candidates.annotate(search_rank=rank).order_by("-search_rank", "-view_count", "-id")
    return found + list(more.only(*LIST_FIELDS)[:limit - len(found)])


def suggest_for_ticket(ticket, *, limit=5):
    """For the agent on a ticket: published articles (internal ones too) matching its text, with
    those about its service or CI, or written for a known error of its problems, first."""
    base = Article.objects.filter(state=ArticleState.PUBLISHED)
    text = f"{ticket.title} {(getattr(ticket, 'description', '') or '')[:400]}"
    cis = [ci for ci in (getattr(ticket, "service_id", None), getattr(ticket, "configuration_item_id", None)) if ci]
    links = []
    if cis:
        links.append(Exists(Article.services.through.objects.filter(article_id=OuterRef("pk"),
                                                                    configurationitem_id__in=cis)))
        links.append(Exists(Article.configuration_items.through.objects.filter(article_id=OuterRef("pk"),
                                                                               configurationitem_id__in=cis)))
    problems = getattr(ticket, "problems", None)
    if problems is not None and getattr(ticket, "pk", None):
        links.append(Exists(Article.known_errors.through.objects.filter(
            article_id=OuterRef("pk"), problem_id__in=problems.values("pk"))))
    search_query = kbquery.tsquery(kbquery.words(text), every=False)
    conditions = [*links] + ([Q(search_vector=search_query)] if search_query is not None else [])
    if not conditions:
        return []
    linked = (ExpressionWrapper(Q(*links, _connector=Q.OR), output_field=BooleanField()) if links
              else Value(False, output_field=BooleanField()))
    rank = (SearchRank(F("search_vector"), search_query, weights=RANK_WEIGHTS) if search_query is not None
            else Value(0.0, output_field=FloatField()))
    qs = (base.filter(Q(*conditions, _connector=Q.OR)).annotate(linked=linked, search_rank=rank)
          .order_by("-linked", "-search_rank", "-view_count", "-id"))
    return list(qs.only(*LIST_FIELDS)[:limit])


def record_search_miss(q):
    """Count a search that found nothing (one upsert; the report lists them)."""
    text = " ".join((q or "").split()).lower()[:200]
    if not text:
        return
    table = SearchMiss._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (query, count, last_at) VALUES (%s, 1, %s) "
            f"ON CONFLICT (query) DO UPDATE SET count = {table}.count + 1, last_at = EXCLUDED.last_at",
            [text, timezone.now()],
        )


def article_by_key(user, key):
    """One article by id or by number (KB0001001), as `user` may see it; DoesNotExist otherwise."""
    qs = Article.objects.visible_to(user).select_related("category", "owner")
    key = str(key).strip()
    if key.isdigit():
        return qs.get(pk=int(key))
    return qs.get(number=key.upper())


def feedback_summary(article):
    return article.feedback.aggregate(helpful=Count("pk", filter=Q(helpful=True)),
                                      not_helpful=Count("pk", filter=Q(helpful=False)))


__all__ = ["articles_for", "search_articles", "suggest_for_text", "suggest_for_ticket", "record_search_miss",
           "article_by_key", "popular", "Audience"]
