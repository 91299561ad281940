"""Mail to article owners: "your article is due for review" (an outbox handler of
article.review-due, so a mail server outage only delays it)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.utils import translation
from django.utils.translation import gettext as _


def remind_owner(event):
    article = event.record
    if article is None or article.owner is None or not article.owner.email or not article.owner.is_active:
        return 0
    owner = article.owner
    url = settings.SITE_URL.rstrip("/") + f"/kb/articles/{article.pk}/"
    with translation.override(getattr(owner, "language", "") or settings.LANGUAGE_CODE):
        subject = _("[%(number)s] Please review the article \"%(title)s\"") % {
            "number": article.number, "title": article.title}
        body = _(
            "Hello %(name)s,\n\nThe knowledge article %(number)s \"%(title)s\" that you own has reached its review "
            "date. Please check that it is still correct, then publish an update or set a new review date.\n\n%(url)s\n"
        ) % {"name": owner.get_full_name() or owner.username, "number": article.number, "title": article.title,
             "url": url}
    headers = {"Message-ID": f"<{event.idempotency_key}@{DNS_NAME}>"} if event.idempotency_key else None
    EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [owner.email], headers=headers).send()
    return 1
