import re
import time
import uuid

import structlog
from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib import messages
from django.http import HttpResponse
from django.middleware import locale
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from core.dbbusy import busy_answer
from core.request_context import CURRENT_REQUEST_ID

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
        bound = CURRENT_REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            CURRENT_REQUEST_ID.reset(bound)
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


# What a response may carry to change its policy (csp.decorators); the request's nonce is the other.
_POLICY_PARTS = ("_csp_config", "_csp_update", "_csp_replace",
                 "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the policy from the settings built once per process.

    django-csp builds both policies (enforced and report-only) from the settings on every
    response: ~2.5 % of an API list's CPU (issue 12, sixth round), for a header that only a view's
    decorator (csp_update on the API docs) or a nonce a template used can change. Those go through
    django-csp's own code; every other response gets the header built once from the same settings
    (rebuilt when the settings object is replaced, as override_settings does)."""

    _built = {}  # report_only -> (the settings value it was built from, the header)

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
                getattr(response, part, None) is not None for part in _POLICY_PARTS):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response  # as django-csp: Django's debug pages keep their inline style
        for report_only, header, exempt in ((False, HEADER, "_csp_exempt"),
                                            (True, HEADER_REPORT_ONLY, "_csp_exempt_ro")):
            config = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only
                             else "CONTENT_SECURITY_POLICY", None)
            built = self._built.get(report_only)
            if built is None or built[0] is not config:
                built = self._built[report_only] = (config, build_policy(report_only=report_only))
            policy = built[1]
            excluded = tuple((config or {}).get("EXCLUDE_URL_PREFIXES") or ())
            if policy and getattr(response, exempt, False) is False and header not in response \
                    and not request.path_info.startswith(excluded):
                response[header] = policy
        # No nonce was used: reading one now would be too late to be in the header (django-csp's rule).
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, without looking for a language prefix in the path when no URL has one.

    Django's reads the path's language twice per request (a regular expression, then the
    languages' look-up) for what only i18n_patterns URLs use, which this site has none of: its
    language comes from the cookie the language form sets, then Accept-Language. With
    i18n_patterns in the URLs, Django's own code runs."""

    def process_request(self, request):
        if is_language_prefix_patterns_used(getattr(request, "urlconf", settings.ROOT_URLCONF))[0]:
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if is_language_prefix_patterns_used(getattr(request, "urlconf", settings.ROOT_URLCONF))[0]:
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
