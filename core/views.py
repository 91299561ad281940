from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import never_cache
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from accounts import roles
from core import approvals, pickers, tasks
from core.models import Attachment
from core.web import DeskRequiredMixin, text_param


def home(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if roles.is_agent(request.user):
        return redirect("incidents:incident_list")
    return redirect("portal:home")


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    checks = {"database": _check_database(), "broker": _check_broker()}
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def _reason(exc):
    """A short, operator-readable reason; no stack trace, no credentials."""
    message = " ".join(str(exc).split())[:160]
    return f"error: {exc.__class__.__name__}" + (f": {message}" if message else "")


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # any failure means "not ready"; the message tells the operator why
        return _reason(exc)


def _check_broker():
    # The URL comes from settings at call time, so a test (or an operator's override) decides it.
    try:
        tasks.ping_broker(getattr(settings, "CELERY_BROKER_URL", None) or None)
        return "ok"
    except Exception as exc:  # any failure means "not ready"; the message tells the operator why
        return _reason(exc)


@login_required
def attachment_download(request, pk):
    """Serve a file only to someone who may see its record (and, if internal, to the desk)."""
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    model = attachment.content_type.model_class()
    record = model.objects.visible_to(request.user).filter(pk=attachment.object_id).first()
    if record is None or (attachment.internal and not roles.is_agent(request.user)):
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename)


class PickerLookupView(DeskRequiredMixin, View):
    """Suggestions for a picker (core.pickers): records of one kind the user may pick, as JSON."""

    def get(self, request, kind):
        if kind not in pickers.kinds():
            raise Http404
        picker = pickers.get(kind)
        found = pickers.suggestions(picker, request.user, text_param(request, "q"))
        return JsonResponse({"results": [
            {"id": obj.pk, "label": picker.label(obj), "detail": str(picker.detail(obj) or "")} for obj in found
        ]})


class ApprovalInboxView(DeskRequiredMixin, TemplateView):
    """My approvals: every decision waiting for this person, across ticket types (core.approvals)."""

    template_name = "core/approvals.html"

    def get_context_data(self, **kwargs):
        items = approvals.pending_for_request(self.request)
        return {**super().get_context_data(**kwargs), "items": items}
