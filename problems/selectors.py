"""Reading problems: the desk list, the known-error database and known errors matching an incident."""

import re

from django.contrib.postgres.search import SearchRank
from django.db.models import Case, F, FloatField, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce

from core import search as core_search
from problems.models import Problem

STOPWORDS = frozenset(
    ["the", "and", "for", "with", "from", "that", "this", "not", "are", "was", "were", "has", "have", "can", "cannot", "when", "after", "before", "into", "all", "any", "but", "our", "your", "you", "out", "off", "too", "via", "per", "new"]
)
MAX_TERMS = 12


def with_list_relations(queryset):
    """What the desk list and the API list render, in a constant number of queries."""
    # Rows show how many incidents a problem covers: ids are enough.
    incident_ids = Prefetch("incidents", queryset=Problem.incidents.field.related_model.objects.only("id"))
    return (queryset.select_related("assignment_group", "assigned_to").prefetch_related(incident_ids)
            .defer("search_vector"))


# The fields of the search document (Problem.SEARCH_FIELDS, kept by core.search).
SEARCHED_FIELDS = tuple(Problem.SEARCH_FIELDS)


def refresh_search(ids):
    """Recompute the search document of the given problems in one UPDATE."""
    ids = [getattr(i, "pk", i) for i in ids]
    if not ids:
        return
    core_search.refresh(Problem, ids)


def search_problems(queryset, text):
    """Full-text search (every word, by prefix, ranked: core.search)."""
    text = (text or "").strip()
    if not text:
        return queryset
    return core_search.apply(queryset, text)


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


def _related_hits(incident):
    """Problem ids that share the incident's CI, its service, or already cover it (one query).

    Fetched apart from the ranking query on purpose: as correlated subqueries they inflate the
    plan's cost estimate past PostgreSQL's JIT threshold, and compiling costs seconds.
    """
    ci_through = Problem.configuration_items.through
    incident_through = Problem.incidents.through
    ci_id = getattr(incident, "configuration_item_id", None)
    service_id = getattr(incident, "service_id", None)
    parts = [incident_through.objects.filter(incident_id=incident.pk)
             .annotate(kind=Value("linked")).values_list("problem_id", "kind")]
    if ci_id:
        parts.append(ci_through.objects.filter(configurationitem_id=ci_id)
                     .annotate(kind=Value("ci")).values_list("problem_id", "kind"))
    if service_id:
        parts.append(ci_through.objects.filter(configurationitem_id=service_id)
                     .annotate(kind=Value("service")).values_list("problem_id", "kind"))
        parts.append(incident_through.objects.filter(incident__service_id=service_id)
                     .annotate(kind=Value("service")).values_list("problem_id", "kind"))
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    hits = {"linked": set(), "ci": set(), "service": set()}
    for problem_id, kind in query:
        hits[kind].add(problem_id)
    return hits


def matching_known_errors(incident, limit=5):
    """Published known errors that fit an incident, best first.

    A known error fits when it names the incident's CI (strongest), its service (as a CI or via
    another incident of the same service), or when its text shares words with the incident's
    title and description. Each result carries `match_ci`, `match_service`, `match_text`,
    `match_score` and `linked` (already linked to this incident). Two queries.
    """
    hits = _related_hits(incident)
    related = hits["ci"] | hits["service"]
    condition = Q(pk__in=sorted(related)) if related else Q(pk__in=[])
    terms = significant_terms(f"{incident.title} {incident.description[:500]}")
    text_score = Value(0.0, output_field=FloatField())
    queryset = Problem.objects.known_errors()
    if terms:
        # Any term, by prefix: "printer" finds "printers", "vpn" finds "vpn-gw".
        query = core_search.prefix_query(terms, "|")
        text_score = Coalesce(SearchRank(F("search_vector"), query), Value(0.0), output_field=FloatField())
        condition |= Q(search_vector=query)

    def bonus(ids, weight):
        if not ids:
            return Value(0.0, output_field=FloatField())
        return Case(When(pk__in=sorted(ids), then=Value(weight)), default=Value(0.0), output_field=FloatField())

    queryset = queryset.filter(condition).annotate(match_text=text_score).annotate(
        match_score=bonus(hits["ci"], 4.0) + bonus(hits["service"], 2.0) + F("match_text"),
    )
    results = list(queryset.order_by("-match_score", "-updated_at", "-id")[:limit])
    for problem in results:
        problem.match_ci = problem.pk in hits["ci"]
        problem.match_service = problem.pk in hits["service"]
        problem.linked = problem.pk in hits["linked"]
    return results
