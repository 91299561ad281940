"""Auditors (issue 18): every request logged, every write refused; expired accounts shut out.

The write refusal here covers the desk and the API called with a session; a token's requests are
refused in accounts.authentication (DRF authenticates after the middleware). The access log row
is written after the answer, so it records the status and sees the token's user too (DRF sets
the Django request's user when it authenticates).
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from accounts import roles

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Writes that are about the auditor's own session, not records: signing out, the interface
# language, their own password.
OWN_SESSION_PATHS = ("/accounts/logout/", "/accounts/login/", "/i18n/setlang/", "/accounts/password/")
# Parameters that name the record a URL is about, in the order they are looked at.
RECORD_KWARGS = ("pk", "ref", "incident_pk", "request_pk", "subscription_pk", "id", "object_id")


def read_only_message():
    return _("Auditors have read-only access: nothing was changed.")


def expired_message(user):
    return _("This account expired on %(date)s. Ask an administrator to extend it.") % {
        "date": formats.date_format(user.valid_until, "Y-m-d")}


def refuse_write(request):
    message = read_only_message()
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=403)
    return render(request, "accounts/read_only.html", {"message": message}, status=403)


def _record_of(match):
    if match is None:
        return "", ""
    object_id = next((str(match.kwargs[k]) for k in RECORD_KWARGS if k in match.kwargs), "")
    callback = match.func
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    model = getattr(view, "model", None)
    if model is None and getattr(view, "queryset", None) is not None:
        model = view.queryset.model
    if model is None:
        meta = getattr(getattr(view, "serializer_class", None), "Meta", None)
        model = getattr(meta, "model", None)
    if not object_id or model is None:
        return "", object_id[:64]
    return model._meta.label_lower, object_id[:64]


def log_access(request, response):
    from accounts.models import AccessLog

    object_type, object_id = _record_of(getattr(request, "resolver_match", None))
    AccessLog.objects.create(
        user=request.user, method=request.method[:10], path=request.path[:500],
        query=request.META.get("QUERY_STRING", "")[:500], object_type=object_type, object_id=object_id,
        status=response.status_code,
    )


class AuditorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.has_expired():
            message = expired_message(user)
            logout(request)
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message}, status=401)
            messages.error(request, message)
            return redirect(reverse("accounts:login"))
        if user.is_authenticated and roles.is_auditor(user) and request.method not in SAFE_METHODS \
                and not request.path_info.startswith(OWN_SESSION_PATHS):
            response = refuse_write(request)
        else:
            response = self.get_response(request)
        user = getattr(request, "user", None)  # a token's user, once DRF has authenticated it
        if getattr(user, "is_authenticated", False) and roles.is_auditor(user) \
                and not request.path_info.startswith("/static/"):
            log_access(request, response)
        return response
