"""Mail to a subscription's owner when the sender switched it off (an outbox handler of
webhook.disabled, so a mail server outage only delays it)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def tell_owner(event):
    subscription = event.record
    owner = getattr(subscription, "owner", None)
    if subscription is None or owner is None or not owner.email or not owner.is_active:
        return 0
    url = settings.SITE_URL.rstrip("/") + reverse("webhooks:detail", args=[subscription.pk])
    with translation.override(getattr(owner, "language", "") or settings.LANGUAGE_CODE):
        subject = _("Webhook to %(url)s was switched off") % {"url": subscription.url}
        body = _(
            "Hello %(name)s,\n\nThe webhook subscription \"%(subscription)s\" that you own kept failing and was "
            "switched off: %(reason)s\n\nEvents are no longer collected for it. Fix the receiver, switch the "
            "subscription on again and replay the time it was off:\n\n%(url)s\n"
        ) % {"name": owner.get_full_name() or owner.username, "subscription": str(subscription),
             "reason": event.data.get("reason", ""), "url": url}
    headers = {"Message-ID": f"<{event.idempotency_key}@{DNS_NAME}>"} if event.idempotency_key else None
    EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [owner.email], headers=headers).send()
    return 1
