"""The polite reply to a refused mail (unknown sender, a request the mail cannot fill in): an
outbox handler of `mailin.refused`, sent after commit, in Korean and English, marked
`Auto-Submitted: auto-replied` (RFC 3834) so that a well-behaved robot does not answer it."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import translation

from mailin import parsing


def reply_refused(event):
    message = event.record
    if message is None or not message.sender:
        return 0
    sender = message.mailbox.address if message.mailbox_id else settings.DEFAULT_FROM_EMAIL
    bodies, subjects = [], []
    for language in dict.fromkeys([settings.LANGUAGE_CODE, "ko", "en"]):
        with translation.override(language):
            context = {"message": message, "reason": event.data.get("reason", ""), "site": settings.SITE_URL}
            subjects.append(render_to_string("mailin/email/refused_subject.txt", context).strip())
            bodies.append(render_to_string("mailin/email/refused_body.txt", context).strip())
    original = parsing.strip_reply_prefix(message.subject)
    headers = {
        "Message-ID": f"<mailin-refused.{event.idempotency_key or message.pk}@{DNS_NAME}>",
        "In-Reply-To": message.message_id, "References": message.message_id,
        "Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All",
    }
    subject = f"{subjects[0]}: {original}" if original else subjects[0]
    EmailMessage(" ".join(subject.split())[:250], "\n\n-----\n\n".join(bodies), sender, [message.sender],
                 headers=headers).send()
    return 1
