import re
import time
import uuid

import structlog
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from core.dbbusy import busy_answer

log = structlog.get_logger("itsm.request")

# What a proxy or client may hand us as its request id: echoed in the answer and written to every
# log line, so anything longer or with other characters (6,000 of them, newlines, markup) is
# replaced by an id of our own.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_from(request):
    """The client's X-Request-ID if it is a sane id, else a new one."""
    given = request.headers.get("X-Request-ID") or ""
    return given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """One structured log line per request, with an id that also goes back in a header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request)
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            structlog.contextvars.clear_contextvars()
        response["X-Request-ID"] = request_id
        if not request.path.startswith(("/static/", "/healthz")):
            user = getattr(request, "user", None)
            log.info(
                "request", method=request.method, path=request.path, status=response.status_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 1), request_id=request_id,
                user=getattr(user, "pk", None),
            )
        return response


class HtmxVaryMiddleware:
    """Pages and their HTMX fragments share URLs, so caches must key on HX-Request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before host validation and the HTTPS redirect.

    Container and load-balancer probes call the server by its IP over plain HTTP; they must
    get the real answer, not a 400 for an unknown Host or a 301 to https.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in ("/healthz", "/readyz") and request.method in ("GET", "HEAD"):
            from core import views

            return views.healthz(request) if request.path_info == "/healthz" else views.readyz(request)
        return self.get_response(request)


class DatabaseBusyMiddleware:
    """Desk and portal pages: a lock or statement timeout (core.dbbusy) answers 409/503 with a
    page saying to try again, not a 500. The API answers the same through its exception handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        busy = busy_answer(exception)
        if busy is None:
            return None
        status, message, retry_after = busy
        if getattr(request, "htmx", False):
            # htmx swaps no 4xx/5xx answer, but it follows HX-Refresh: the page reloads and shows
            # the message among its flashed ones.
            messages.warning(request, message)
            response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
            response["HX-Refresh"] = "true"
        else:
            response = render(request, "busy.html", {"message": message}, status=status)
        response["Retry-After"] = str(retry_after)
        return response
