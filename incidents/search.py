"""Full-text search over number, title, description and public comments (core.search; the
document is declared by Incident.SEARCH_FIELDS). SQLite: icontains over the same fields.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

from core import search as core_search
from core.models import Comment
from incidents.models import Incident

_TERM = re.compile(r"[\w]+", re.UNICODE)


def is_postgres():
    return connection.vendor == "postgresql"


def refresh(ids=None, *, id_range=None):
    """Recompute the search document of the given incidents (or an id range), one UPDATE."""
    if not is_postgres():
        return
    core_search.refresh(Incident, ids, id_range=id_range)


def terms(text):
    return _TERM.findall(text or "")[:8]


def apply(queryset, text):
    """Narrow `queryset` to incidents matching every word of `text`."""
    if is_postgres():
        return core_search.apply(queryset, text)
    words = terms(text)
    if not words:
        return queryset
    content_type = ContentType.objects.get_for_model(Incident)
    for word in words:
        commented = Comment.objects.filter(
            content_type=content_type, internal=False, body__icontains=word
        ).values("object_id")
        queryset = queryset.filter(
            Q(number__icontains=word) | Q(title__icontains=word) | Q(description__icontains=word)
            | Q(pk__in=commented)
        )
    return queryset
