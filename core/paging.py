"""Deferred-join paging for big ticket lists (the incident queue, its API list).

A page is found in two steps: the ordered ids of the page (and the COUNT) from the filtered
queryset, which the covering indexes answer with index-only scans, then the 25 full rows
with their relations by primary key. With a million incidents this avoids fetching every
matching heap row just to sort them.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

from core import prepared


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
            counted = getattr(self.object_list, "counted_page", None)  # WrittenIds
            rows = counted(bottom, top, self.cap) if counted is not None \
                else counted_page(self.object_list, bottom, top, self.cap)
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


def _counted(queryset, cap):
    """`queryset` (ordered ids) with the capped count of its rows on every row: (pk, count)."""
    sql, params = queryset.order_by()[: cap + 1].query.sql_with_params()
    return queryset.annotate(
        _capped_count=RawSQL(f"SELECT COUNT(*) FROM ({sql}) AS capped", params),
    ).values_list("pk", "_capped_count")


def counted_page(queryset, bottom, top, cap):
    """[(pk, its rows counted up to cap + 1)] of the ordered ids `queryset`'s rows [bottom:top]."""
    try:
        counted = _counted(queryset, cap)
    except EmptyResultSet:  # queryset.none(): nothing to count or list
        return []
    return list(counted[bottom:top])


# The id statements WrittenIds compiled, by key; a key is added at the end, and the oldest
# dropped past WRITTEN_IDS_KEPT (orderings are the caller's to choose, so keys are not few).
_WRITTEN_IDS = {}
WRITTEN_IDS_KEPT = 64
# The id of the stand-in user a written statement is compiled for (no row has it): its
# parameters hold it where the request's user's id goes.
STAND_IN_PK = -737_373_737


