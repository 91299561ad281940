"""One search registry for every ticket type: PostgreSQL full-text search over a declared document.

A searchable model declares `SEARCH_FIELDS = SearchFields(("number", "A"), ("title", "A"), ...)`
and a `search_vector` column (GIN-indexed by its migration). Core keeps the column up to date in
one UPDATE per batch (`refresh`) and answers searches the same way for every type (`apply`):

- the `simple` configuration: no stemming, so Korean and English match word for word, and
  every word matches by prefix ("발송" finds "발송이", "printer" finds "printers");
- every word must match (AND); `ranked` types order by rank, then newest update;
- words are `\\w+` only, so the raw tsquery can never be malformed;
- an unranked type answers its own ticket number ("INC0051000", any case) by exact look-up
  (a list pages a word's matches as incidents.paging.CappedCountPaginator says);
- an unranked type may keep its rows' own words out of the row (`row_index=True`, incidents):
  they are searched through a GIN index on an expression of the row's columns (`row_document`,
  declared in the model's Meta.indexes), and `search_vector` holds the whole document only of
  rows whose public comments add words (NULL otherwise, in a small partial GIN index). A search
  is `row_document @@ q OR search_vector @@ q` (a BitmapOr of the two indexes): the same rows
  as one stored document, without ~220 bytes of stored vector in every row.

Iterating a SearchFields gives the field names (what a service compares with a diff to know
whether the document needs a refresh).
"""

from __future__ import annotations

import re
import time

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorExact
from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

from core.models import NumberSequence

SEARCH_CONFIG = "simple"
_WORD = re.compile(r"\w+", re.UNICODE)


class SearchFields:
    """The weighted parts of a model's search document.

    Each part is (field or tuple of fields joined by a space, weight A-D). `comments` weighs the
    public comments (work notes never: an end user must not probe them through search).
    `also_match` adds (field, lookup) conditions on the whole text (a problem's exact number).
    `row_index` (unranked types only): the row's own fields are searched through the GIN index
    on `row_document()`, and `search_vector` is stored only for rows with public comments.
    """

    def __init__(self, *parts, comments=None, ranked=False, also_match=(), max_terms=8, row_index=False):
        self.parts = tuple(((p,) if isinstance(p, str) else tuple(p), weight) for p, weight in parts)
        self.comments = comments
        self.ranked = ranked
        self.also_match = tuple(also_match)
        self.max_terms = max_terms
        if row_index and (ranked or not comments):
            raise ValueError("row_index is for unranked documents with comments (no weights: one expression)")
        self.row_index = row_index

    def __iter__(self):
        return iter(name for names, _weight in self.parts for name in names)

    def _fields_sql(self, alias):
        pieces = []
        for names, weight in self.parts:
            text = " || ' ' || ".join(f"coalesce({alias}.{name}, '')" for name in names)
            pieces.append(f"setweight(to_tsvector('{SEARCH_CONFIG}', {text}), '{weight}')")
        return pieces

    def _comments_sql(self, alias):
        return (f"SELECT string_agg(c.body, ' ') FROM core_comment c WHERE c.content_type_id = %s "
                f"AND c.object_id = {alias}.id AND NOT c.internal")

    def document_sql(self, alias="t"):
        """The tsvector expression of a row `alias` (one %s: the model's content type id if
        comments are part of it)."""
        pieces = self._fields_sql(alias)
        if self.comments:
            pieces.append(f"setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(({self._comments_sql(alias)}), '')), "
                          f"'{self.comments}')")
        return " ||\n    ".join(pieces)

    def row_document(self):
        """The document of the row's own fields as one IMMUTABLE expression (no weights: an
        unranked type never reads them). Its GIN index (Meta.indexes) and `apply` build it here,
        so the planner sees the same expression in both."""
        return SearchVector(*self, config=SEARCH_CONFIG)

    def stored_document_sql(self, alias="t"):
        """What `search_vector` holds: the whole document, or for a `row_index` type the whole
        document of a row with public comments and NULL for a row without (string_agg of no
        comments is NULL, so the subquery yields no row)."""
        if not self.row_index:
            return self.document_sql(alias)
        pieces = [*self._fields_sql(alias), f"setweight(to_tsvector('{SEARCH_CONFIG}', s.body), '{self.comments}')"]
        return f"(SELECT {' || '.join(pieces)} FROM ({self._comments_sql(alias)}) s (body) WHERE s.body IS NOT NULL)"


def fields_of(model) -> SearchFields:
    declared = getattr(model, "SEARCH_FIELDS", None)
    if not isinstance(declared, SearchFields):
        raise TypeError(f"{model!r} declares no SearchFields")
    return declared


def searchable_models():
    """Every installed model that declares a search document."""
    return [m for m in apps.get_models() if isinstance(getattr(m, "SEARCH_FIELDS", None), SearchFields)]


# ANALYZE's statistics of a `row_index` expression index (its most common lexemes and their
# shares of rows), kept per process for a few minutes: they move only when ANALYZE runs.
WORD_STATISTICS_SECONDS = 300
_word_statistics: dict = {}


def forget_word_statistics():
    """Drop this process's statistics (tests: each test's rows are its own)."""
    _word_statistics.clear()


def _statistics(model):
    held = _word_statistics.get(model)
    if held is not None and held[0] > time.monotonic():
        return held[1]
    index = next((i for i in model._meta.indexes if isinstance(i, GinIndex) and i.expressions), None)
    value = None
    if index is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
                "FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = %s AND s.schemaname = current_schema() "
                "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace",
                [index.name, model._meta.db_table])
            row = cursor.fetchone()
        if row and row[0] and row[1] and row[2] and row[2] > 0:
            value = (dict(zip(row[0], row[1])), row[2])
    _word_statistics[model] = (time.monotonic() + WORD_STATISTICS_SECONDS, value)
    return value


