"""Per-connection PostgreSQL timeouts, set through libpq's `options` so they cost no round trip.

A statement that runs too long, or waits too long for a row lock another transaction holds,
is cancelled by the server: the request answers 409/503 (core.dbbusy) instead of holding a
web worker until gunicorn kills it.
"""

import re

_TIMEOUT = re.compile(r"^-c\s*(statement_timeout|lock_timeout)=")


def with_timeouts(database, *, statement_ms, lock_ms):
    """Set `statement_timeout` and `lock_timeout` (milliseconds; 0 is none) in a DATABASES entry,
    keeping any other `-c` setting its URL gave."""
    options = database.setdefault("OPTIONS", {})
    kept = [s for s in re.findall(r"-c\s*\S+", options.get("options", "")) if not _TIMEOUT.match(s)]
    options["options"] = " ".join([*kept, f"-c statement_timeout={int(statement_ms)}",
                                   f"-c lock_timeout={int(lock_ms)}"])
    return database
