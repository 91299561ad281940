"""The signed, expiring link a survey e-mail carries: it answers without signing in, so it names
only the survey and is signed with a salt of its own (a token for anything else does not open it)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "surveys.answer-link"


class BadLink(Exception):
    """Forged, damaged or naming nothing."""


class ExpiredLink(Exception):
    """Genuine but older than SURVEY_LINK_MAX_AGE_DAYS."""


def max_age_seconds():
    return int(getattr(settings, "SURVEY_LINK_MAX_AGE_DAYS", 30)) * 86400


def token_for(survey) -> str:
    return signing.dumps({"s": survey.pk}, salt=SALT, compress=False)


def survey_id(token: str) -> int:
    try:
        value = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired as exc:
        raise ExpiredLink from exc
    except signing.BadSignature as exc:
        raise BadLink from exc
    if not isinstance(value, dict) or not isinstance(value.get("s"), int):
        raise BadLink
    return value["s"]


def answer_url(survey, score=None) -> str:
    path = reverse("surveys_portal:link", args=[token_for(survey)])
    return settings.SITE_URL.rstrip("/") + path + (f"?score={score}" if score else "")
