"""Full-text search over number, title, description and comments.

A `simple`-configuration tsvector kept in `Incident.search_vector` by the services (Korean has
no stemmer in PostgreSQL, so words are matched by prefix instead), GIN-indexed.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q

_TERM = re.compile(r"[\w]+", re.UNICODE)

# number and title weigh most, then description, then public comments (work notes stay out,
# so an end user cannot probe their contents through search).
_DOCUMENT_SQL = """
    setweight(to_tsvector('simple', coalesce(i.number, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(i.title, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(i.description, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce((
        SELECT string_agg(c.body, ' ') FROM core_comment c
        WHERE c.content_type_id = %s AND c.object_id = i.id AND NOT c.internal), '')), 'C')
"""


def refresh(ids=None, *, id_range=None):
    """Recompute the search document of the given incidents (or an id range), one UPDATE."""
    from incidents.models import Incident

    content_type_id = ContentType.objects.get_for_model(Incident).pk
    sql = f"UPDATE incidents_incident i SET search_vector = {_DOCUMENT_SQL}"
    params = [content_type_id]
    if ids is not None:
        ids = list(ids)
        if not ids:
            return
        sql += " WHERE i.id = ANY(%s)"
        params.append(ids)
    elif id_range is not None:
        sql += " WHERE i.id BETWEEN %s AND %s"
        params.extend(id_range)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def terms(text):
    return _TERM.findall(text or "")[:8]


def apply(queryset, text):
    """Narrow `queryset` to incidents matching every word of `text`."""
    words = terms(text)
    if not words:
        return queryset
    raw = " & ".join(f"{w.lower()}:*" for w in words)
    return queryset.filter(Q(search_vector=SearchQuery(raw, config="simple", search_type="raw")))
