"""Celery tasks of incident management: ids in, services called, safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from core.models import Comment

NOTIFICATION_KINDS = ("created", "assigned", "commented", "resolved", "reopened")


@shared_task
def auto_close_resolved():
    """Close resolved incidents after INCIDENT_AUTO_CLOSE_DAYS; a second run finds nothing to do."""
    from incidents import services

    return services.auto_close_resolved()


def recipients(incident, kind, comment=None):
    """Who hears about this event. The caller never hears of a work note."""
    people = []
    if kind in ("created", "resolved"):
        people = [incident.caller]
    elif kind == "assigned":
        people = [incident.assigned_to]
    elif kind == "reopened":
        people = [incident.assigned_to or (incident.assignment_group.manager if incident.assignment_group else None)]
    elif kind == "commented" and comment is not None:
        people = [incident.assigned_to]
        if not comment.internal:
            people.append(incident.caller)
        people = [p for p in people if p is not None and p.pk != comment.author_id]
    unique = {p.pk: p for p in people if p is not None}
    return [p for p in unique.values() if p.is_active and p.wants_notification(kind)]


@shared_task
def notify_incident(incident_id, kind, comment_id=None):
    """Send the `kind` e-mail about an incident, each recipient in their own language."""
    from incidents.models import Incident

    incident = (Incident.objects.select_related("caller", "assigned_to", "assignment_group__manager")
                .filter(pk=incident_id).first())
    if incident is None or kind not in NOTIFICATION_KINDS:
        return 0
    comment = Comment.objects.filter(pk=comment_id).select_related("author").first() if comment_id else None
    if kind == "commented" and comment is None:
        return 0
    sent = 0
    for person in recipients(incident, kind, comment):
        is_caller = person.pk == incident.caller_id
        path = incident.get_portal_url() if is_caller and person.pk != incident.assigned_to_id else \
            incident.get_absolute_url()
        context = {"incident": incident, "person": person, "comment": comment,
                   "url": settings.SITE_URL.rstrip("/") + path}
        with translation.override(person.language or settings.LANGUAGE_CODE):
            subject = render_to_string(f"incidents/email/{kind}_subject.txt", context).strip()
            body = render_to_string(f"incidents/email/{kind}_body.txt", context)
        send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [person.email])
        sent += 1
    return sent
