"""E-mail of a survey: the after-commit handler of `survey.sent` (registered with notifies=True, so
demo and imported history stay unsent). One click on a score opens the answer page with it chosen."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import translation

from surveys import links


def send_invitation(event):
    from surveys.models import Survey

    if event.record is None:
        return 0
    survey = Survey.objects.select_related("respondent").filter(pk=event.record.pk).first()
    if survey is None or survey.answered_at is not None:
        return 0
    person = survey.respondent
    if not person.is_active or not person.wants_notification("survey"):
        return 0
    context = {"survey": survey, "person": person, "url": links.answer_url(survey),
               "score_urls": [(score, links.answer_url(survey, score)) for score in range(5, 0, -1)]}
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = render_to_string("surveys/email/invitation_subject.txt", context).strip()
        body = render_to_string("surveys/email/invitation_body.txt", context)
    key = event.idempotency_key
    headers = {"Message-ID": f"<{key}.{person.pk}@{DNS_NAME}>"} if key else None
    EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [person.email],
                 headers=headers).send()
    return 1
