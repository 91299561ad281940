"""Every error the API gives has the contract's shape and a 4xx status, never a 500."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.dbbusy import busy_answer
from core.exceptions import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = exc.as_dict()
        if getattr(exc, "allowed", None) is not None:
            body["allowed"] = [str(a) for a in exc.allowed]
        if getattr(exc, "current_version", None) is not None:
            body["current_version"] = exc.current_version
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): [str(m) for e in errors for m in e.messages]
                for field, errors in exc.error_dict.items()
            }
        else:
            detail = {"detail": " ".join(exc.messages)}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    busy = busy_answer(exc)
    if busy is not None:
        status_code, message, retry_after = busy
        return Response({"detail": message}, status=status_code, headers={"Retry-After": str(retry_after)})
    if isinstance(exc, DataError):
        # The database refused a value a filter let through (a number beyond bigint, say).
        # Outside a test's transaction the failed statement is already rolled back.
        return Response({"detail": _("Malformed request: a value is out of range.")}, status=400)
    if isinstance(exc, RequestDataTooBig):
        # Django answers it 400 anyway, as an HTML page; an API client gets the contract's shape.
        return Response({"detail": _("The request body is larger than %(limit)d bytes.")
                         % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}}, status=400)
    if isinstance(exc, ObjectDoesNotExist):
        exc = Http404()
    if isinstance(exc, (ValueError, TypeError, OverflowError)) and not isinstance(exc, exceptions.APIException):
        # Malformed input that slipped past a serializer (a bad number in a filter, say).
        return Response({"detail": _("Malformed request: %(error)s") % {"error": exc}}, status=400)
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, list):
        # DRF's bare ValidationError("message") (its search filter refuses a NUL byte so) answers
        # a list; the contract's errors are objects.
        return Response({"detail": " ".join(str(m) for m in exc.detail)}, status=exc.status_code)
    return drf_exception_handler(exc, context)