def estimated_rows(model):
    """The rows of a `row_index` type's table as PostgreSQL's statistics last saw them (the same
    look-up as estimated_matches', kept in the process for a few minutes), or None without
    statistics. A list that nothing but visibility narrows uses it to skip its capped count
    (core.paging.CountedPageListPaginator)."""
    if not fields_of(model).row_index:
        return None
    stats = _statistics(model)
    return None if stats is None else stats[1]


def estimated_matches(model, text):
    """How many rows of a `row_index` type hold every word of `text` (by prefix), as PostgreSQL
    estimates it: the shares of the most common lexemes each word is a prefix of, multiplied.
    None when a word is not among them (it is rarer than the least common of them) or there are
    no statistics yet. One query per process every few minutes, none otherwise.

    A search list uses it to skip its capped count for a common word: counting the matches
    through the expression index reads every one of them (118,077 entries for "vpn" at a million
    incidents, ~0.2-0.6 s), and evaluating the expression row by row is ~40 times dearer than
    reading a stored vector, so the count's early stop is gone too (incidents.paging)."""
    spec = fields_of(model)
    if not spec.row_index:
        return None
    words = terms(text, spec.max_terms)
    stats = _statistics(model) if words else None
    if stats is None:
        return None
    frequencies, rows = stats
    share = 1.0
    for word in words:
        word_share = sum(f for lexeme, f in frequencies.items() if lexeme.startswith(word))
        if not word_share:
            return None
        share *= min(word_share, 1.0)
    return share * rows


def new_document(instance):
    """The search document of a row about to be inserted, as an SQL expression of its values.

    Assigned to `search_vector` before the INSERT, so a new row is written once, not inserted and
    then updated (a dead tuple and a second pass through every index). A new row has no comments
    yet, so only the declared fields count; the same `setweight(to_tsvector(...))` as `refresh`.
    A `row_index` type stores no document for a row without public comments: None (NULL)."""
    spec = fields_of(type(instance))
    if spec.row_index:
        return None
    pieces, params = [], []
    for names, weight in spec.parts:
        pieces.append(f"setweight(to_tsvector('{SEARCH_CONFIG}', %s), '{weight}')")
        params.append(" ".join(str(getattr(instance, name) or "") for name in names))
    return RawSQL(" || ".join(pieces), params, output_field=type(instance)._meta.get_field("search_vector"))


def refresh(model, ids=None, *, id_range=None):
    """Recompute the search document of the given rows (or an id range, or all), one UPDATE."""
    spec = fields_of(model)
    sql = f"UPDATE {model._meta.db_table} t SET search_vector = {spec.stored_document_sql('t')}"
    params = [ContentType.objects.get_for_model(model).pk] if spec.comments else []
    if ids is not None:
        ids = [getattr(i, "pk", i) for i in ids]
        if not ids:
            return
        sql += " WHERE t.id = ANY(%s)"
        params.append(ids)
    elif id_range is not None:
        sql += " WHERE t.id BETWEEN %s AND %s"
        params.extend(id_range)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def terms(text, limit=8):
    """The words of a search, lower-cased, at most `limit`."""
    return _WORD.findall((text or "").lower())[:limit]


def prefix_query(words, operator="&"):
    """Every (&) or any (|) of the words, each by prefix."""
    return SearchQuery(f" {operator} ".join(f"{w}:*" for w in words), search_type="raw", config=SEARCH_CONFIG)


def ticket_number(model, text):
    """The whole ticket number `text` is, upper-cased ("inc0051000" is INC0051000), or None.

    Fewer digits than a number has ("INC00510") stay a prefix search: they list INC0051000 to
    INC0051099, as they always did.
    """
    prefix = getattr(model, "NUMBER_PREFIX", "")
    if not prefix:
        return None
    found = re.fullmatch(rf"{re.escape(prefix)}(\d+)", text.strip(), re.IGNORECASE | re.ASCII)
    if not found or len(found.group(1)) < NumberSequence.WIDTH:
        return None
    return f"{prefix}{found.group(1)}"


def apply(queryset, text):
    """Narrow `queryset` to the rows matching every word of `text` (ranked if the type says so)."""
    spec = fields_of(queryset.model)
    text = (text or "").strip()
    if not text:
        return queryset
    words = terms(text, spec.max_terms)
    if not words:
        if not spec.ranked:
            return queryset
        # Nothing but punctuation: look for the text itself.
        condition = Q()
        for name in spec:
            condition |= Q(**{f"{name}__icontains": text})
        return queryset.filter(condition)
    query = prefix_query(words, "&")
    if not spec.ranked:
        number = ticket_number(queryset.model, text)
        if number:
            # A ticket number is an exact look-up on its unique index (0.06 ms), never a scan of
            # documents for the prefix "inc0051000" (0.1-3 s walking the created index).
            return queryset.filter(number=number)
        if spec.row_index:
            # Two GIN indexes, one BitmapOr: the row's own words, or the stored document of a row
            # with public comments (which holds its own words too: every word may be anywhere).
            return queryset.filter(Q(SearchVectorExact(spec.row_document(), query)) | Q(search_vector=query))
        return queryset.filter(search_vector=query)
    condition = Q(search_vector=query)
    for name, lookup in spec.also_match:
        condition |= Q(**{f"{name}__{lookup}": text})
    return (queryset.annotate(search_rank=SearchRank(F("search_vector"), query)).filter(condition)
            .order_by("-search_rank", "-updated_at", "-id"))
