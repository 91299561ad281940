"""What knowledge adds to lower apps' pages (core.panels, discovered at start-up): related
articles beside every desk ticket page, suggestions beside the portal's new-ticket form, and the
record of which articles were shown when a ticket is filed anyway."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts import roles
from core import panels


def related_context(request, ticket):
    if request is None or not roles.is_agent(request.user):
        return None
    ct = ContentType.objects.get_for_model(ticket).pk
    return {"related_url": reverse("knowledge:related", args=[ct, ticket.pk])}


def deflection_context(request, form):
    from knowledge.page_helpers import shown_ids

    shown = sorted(shown_ids(request.POST)) if request is not None and request.method == "POST" else []
    return {"suggest_url": reverse("portal_kb:suggest"), "shown": shown}


def record_shown(request, ticket):
    from knowledge.page_helpers import shown_ids, usage

    ids = shown_ids(request.POST)
    if ids:
        usage().record_shown(sorted(ids), ticket, user=request.user)


panels.register("ticket_side", "knowledge/panels/_related.html", related_context, order=50)
panels.register("portal_new_ticket", "knowledge/portal/_deflection.html", deflection_context, order=50)
panels.on_ticket_filed(record_shown)
