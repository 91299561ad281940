"""E-mail notifications about incidents: an outbox handler of the incident events.

Registered in IncidentsConfig.ready() for incident.created, .assigned, .commented, .resolved and
.reopened; the outbox calls it after commit, retries it with backoff, and keeps it as a dead
letter an administrator can replay if it keeps failing.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from core import mailthread
from core.models import Comment

NOTIFICATION_KINDS = ("created", "assigned", "commented", "resolved", "reopened")


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
    if incident.is_security:
        # Details of a security incident go to its caller (who reported them) and the security group only.
        from incidents import security

        unique = {pk: p for pk, p in unique.items() if pk == incident.caller_id or security.is_handler(p)}
    return [p for p in unique.values() if p.is_active and p.wants_notification(kind)]


def notify(event):
    """Outbox handler: mail the people who hear of this incident event."""
    if event.data.get("notify") is False:
        return 0  # e.g. a reopen reason: the reopen notice already tells it
    return send(event.record.pk if event.record is not None else None, event.verb,
                comment_id=event.data.get("comment"), key=event.idempotency_key)


def send(incident_id, kind, comment_id=None, *, key=None):
    """Send the `kind` e-mail about an incident, each recipient in their own language.

    `key` (the outbox delivery's idempotency key) goes into each Message-ID, so a message sent
    again after a lost acknowledgement is recognisable as the same message.
    """
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
        headers = mailthread.headers(incident.number, key, person.pk) if key else None
        EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [person.email],
                     headers=headers).send()
        sent += 1
    return sent
