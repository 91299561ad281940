import logging

import structlog

from core.request_context import add_request_id

# Requests the request log (core.middleware.RequestLogMiddleware) leaves out.
UNLOGGED_PATHS = ("/static/", "/healthz")
# Keys every line carries in its prefix (console mode) or that only JSON readers want.
_CONSOLE_SKIP = {"event", "level", "logger", "timestamp", "request_id"}


def configure_structlog():
    """Route structlog through the standard library so one LOGGING dict formats everything."""
    structlog.configure(
        processors=[
            add_request_id,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )


def render_console(_logger, _method, event_dict):
    """Console mode: a person reads it. A request is `GET /incidents/ 200 12.3 ms user=2 id=…`;
    any other event its message and then key=value pairs; a traceback follows on its own lines."""
    exception = event_dict.pop("exception", None)
    if event_dict.get("logger") == "itsm.request" and event_dict.get("event") == "request":
        line = (f"{event_dict.get('method')} {event_dict.get('path')} {event_dict.get('status')} "
                f"{event_dict.get('duration_ms')} ms user={event_dict.get('user') or '-'} "
                f"id={event_dict.get('request_id')}")
    else:
        extra = " ".join(f"{key}={value}" for key, value in event_dict.items() if key not in _CONSOLE_SKIP)
        line = " ".join(part for part in (str(event_dict.get("event", "")), extra) if part)
    return f"{line}\n{exception}" if exception else line


class ClientErrorsInOneLine(logging.Filter):
    """A 403 or 404 is a normal answer: the request log's line says it. Django's own warning
    about it (with the exception's traceback) is dropped, and kept, as one line, only for paths
    the request log leaves out. Server errors keep their traceback."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if record.name != "django.request" or status is None or not 400 <= status < 500:
            return True
        request = getattr(record, "request", None)
        path = getattr(request, "path", "")
        if not path.startswith(UNLOGGED_PATHS):
            return False
        record.exc_info = None
        record.exc_text = None
        return True
