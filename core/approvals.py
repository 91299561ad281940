"""The approvals inbox: what a person may decide now, across ticket types.

Each ticket app registers an approval source (a function: user → the pending approvals that
user may decide right now) from its AppConfig.ready(); core knows no ticket app. Changes
register theirs; service requests plug in the same way. The navigation shows the count on
every desk page, so a source answers in a constant, small number of queries (no query at all
for a person who can decide nothing is better still).

The badge is one statement for every source together (issue 12): a source gives a query of its
count (`count_query`), or, when its rule is Python, a query of its candidates
(`candidates_query`: whether anything could wait at all) and the badge lists that source only
when it has candidates. Core runs them as one `SELECT (q1), EXISTS (q2), …`.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from core import memo, prepared


@dataclass(frozen=True)
class PendingApproval:
    """One decision waiting for a person: which record, which stage, asked by whom, since when."""

    kind: str            # the source's name ("change")
    kind_label: str      # translated, for the row ("Change")
    number: str
    title: str
    url: str
    stage: str           # the stage the person's vote is for
    requested_by: str
    since: datetime      # when the stage started waiting (the age of the request)
    risk: str = ""       # a code for the badge's colour, and its label
    risk_label: str = ""
    risk_badge: str = "secondary"


@dataclass(frozen=True)
class Source:
    name: str
    label: object       # lazy translated text: the record type the source lists
    pending: object     # callable(user) -> list[PendingApproval]
    # Optional callable(user) -> int, len(pending(user)) without building the list: the
    # navigation shows a count on every desk page, and a busy approver's list can be long.
    count: object = None
    # Optional callable(user) -> a queryset of at most one row of one number, that count (no row
    # is 0): the badge runs it with the other sources' in one statement. Its SQL and parameters
    # may depend on the person and their roles only, as candidates_query's: the statement is kept
    # per person until a membership changes (core.memo.MEMBERSHIP).
    count_query: object = None
    # Optional callable(user) -> a queryset whose rows are a superset of what pending(user) lists
    # (empty: nothing waits). For a source whose rule needs Python: pending runs only if it has rows.
    candidates_query: object = None


_sources: dict[str, Source] = {}
_registrations = [0]  # moves on each register(): the kept probe statements name it


def register(name, *, label, pending, count=None, count_query=None, candidates_query=None):
    """Register (or replace, on a reload) the approval source `name`."""
    _sources[name] = Source(name=name, label=label, pending=pending, count=count, count_query=count_query,
                            candidates_query=candidates_query)
    _registrations[0] += 1


def sources():
    return list(_sources.values())


def pending_for(user):
    """Every pending approval the person may decide now, oldest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = [item for source in _sources.values() for item in source.pending(user)]
    return sorted(items, key=lambda item: (item.since, item.number))


def _source_items(request, source):
    """One source's list for the request's user, worked out once per request."""
    lists = request.__dict__.setdefault("_pending_by_source", {})
    if source.name not in lists:
        lists[source.name] = list(source.pending(request.user))
    return lists[source.name]


def pending_for_request(request):
    """pending_for(request.user), worked out once per request: the navigation's count and the
    inbox page read the same list."""
    cached = getattr(request, "_pending_approvals", None)
    if cached is None:
        if not getattr(request.user, "is_authenticated", False):
            cached = []
        else:
            items = [item for source in _sources.values() for item in _source_items(request, source)]
            cached = sorted(items, key=lambda item: (item.since, item.number))
        request._pending_approvals = cached
    return cached


def source_count_for_request(request, name):
    """How many approvals of the source `name` wait for request.user, worked out once per
    request: the source's count unless its list was read (or it has no count)."""
    source = _sources.get(name)
    if source is None or not getattr(request.user, "is_authenticated", False):
        return 0
    counts = request.__dict__.setdefault("_pending_counts", {})
    if name in request.__dict__.get("_pending_by_source", {}) or (name not in counts and source.count is None):
        return len(_source_items(request, source))
    if name not in counts:
        counts[name] = source.count(request.user)
    return counts[name]


def _probe_statement(user, probed):
    """(sql, params) of the probe of the sources `probed`, for this person."""
    parts, params = [], []
    for source in probed:
        if source.count_query is not None:
            sql, values = source.count_query(user).query.sql_with_params()
            parts.append(f"COALESCE(({sql}), 0)")
        else:
            sql, values = source.candidates_query(user).query.sql_with_params()
            parts.append(f"EXISTS ({sql})")
        params.extend(values)
    return f"SELECT {', '.join(parts)}", params


def _probe_together(request):
    """The counts of the sources that give a count or candidates query, in one statement, into the
    request's counts; a source with candidates then lists them (its rule is Python).

    The statement is kept per person and set of sources under the membership generation (a
    source's queries depend on the person and their roles alone): building and compiling the
    changes' candidates through the ORM was ~6 % of every desk page (issue 12, sixth round)."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return
    counts = request.__dict__.setdefault("_pending_counts", {})
    listed = request.__dict__.get("_pending_by_source", {})
    probed = [source for source in _sources.values()
              if source.name not in counts and source.name not in listed
              and (source.count_query is not None or source.candidates_query is not None)]
    if not probed:
        return
    names = ",".join(source.name for source in probed)
    key = f"core.approvals:{_registrations[0]}:{user.pk}:{user.is_superuser}:{names}"
    sql, params = memo.memoised(key, lambda: _probe_statement(user, probed), key=memo.MEMBERSHIP)
    row = _fetch_prepared(sql, params)
    for source, value in zip(probed, row):
        if source.count_query is not None:
            counts[source.name] = int(value)
        else:
            counts[source.name] = len(_source_items(request, source)) if value else 0


def _fetch_prepared(sql, params):
    """The probe's row, by a statement prepared once per database session (core.prepared).

    PostgreSQL planned the probe anew on every desk page: ~0.7 ms of the server's time for ~0.05 ms
    of execution (the changes' candidates join five tables), and 2-4 ms of a page's wall time on a
    loaded machine (issue 12, seventh round). Prepared, its plan is reused; the first use sends
    PREPARE and EXECUTE as one statement, so the page's statement count (the pins) stays."""
    with connection.cursor() as cursor:
        prepared.execute(connection, cursor, sql, params)
        return cursor.fetchone()


def pending_count_for_request(request):
    """How many approvals wait for request.user (the navigation's badge), across the sources."""
    cached = getattr(request, "_pending_approvals", None)
    if cached is not None:
        return len(cached)
    _probe_together(request)
    return sum(source_count_for_request(request, name) for name in _sources)


class MyApprovals:
    """The navigation's view of the inbox: computed only when a template asks (the desk
    navigation does; the portal's does not)."""

    def __init__(self, request):
        self._request = request

    @property
    def items(self):
        return pending_for_request(self._request)

    @property
    def count(self):
        return pending_count_for_request(self._request)
