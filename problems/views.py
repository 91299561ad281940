"""Agent desk views for problem management (thin: visibility, a form, a service call)."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render


def _incident_model():
    try:
        return apps.get_model("incidents", "Incident")
    except LookupError:
        return None


@login_required
def known_error_suggestions(request, incident_id):
    """HTMX fragment: known errors that match an incident (by CI, service or text).

    Answers an empty fragment when the incident model is not available yet.
    """
    Incident = _incident_model()
    context = {"incident": None, "known_errors": []}
    if Incident is not None:
        qs = Incident.objects.all()
        if hasattr(qs, "visible_to"):
            qs = qs.visible_to(request.user)
        incident = qs.filter(pk=incident_id).first()
        if incident is None:
            raise Http404
        try:
            from problems.selectors import matching_known_errors
        except ImportError:  # pragma: no cover - during bootstrap
            matching_known_errors = None
        context["incident"] = incident
        if matching_known_errors is not None:
            context["known_errors"] = matching_known_errors(incident, limit=5)
    response = render(request, "problems/partials/_known_error_suggestions.html", context)
    response["Vary"] = "HX-Request"
    return response
