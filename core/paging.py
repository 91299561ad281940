"""Deferred-join paging for big ticket lists (the incident queue, its API list).

A page is found in two steps: the ordered ids of the page (and the COUNT) from the filtered
queryset, which the covering indexes answer with index-only scans, then the 25 full rows
with their relations by primary key. With a million incidents this avoids fetching every
matching heap row just to sort them.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property


def rows_for_ids(ids, rows_queryset):
    """The rows of `ids` in the order of `ids` (one query plus the queryset's prefetches)."""
    return rows_in_order(ids, rows_queryset.in_bulk)


def rows_in_order(ids, read):
    """The rows of `ids` in the order of `ids`; `read(ids)` gives {id: row} of those that exist."""
    ids = list(ids)
    if not ids:
        return []
    by_id = read(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


class IdPage:
    """Wrap a Django Paginator page of ids so templates see full rows in object_list: read from
    `rows_queryset`, or by `read(ids)` ({id: row}, rows_in_order)."""

    def __init__(self, page, rows_queryset=None, *, read=None):
        self._page = page
        self.object_list = rows_in_order(page.object_list, read) if read is not None \
            else rows_for_ids(page.object_list, rows_queryset)

    def __getattr__(self, name):
        return getattr(self._page, name)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


class LargeListPaginator(Paginator):
    """For API lists over big tables: COUNT(*) stops at `cap`, paging goes on to the end.

    Counting a million incidents costs 33-52 ms on every unfiltered request, and nobody needs
    the exact size of a list that long. `count` is exact up to `cap`; past it `count` is `cap`
    (read: "at least cap", as a search's capped count is), and a page is the slice asked for plus
    one row, so `next` is there exactly while rows follow, however far one pages.
    """

    cap = 10_000

    @cached_property
    def count(self):
        return min(self.object_list.order_by()[: self.cap + 1].count(), self.cap)

    @property
    def capped(self):
        return self.count >= self.cap

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number) if not isinstance(number, float) or number.is_integer() else None
        except (TypeError, ValueError):
            number = None
        if number is None:
            raise PageNotAnInteger(self.error_messages["invalid_page"])
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom: bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        page = Page(rows[: self.per_page], number, self)
        page.has_next = (lambda: True) if len(rows) > self.per_page else (lambda: False)
        return page


class CountedPageListPaginator(LargeListPaginator):
    """A LargeListPaginator over an ordered `values_list("pk", flat=True)` queryset that reads the
    page's ids and the capped count in one statement: the count is a scalar subquery of the page's
    query, which PostgreSQL runs once (issue 12: the API list's count and id page were two
    statements, each compiled through the ORM's aggregation and slicing paths).

    `estimated_rows` (set by the view, for a list nothing but the caller's visibility narrows):
    the table's rows by PostgreSQL's statistics. At ten times the cap or more, the count is the
    cap without counting ("at least cap", which the count already says past the cap): counting
    10,001 visible rows was a sequential read of ~500 pages on every unfiltered request (5-6 ms
    of the list's SQL at 100,000 incidents), for a number that could not be anything else. A
    list the statistics cannot vouch for (a fresh or small table, any filter) is counted.
    """

    estimated_rows = None

    def _page_number(self, number):
        # Django's validate_number without the last page's check, which needs the count.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        if "count" in self.__dict__:  # counted already (`page=last` reads num_pages first)
            return super().page(number)
        number = self._page_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page + 1
        ids = None
        if self.estimated_rows is not None and self.estimated_rows >= 10 * self.cap:
            ids = list(self.object_list[bottom:top])
            if ids or number > 1:
                self.__dict__["count"] = self.cap
            else:  # the statistics were wrong about what this caller sees: count
                return super().page(number)
        if ids is None:
            try:
                sql, params = self.object_list.order_by()[: self.cap + 1].query.sql_with_params()
            except EmptyResultSet:  # queryset.none(): nothing to count or list
                sql = None
            if sql is None:
                ids, count = [], 0
            else:
                rows = list(self.object_list.annotate(
                    _capped_count=RawSQL(f"SELECT COUNT(*) FROM ({sql}) AS capped", params),
                ).values_list("pk", "_capped_count")[bottom:top])
                ids = [pk for pk, _count in rows]
                # No row on the page: none at all on the first, else past the end (below).
                count = min(rows[0][1], self.cap) if rows else 0
            if ids or number == 1:
                self.__dict__["count"] = count
        if not ids and number > 1:
            # Past the last row: Django's validate_number answers this, with the same message.
            raise EmptyPage(self.error_messages["no_results"])
        page = Page(ids[: self.per_page], number, self)
        if self.capped:
            more = len(ids) > self.per_page
            page.has_next = lambda: more
        return page


def capped_counts(querysets, cap):
    """{name: min(rows of the queryset, cap)} for several querysets in one statement: each
    count reads at most `cap` + 1 index entries (a queue's tabs over a big table). A value equal
    to `cap` reads "at least cap"."""
    from django.db import connections

    querysets = dict(querysets)
    if not querysets:
        return {}
    parts, params, using = [], [], None
    for queryset in querysets.values():
        using = queryset.db
        try:
            sql, part_params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        except EmptyResultSet:  # queryset.none(), an empty __in
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")
        params.extend(part_params)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {name: min(int(value), cap) for name, value in zip(querysets, row)}


def capped_paginator(cap):
    """A LargeListPaginator counting up to `cap` (a desk queue's "1,000+")."""
    return type(f"LargeListPaginator{cap}", (LargeListPaginator,), {"cap": cap})
