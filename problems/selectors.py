"""Reading problems: the desk list, the known-error database and known errors matching an incident."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce

from problems.models import Problem

# The `simple` configuration: no stemming, so Korean and English text both match word for word.
SEARCH_CONFIG = "simple"
STOPWORDS = frozenset(
    "the and for with from that this not are was were has have can cannot when after before into "
    "all any but our your you out off too via per new".split()
)
MAX_TERMS = 12


def is_postgres():
    return connection.vendor == "postgresql"


def with_list_relations(queryset):
    """What the desk list and the API list render, in a constant number of queries."""
    return queryset.select_related("assignment_group", "assigned_to").prefetch_related("incidents")


# The search document, as SQL so one UPDATE refreshes any number of rows. Number and title
# weigh most, then the known-error content (workaround, root cause), then the analysis.
DOCUMENT_SQL = """
    setweight(to_tsvector('simple', coalesce(number, '') || ' ' || coalesce(title, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(workaround, '') || ' ' || coalesce(root_cause, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(description, '') || ' ' || coalesce(analysis_notes, '')), 'C')
"""
SEARCHED_FIELDS = ("number", "title", "workaround", "root_cause", "description", "analysis_notes")


def refresh_search(ids):
    """Recompute the search document of the given problems in one UPDATE (PostgreSQL only)."""
    ids = [getattr(i, "pk", i) for i in ids]
    if not ids or not is_postgres():
        return
    table = Problem._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET search_vector = {DOCUMENT_SQL} WHERE id = ANY(%s)", [ids])


def _prefix_query(terms, operator):
    # Terms are \w+ only, so the raw tsquery cannot be malformed; ":*" matches by prefix
    # (Korean has no stemmer in PostgreSQL: "발송" finds "발송이").
    return SearchQuery(f" {operator} ".join(f"{t}:*" for t in terms), search_type="raw", config=SEARCH_CONFIG)


def search_problems(queryset, text):
    """Full-text search (every word, by prefix, ranked) on PostgreSQL; icontains elsewhere."""
    text = (text or "").strip()
    if not text:
        return queryset
    terms = re.findall(r"\w+", text.lower())[:MAX_TERMS]
    if is_postgres() and terms:
        query = _prefix_query(terms, "&")
        return (
            queryset.annotate(search_rank=SearchRank(F("search_vector"), query))
            .filter(Q(search_vector=query) | Q(number__iexact=text) | Q(title__icontains=text))
            .order_by("-search_rank", "-updated_at", "-id")
        )
    condition = Q()
    for name in SEARCHED_FIELDS:
        condition |= Q(**{f"{name}__icontains": text})
    return queryset.filter(condition)


def significant_terms(text, limit=MAX_TERMS):
    """The distinct words of a text worth matching on (3+ characters, not stopwords), in order."""
    seen = []
    for word in re.findall(r"\w+", (text or "").lower()):
        if len(word) < 3 and not re.search(r"[^\x00-\x7f]", word):
            continue
        if word in STOPWORDS or word.isdigit() or word in seen:
            continue
        seen.append(word)
        if len(seen) >= limit:
            break
    return seen


def matching_known_errors(incident, limit=5):
    """Published known errors that fit an incident, best first.

    A known error fits when it names the incident's CI (strongest), its service (as a CI or via
    another incident of the same service), or when its text shares words with the incident's
    title and description. Each result carries `match_ci`, `match_service`, `match_score` and
    `linked` (already linked to this incident).
    """
    queryset = Problem.objects.known_errors()
    ci_through = Problem.configuration_items.through
    incident_through = Problem.incidents.through
    ci_id = getattr(incident, "configuration_item_id", None)
    service_id = getattr(incident, "service_id", None)

    ci_match = Exists(ci_through.objects.filter(problem_id=OuterRef("pk"), configurationitem_id=ci_id)) if ci_id \
        else Value(False)
    if service_id:
        service_match = Exists(ci_through.objects.filter(problem_id=OuterRef("pk"), configurationitem_id=service_id)) \
            | Exists(incident_through.objects.filter(problem_id=OuterRef("pk"), incident__service_id=service_id))
    else:
        service_match = Value(False)
    linked = Exists(incident_through.objects.filter(problem_id=OuterRef("pk"), incident_id=incident.pk))
    queryset = queryset.annotate(match_ci=ci_match, match_service=service_match, linked=linked)

    condition = Q(match_ci=True) | Q(match_service=True)
    terms = significant_terms(f"{incident.title} {incident.description[:500]}")
    text_score = Value(0.0)
    if terms and is_postgres():
        # Any term, by prefix: "printer" finds "printers", "vpn" finds "vpn-gw".
        query = _prefix_query(terms, "|")
        text_score = SearchRank(F("search_vector"), query)
        condition |= Q(search_vector=query)
    elif terms:
        text_condition = Q()
        for term in terms:
            text_condition |= Q(title__icontains=term) | Q(workaround__icontains=term) | Q(root_cause__icontains=term)
        condition |= text_condition
        text_score = Case(When(text_condition, then=Value(0.1)), default=Value(0.0), output_field=FloatField())

    queryset = queryset.annotate(
        match_text=Coalesce(text_score, Value(0.0), output_field=FloatField()),
    ).annotate(
        match_score=Case(When(match_ci=True, then=Value(4.0)), default=Value(0.0), output_field=FloatField())
        + Case(When(match_service=True, then=Value(2.0)), default=Value(0.0), output_field=FloatField())
        + F("match_text"),
    )
    results = queryset.filter(condition).order_by("-match_score", "-updated_at", "-id")[:limit]
    return list(results)
