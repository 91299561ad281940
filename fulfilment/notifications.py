"""E-mail notifications of request fulfilment: outbox handlers (registered in wiring.py), called
after commit, retried with backoff, dead-lettered like the incidents' mail.

- request.approval_requested: each approver of the waiting stage gets a signed decision link
  (/request-approvals/<token>/, valid DECISION_LINK_DAYS days, for that approver only);
- request.item_rejected: the requester and the person it is for hear the reason;
- request.resolved (the request is fulfilled): both hear it;
- task.opened: the members of the task's group hear of a new task to work.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core import mailthread
from fulfilment.inbox import request_url

DECISION_LINK_DAYS = 14
SIGNING_SALT = "fulfilment.request-approval"


def decision_token(request_id, user_id):
    return signing.dumps({"r": request_id, "u": user_id}, salt=SIGNING_SALT, compress=True)


def read_token(token):
    """(request id, user id) of a decision link, or None if it is forged or expired."""
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=DECISION_LINK_DAYS * 24 * 3600)
        return int(data["r"]), int(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def decision_url(request_id, user_id):
    return reverse("request_approvals:decide", args=[decision_token(request_id, user_id)])


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _send(people, template, context, *, key, kind):
    sent = 0
    for person in people:
        if person is None or not person.is_active or not person.wants_notification(kind):
            continue
        context = {**context, "person": person}
        if "url_for" in context:
            context["url"] = context["url_for"](person)
        with translation.override(person.language or settings.LANGUAGE_CODE):
            subject = render_to_string(f"fulfilment/email/{template}_subject.txt", context).strip()
            body = render_to_string(f"fulfilment/email/{template}_body.txt", context)
        number = getattr(context.get("request"), "number", None)
        headers = mailthread.headers(number, key, person.pk) if key else None
        EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [person.email],
                     headers=headers).send()
        sent += 1
    return sent


def _requesters(request):
    people = {request.requested_by_id: request.requested_by, request.requested_for_id: request.requested_for}
    return list(people.values())


def _item(request, item_id):
    return request.items.select_related("catalog_item").filter(pk=item_id).first()


def approval_requested(event):
    request = event.record
    if request is None:
        return 0
    item = _item(request, event.data.get("item"))
    if item is None or item.state != "awaiting_approval":
        return 0  # decided (or withdrawn) before the mail went out
    approvers = get_user_model().objects.filter(pk__in=event.data.get("approvers") or [])
    context = {"request": request, "item": item, "stage": event.data.get("stage_name", ""),
               "url_for": lambda person: _absolute(decision_url(request.pk, person.pk))}
    return _send(approvers, "approval_requested", context, key=event.idempotency_key, kind="approval_requested")


def item_rejected(event):
    request = event.record
    if request is None:
        return 0
    item = _item(request, event.data.get("item"))
    context = {"request": request, "item": item, "reason": event.data.get("reason", ""),
               "url": _absolute(_portal_url(request))}
    return _send(_requesters(request), "rejected", context, key=event.idempotency_key, kind="rejected")


def fulfilled(event):
    request = event.record
    if request is None:
        return 0
    context = {"request": request, "url": _absolute(_portal_url(request))}
    return _send(_requesters(request), "fulfilled", context, key=event.idempotency_key, kind="resolved")


def task_opened(event):
    task = event.record
    if task is None or task.assignment_group_id is None or task.state != "open":
        return 0
    people = list(task.assignment_group.members.filter(is_active=True))
    context = {"task": task, "request": task.request, "url": _absolute(_task_url(task))}
    return _send(people, "task_opened", context, key=event.idempotency_key, kind="assigned")


def _portal_url(request):
    """The portal's page of the request (built by the portal helper), else the desk's."""
    from django.urls import NoReverseMatch

    try:
        return reverse("portal_requests:request_detail", args=[request.pk])
    except NoReverseMatch:
        return request_url(request.pk)


def _task_url(task):
    from django.urls import NoReverseMatch

    try:
        return task.get_absolute_url()
    except NoReverseMatch:
        return request_url(task.request_id)


HANDLERS = {
    "request.approval_requested": approval_requested,
    "request.item_rejected": item_rejected,
    "request.resolved": fulfilled,
    "task.opened": task_opened,
}
