"""A request the database gave up on (a row lock held too long by another transaction, a
statement past its time limit; itsm/dbtimeouts.py) answers clearly: 409 for the lock, which
clears when the other writer finishes, 503 for the slow statement. Used by the API's
exception handler and, for the desk pages, by DatabaseBusyMiddleware."""

import structlog
from django.db import OperationalError
from django.utils.translation import gettext as _

log = structlog.get_logger("itsm.db")

LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout
QUERY_CANCELED = "57014"  # statement_timeout (or an operator's pg_cancel_backend)


def busy_answer(exc):
    """(status, message, retry-after seconds) when `exc` is a lock or statement timeout, else None."""
    if not isinstance(exc, OperationalError):
        return None
    code = getattr(exc.__cause__, "pgcode", None)
    if code == LOCK_NOT_AVAILABLE:
        answer = (409, _("Someone else is changing this record right now. Try again in a moment."), 2)
    elif code == QUERY_CANCELED:
        answer = (503, _("The database took too long to answer. Try again in a moment."), 5)
    else:
        return None
    log.warning("database_busy", pgcode=code, status=answer[0], error=str(exc).strip()[:200])
    return answer
