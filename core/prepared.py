"""Server-side prepared statements for statements of fixed shape: what every create writes, and
the look-ups by key written once per process (core.selects.fetch: a list's rows and clocks, a
record's related rows).

Issue 12, seventh round: an API create's three INSERT statements (the ticket with its number,
the outbox's statement that carries the audit row, the SLA clocks and their start events) are
long data-modifying WITH statements whose text never changes. PostgreSQL parsed, analysed,
rewrote and planned each of them again on every create. `execute` sends such a statement as
`EXECUTE name (values)` of a statement prepared once per database connection, so the server only
binds the values.

- The statement is prepared in the same round trip as its first use
  (`PREPARE name AS …; EXECUTE name (…)`): one statement as Django counts them, no extra round
  trip, so the pinned query counts stay.
- The registry of what is prepared is kept per DB-API connection object (a weak key): a new
  connection (a reconnect after CONN_MAX_AGE or a failed health check, a forked worker's first
  connection) starts empty, and so does the server's side of it.
- PREPARE is not transactional in PostgreSQL: a statement prepared inside a transaction or a
  savepoint that later rolls back stays prepared, so the registry does not need to follow
  rollbacks. A name is recorded only after its PREPARE and EXECUTE succeeded. If that first
  round trip fails, whether the PREPARE stayed is unknown, so its name is never used again (the
  next attempt prepares under a fresh name).
- A statement that PostgreSQL no longer knows (something ran `DEALLOCATE ALL` or `DISCARD ALL`
  on the session) fails once, like any failed statement, and is prepared again next time.
- The parameters' types are inferred by PostgreSQL from where they stand (the columns they are
  inserted into), as they are for the plain statement; the values are still bound on the client,
  as psycopg2 writes them (aware instants and non-negative ints written out by `_arguments`, the
  same text).
- Behind a pooler that hands one client's statements to different server sessions (pgbouncer in
  transaction mode before 1.21) a session's prepared statements are not the client's: set
  `DB_PREPARED_STATEMENTS=0` there, and every statement is sent as it is.
"""

import datetime
import re
import weakref
from collections import OrderedDict

from django.conf import settings

# Statements kept prepared per connection at most, each a cached plan of some kilobytes on the
# server. Past it, the statement used least recently is deallocated in the round trip that prepares
# the new one: a worker that has served many people (the desk queue's tab counts are written per
# person) still prepares the statements in use now, not only the first 64 it met.
LIMIT = 64
_PLACEHOLDER = re.compile(r"%%|%s")  # a literal % stays escaped for the driver
_registries: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_NOT_PREPARED = frozenset({"26000"})  # invalid_sql_statement_name: the server has forgotten it


class _Registry:
    __slots__ = ("names", "count", "__weakref__")

    def __init__(self):
        self.names = OrderedDict()  # statement text (Django's %s placeholders) -> prepared name, least recently used first
        self.count = 0  # names handed out on this connection, used or not


def each_placeholder(sql, place):
    """`sql` with each of Django's `%s` placeholders replaced by `place(index, offset)` (its
    0-based position among the placeholders, and where it stands in `sql`); a literal `%%` stays
    as it is, escaped for the driver."""
    position = -1

    def replaced(match):
        nonlocal position
        if match.group() == "%%":
            return "%%"
        position += 1
        return place(position, match.start())

    return _PLACEHOLDER.sub(replaced, sql)


def _numbered(sql):
    """`sql` with Django's placeholders numbered as PostgreSQL's ($1, $2…); `%%` is kept, as the
    PREPARE is sent through the driver's formatting with the EXECUTE's values."""
    count = 0

    def number(index, _offset):
        nonlocal count
        count = index + 1
        return f"${count}"

    return each_placeholder(sql, number), count


def _instant(value):
    """psycopg2's literal of an aware datetime (its adapter writes `'<isoformat>'::timestamptz`),
    or None for any other value (a naive one, a subclass: left to the driver)."""
    if type(value) is datetime.datetime and value.tzinfo is not None and value.utcoffset() is not None:
        return f"'{value.isoformat()}'::timestamptz"
    return None


def _arguments(params):
    """The EXECUTE's argument list, and the values left for the driver to bind.

    An aware datetime and a non-negative int are written into the list as the text psycopg2's
    adapters would have put there (ISO digits and signs, digits: nothing to quote), the same
    bytes: its datetime adapter takes ~2.5 µs a value and its int adapter ~0.9 µs, and a create
    binds 22 instants (the outbox statement's 20, most of them the same `now`) and 35 ints
    (issue 12, ninth round). The same datetime object is written once."""
    placeholders, left, written = [], [], {}
    for value in params:
        kind = type(value)
        if kind is int and value >= 0:  # (psycopg2 writes a negative one with a space before it)
            placeholders.append(str(value))
            continue
        if kind is datetime.datetime:
            literal = written.get(id(value))
            if literal is None:
                literal = _instant(value)
                if literal is not None:
                    written[id(value)] = literal
            if literal is not None:
                placeholders.append(literal)
                continue
        placeholders.append("%s")
        left.append(value)
    return f" ({', '.join(placeholders)})", left


def enabled(connection):
    # PREPARE and EXECUTE go in one execute() with parameters: psycopg2 binds them on the client;
    # psycopg 3 binds on the server and refuses two statements, so it gets the plain statement.
    return (connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"
            and getattr(settings, "DB_PREPARED_STATEMENTS", True))


def execute(connection, cursor, sql, params):
    """Run `sql` with `params` on `cursor` (of `connection`, a Django connection) as a prepared
    statement of that connection, preparing it on first use (see the module's docstring)."""
    if not params or not enabled(connection):
        cursor.execute(sql, params)
        return
    raw = connection.connection
    registry = _registries.get(raw)
    if registry is None:
        registry = _registries[raw] = _Registry()
    name = registry.names.get(sql)
    arguments, bound = _arguments(params)
    if name is not None:
        registry.names.move_to_end(sql)
        try:
            cursor.execute(f"EXECUTE {name}{arguments}", bound)
        except Exception as error:
            if getattr(getattr(error, "__cause__", None), "pgcode", None) in _NOT_PREPARED:
                registry.names.pop(sql, None)
            raise
        return
    numbered, count = _numbered(sql)
    if count != len(params):
        raise ValueError(f"The statement has {count} placeholders for {len(params)} values.")
    evict = ""
    if len(registry.names) >= LIMIT:
        # Forgotten before the round trip: if it fails, whether the DEALLOCATE ran is unknown, and
        # a statement left on the server under a name no longer used costs only its memory.
        _old_sql, old_name = registry.names.popitem(last=False)
        evict = f"DEALLOCATE {old_name}; "
    registry.count += 1
    name = f"itsm_{registry.count}"
    cursor.execute(f"{evict}PREPARE {name} AS {numbered}; EXECUTE {name}{arguments}", bound)
    registry.names[sql] = name
