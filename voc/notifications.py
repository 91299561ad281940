"""E-mail about VOC records (after-commit handlers, notifies=True): the response goes to the person
who raised it; an escalation goes to the manager of the group it went up to."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import translation


def _send(event, person, kind, voc, url):
    if person is None or not person.is_active or not person.wants_notification(f"voc_{kind}"):
        return 0
    context = {"voc": voc, "person": person, "url": settings.SITE_URL.rstrip("/") + url}
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"voc/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"voc/email/{kind}_body.txt", context)
    key = event.idempotency_key
    headers = {"Message-ID": f"<{key}.{person.pk}@{DNS_NAME}>"} if key else None
    EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [person.email],
                 headers=headers).send()
    return 1


def _voc(event):
    from voc.models import Voc

    if event.record is None:
        return None
    return Voc.objects.select_related("reported_by", "assignment_group__manager").filter(pk=event.record.pk).first()


def responded(event):
    voc = _voc(event)
    if voc is None:
        return 0
    return _send(event, voc.reported_by, "responded", voc, voc.get_portal_url())


def escalated(event):
    voc = _voc(event)
    if voc is None or voc.assignment_group is None:
        return 0
    return _send(event, voc.assignment_group.manager, "escalated", voc, voc.get_absolute_url())
