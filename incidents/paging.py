"""Incident search paging: a capped count. The id-page paging (IdPage, rows_for_ids) is core.paging."""

import functools

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from core.paging import IdPage, rows_for_ids  # noqa: F401  (the id-page paging every big list shares)


SEARCH_COUNT_CAP = 1000
# A word PostgreSQL's statistics put at this many matches or more is common (core.search.
# estimated_matches): its list skips the count. Ten times the cap leaves room for the estimate's
# error; a word it cannot estimate (rarer than the most common lexemes) is always counted.
COMMON_MATCHES = 10 * SEARCH_COUNT_CAP


class CappedCountPaginator(Paginator):
    """For full-text searches over ids (`values_list("pk")`): count at most SEARCH_COUNT_CAP
    matches, and let that count pick the plan of the page.

    A common word can match a tenth of a million incidents; counting them all costs seconds
    while nobody pages past the first few screens. Past the cap, `count` says 1000 and the
    user is asked to refine the search.

    No single SQL statement suits every word: with ORDER BY created_at and a LIMIT, PostgreSQL
    guesses that 0.5 % of rows match a prefix word and walks the created index filtering row by
    row, right for a common word ("vpn", 12 % of rows: 25 hits within a few hundred rows) and
    ruinous for a rare one (the whole table read for one match: 3.4 s at 1,000,000 incidents),
    while the GIN index answers a rare word in 0.5 ms. So the count reads the matching ids
    themselves, unordered (the GIN index, or a short sequential read for a common word): when
    they are all there (at most the cap), the page is taken from those ids by primary key and a
    sort of at most 1,000 rows; otherwise the word is common and the page walks its order's index.
    """

    # What the caller estimated the search matches, when the search is all that narrows the list
    # (search_paginator): other filters would make the estimate wrong.
    estimated_matches = None

    # Whether a count of one id or none makes the page itself (the desk's search: a pasted ticket
    # number). The API's list reads its page through its own path and keeps the statement.
    short_list_is_page = False

    def __init__(self, *args, estimated_matches=None, short_list_is_page=False, **kwargs):
        super().__init__(*args, **kwargs)
        if estimated_matches is not None:
            self.estimated_matches = estimated_matches
        self.short_list_is_page = short_list_is_page or self.short_list_is_page

    @cached_property
    def count(self):
        if self.estimated_matches is not None and self.estimated_matches >= COMMON_MATCHES:
            # Common beyond doubt: "1,000 or more" without reading them, and the page walks its
            # order's index (a few hundred rows for 25 matches).
            return SEARCH_COUNT_CAP
        ids = list(self.object_list.order_by().values_list("pk", flat=True)[: SEARCH_COUNT_CAP + 1])
        if len(ids) <= 1 and self.short_list_is_page:
            # A ticket number or a rare word: one id or none is already in any order, so the page
            # is these ids, without a second statement to sort them.
            self.object_list = ids
        elif len(ids) <= SEARCH_COUNT_CAP:
            self.object_list = self.object_list.filter(pk__in=ids)
        return min(len(ids), SEARCH_COUNT_CAP)


def search_estimate(model, text, user, narrowed):
    """What a search list of `model` is estimated to match (CappedCountPaginator.estimated_matches),
    or None. A desk agent's search that nothing else narrows (`narrowed` False) may use
    PostgreSQL's estimate of a common word's matches instead of counting them; an end user sees
    only their own tickets, so theirs is counted."""
    from accounts import roles
    from core import search

    if narrowed or not roles.is_agent(user):
        return None
    return search.estimated_matches(model, text)


def search_paginator(model, text, user, narrowed):
    """What makes the CappedCountPaginator of a search list of `model` (the desk's list views call
    it with the ids and the page size): see search_estimate. The API sets the estimate on its
    paginator instead."""
    return functools.partial(CappedCountPaginator, estimated_matches=search_estimate(model, text, user, narrowed),
                             short_list_is_page=True)


class KnownCountPaginator(Paginator):
    """A paginator told its count: the queue's tab counted the same list in the same request
    (IncidentListView.paginate), so the list's own COUNT would be a second statement for the
    same number."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count
