"""Full-text search over number, title, description and public comments (core.search; the
document is declared by Incident.SEARCH_FIELDS)."""

import re

from core import search as core_search
from incidents.models import Incident

_TERM = re.compile(r"[\w]+", re.UNICODE)


def refresh(ids=None, *, id_range=None):
    """Recompute the search document of the given incidents (or an id range), one UPDATE."""
    core_search.refresh(Incident, ids, id_range=id_range)


def terms(text):
    return _TERM.findall(text or "")[:8]


def apply(queryset, text):
    """Narrow `queryset` to incidents matching every word of `text`."""
    return core_search.apply(queryset, text)
