"""Incident search paging: a capped count. The id-page paging (IdPage, rows_for_ids) is core.paging."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from core.paging import IdPage, rows_for_ids  # noqa: F401  (the id-page paging every big list shares)


SEARCH_COUNT_CAP = 1000


class CappedCountPaginator(Paginator):
    """For full-text searches: count at most SEARCH_COUNT_CAP matches.

    A common word can match a tenth of a million incidents; counting them all costs seconds
    while nobody pages past the first few screens. Past the cap, `count` says 1000 and the
    user is asked to refine the search.
    """

    @cached_property
    def count(self):
        # Unordered: counting needs no order, and an ORDER BY created_at would make PostgreSQL
        # walk that index filtering row by row instead of reading the few matches.
        return min(self.object_list.order_by()[: SEARCH_COUNT_CAP + 1].count(), SEARCH_COUNT_CAP)