class WrittenIds:
    """The ordered ids of a list (what `build(user)` gives, a values_list("pk", flat=True)) for
    the paginators here, read by a statement compiled once per process for each `key` and run
    with the request's user's id as its parameter.

    Issue 12, seventh round: building the API list's id queryset (visibility, filter backends,
    ordering, the capped count's subquery) and compiling it through the ORM was ~10 % of an API
    list's CPU, for SQL whose shape never changes for a given key. `key` must name everything
    but the user's id that `build`'s SQL depends on (the caller's role names decide visibility,
    the ordering the ORDER BY); the statement is compiled for `stand_in` (a user like the
    request's, of id STAND_IN_PK) and each use puts the user's id where the stand-in's was.
    What the statements do not cover (a count alone, `page=last`, a statement that could not be
    compiled: a list of nothing) goes through the ORM's queryset for the user, built then.
    `stand_in` may be a function giving it: it is needed only to compile a statement, and a user
    instance made per request was ~240 Python lines of a list (issue 12, ninth round).

    Eighth round, for a filtered list: `template(stand_in)` is what is compiled instead of
    `build(stand_in)`, with stand-in values (`values`: {stand-in: the request's parameter}) where
    the request's filter values go, so `key` names the filters and how many values each has, not
    the values. `checks()`: querysets that must each have a row for the request's values to be
    valid (a choice of a row that must exist, which a filter form looks up): read with the page,
    as one more column, or alone when the page has no row. Where one has no row, the ORM's
    queryset answers, whose filter set then refuses the request as it always did.
    """

    ordered = True  # Django's Paginator asks; `build`'s queryset is ordered

    def __init__(self, key, build, user, stand_in, *, template=None, values=None, checks=None):
        self.key, self._build, self._user, self._stand_in = key, build, user, stand_in
        self._template, self._values, self._checks = template or build, values or {}, checks

    @cached_property
    def queryset(self):
        return self._build(self._user)

    def __getattr__(self, name):  # order_by, count...: the ORM's
        if name.startswith("_") or name == "queryset":  # not set (yet): no recursion
            raise AttributeError(name)
        return getattr(self.queryset, name)

    def __len__(self):
        return len(self.queryset)

    def __iter__(self):
        return iter(self.queryset)

    def __getitem__(self, item):
        if type(item) is slice and item.step is None and type(item.start) is int and type(item.stop) is int \
                and 0 <= item.start <= item.stop:
            found = self._statement("ids", None)
            if found is not None:
                rows = self._run(found, item.start, item.stop)
                if rows is not None:
                    return [pk for (pk,) in rows]
        return self.queryset[item]

    def counted_page(self, bottom, top, cap):
        """counted_page(the ORM's queryset, bottom, top, cap), by the written statement."""
        found = self._statement("counted", cap)
        rows = None if found is None else self._run(found, bottom, top)
        return counted_page(self.queryset, bottom, top, cap) if rows is None else rows

    def _params(self, params, at):
        params = list(params)
        for index, stand_in in at:
            params[index] = self._user.pk if stand_in == STAND_IN_PK else self._values[stand_in]
        return params

    def _run(self, found, bottom, top):
        """The statement's rows, or None where `checks` refuse the request's values."""
        sql, params, at, alias, checked = found
        connection = connections[alias]
        with connection.cursor() as cursor:
            if bottom == 0 and not self._values:
                # A first page of a list no filter shapes: its LIMIT in the text and the statement
                # prepared (core.prepared). With LIMIT a parameter PostgreSQL costs a generic plan
                # as if 10 % of the rows were read, so it planned every execution anew (~0.25 ms
                # at 100k); with the number in the text it keeps one plan per page size. Filter
                # values stay parameters of a statement planned each time: a plan kept for one
                # state or team could be wrong for another.
                prepared.execute(connection, cursor, f"{sql} LIMIT {top:d}", self._params(params, at))
            else:
                cursor.execute(f"{sql} LIMIT %s OFFSET %s", self._params(params, at) + [top - bottom, bottom])
            rows = cursor.fetchall()
            if checked is None:
                return rows
            if rows:
                valid = rows[0][-1]
            else:  # no row to carry the checks: asked alone
                cursor.execute(checked[0], self._params(checked[1], checked[2]))
                valid = cursor.fetchone()[0]
        return [row[:-1] for row in rows] if valid else None

    def _statement(self, form, cap):
        """(sql without its LIMIT and OFFSET, params, where the user's id and the values
        go, the database, the checks alone or None), or None where the ORM must answer."""
        key = (self.key, form, cap)
        found = _WRITTEN_IDS.get(key, False)
        if found is False:
            found = _WRITTEN_IDS[key] = self._compile(form, cap)
            while len(_WRITTEN_IDS) > WRITTEN_IDS_KEPT:
                try:
                    del _WRITTEN_IDS[next(iter(_WRITTEN_IDS))]
                except (KeyError, RuntimeError, StopIteration):  # another thread's
                    break
        return found

    def _compile(self, form, cap):
        stand_in = self._stand_in
        queryset = self._template(stand_in() if callable(stand_in) else stand_in)
        checks = list(self._checks()) if self._checks is not None else []
        try:
            written = queryset if form == "ids" else _counted(queryset, cap)
            names = ("pk",) if form == "ids" else ("pk", "_capped_count")
            checked = None
            if checks:
                parts = [check.query.sql_with_params() for check in checks]
                condition = " AND ".join(f"EXISTS({sql})" for sql, _params in parts)
                condition_params = [param for _sql, params in parts for param in params]
                written = written.annotate(
                    _written_valid=RawSQL(f"({condition})", condition_params, output_field=BooleanField()),
                ).values_list(*names, "_written_valid")
                checked = f"SELECT ({condition})", condition_params
            sql, params = written.query.sql_with_params()
        except EmptyResultSet:  # a list of nothing: the ORM answers without a statement
            return None
        if queryset.query.low_mark or queryset.query.high_mark is not None:
            return None  # a sliced queryset: not a template
        stand_ins = (STAND_IN_PK, *self._values)
        at = _stand_ins_at(sql, params, stand_ins)
        if at is None or not {stand_in for _index, stand_in in at} >= set(self._values):
            return None  # a value written into the SQL, or not there at all: not a template
        if checked is not None:
            checked_at = _stand_ins_at(checked[0], checked[1], stand_ins)
            if checked_at is None:
                return None
            checked = (*checked, checked_at)
        return sql, tuple(params), at, queryset.db, checked


def _stand_ins_at(sql, params, stand_ins):
    """((index of a parameter, the stand-in it is), ...) of `params`, or None if a stand-in is in
    the SQL's text or inside a list parameter, where it could not be replaced."""
    if any(str(stand_in) in sql for stand_in in stand_ins):
        return None
    kinds = {type(stand_in) for stand_in in stand_ins}
    at = []
    for index, value in enumerate(params):
        if isinstance(value, (list, tuple)) and any(stand_in in value for stand_in in stand_ins):
            return None
        if type(value) in kinds and value in stand_ins:
            at.append((index, value))
    return tuple(at)


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
