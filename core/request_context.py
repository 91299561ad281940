"""The id of the request being answered, on every line logged while it is.

core.middleware.RequestLogMiddleware sets it; `add_request_id` is a structlog processor
(itsm.logging_setup). One variable of our own rather than structlog's contextvars helpers: those walk
every variable of the context, over a hundred in a worker (each URL resolver's asgiref Local holds
one), once to bind, once per line logged and once to clear: ~450 of the ~5,300 Python lines an API
request ran (issue 12, eighth round). No Django import: the settings module loads this.
"""

from contextvars import ContextVar

CURRENT_REQUEST_ID = ContextVar("itsm_request_id", default=None)


def add_request_id(_logger, _method, event_dict):
    request_id = CURRENT_REQUEST_ID.get()
    if request_id is not None:
        event_dict.setdefault("request_id", request_id)
    return event_dict
