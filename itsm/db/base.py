"""Django's PostgreSQL backend, with its connection health check skipped for a connection that
served a request moments ago.

With `CONN_HEALTH_CHECKS` Django sends `SELECT 1` before the first statement of every request on a
kept connection: a round trip, and a statement for the server, on every request (issue 12: ~5 % of
a create's samples). A connection that just finished a request without an error was working a
moment ago; like HikariCP's `aliveBypassWindowMs`, the check is skipped when the connection's
last request ended less than `HEALTH_CHECK_AFTER_IDLE_SECONDS` ago, so a busy worker checks
nothing and one coming back from idle (when a server restart or a firewall's idle timeout can
have dropped the connection) checks as before. A request that saw a database error still has its
connection tested at its end (Django's `close_if_unusable_or_obsolete`).
"""

import time

from django.db.backends.postgresql import base

# HikariCP's default bypass window is 500 ms.
HEALTH_CHECK_AFTER_IDLE_SECONDS = 0.5


class DatabaseWrapper(base.DatabaseWrapper):
    # When the connection last ended a request in which it had answered (monotonic seconds).
    _answered_at = None

    def close_if_unusable_or_obsolete(self):
        # Django calls this as each request starts and ends; `health_check_done` is still set at
        # the end of a request that used the connection (a fresh one, or one checked or trusted).
        used = self.connection is not None and self.health_check_done and not self.errors_occurred
        super().close_if_unusable_or_obsolete()
        if used and self.connection is not None:
            self._answered_at = time.monotonic()

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and not self.health_check_done
            and self._answered_at is not None
            and time.monotonic() - self._answered_at < HEALTH_CHECK_AFTER_IDLE_SECONDS
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def connect(self):
        self._answered_at = None
        super().connect()
