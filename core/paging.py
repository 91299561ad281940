"""Deferred-join paging for big ticket lists (the incident queue, its API list).

A page is found in two steps: the ordered ids of the page (and the COUNT) from the filtered
queryset, which the covering indexes answer with index-only scans, then the 25 full rows
with their relations by primary key. With a million incidents this avoids fetching every
matching heap row just to sort them.
"""


def rows_for_ids(ids, rows_queryset):
    """The rows of `ids` in the order of `ids` (one query plus the queryset's prefetches)."""
    ids = list(ids)
    if not ids:
        return []
    by_id = rows_queryset.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


class IdPage:
    """Wrap a Django Paginator page of ids so templates see full rows in object_list."""

    def __init__(self, page, rows_queryset):
        self._page = page
        self.object_list = rows_for_ids(page.object_list, rows_queryset)

    def __getattr__(self, name):
        return getattr(self._page, name)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)
