"""Forgotten passwords: Django's reset by e-mail, throttled, with links that point at SITE_URL.

The mail is sent inside the request (Django's PasswordResetForm does so): the link carries a
one-time token, which must not be written to the outbox's stored event data. Nothing here tells a
caller whether an address belongs to an account; the throttle only stops one address being
flooded or the form being used to send mail in bulk.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

# At most this many reset mails per address, and this many requests per client, per window.
PER_ADDRESS = 3
PER_CLIENT = 10
WINDOW_SECONDS = 60 * 60


def _take(key, limit):
    """Count one use of `key` in the current window; False once `limit` uses were counted."""
    if cache.add(key, 1, WINDOW_SECONDS):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return True


def client_allowed(client_address) -> bool:
    return _take(f"password-reset:client:{client_address or 'unknown'}", PER_CLIENT)


def address_allowed(email) -> bool:
    return _take(f"password-reset:address:{(email or '').strip().lower()}", PER_ADDRESS)


def link_settings():
    """The domain, scheme and base URL the e-mail's link uses: the site's public address (SITE_URL),
    never the Host header of whoever asked."""
    base = settings.SITE_URL.rstrip("/")
    parts = urlsplit(base)
    return {"domain_override": parts.netloc, "use_https": parts.scheme == "https",
            "extra_email_context": {"site_url": base}}


def unlock(user):
    """A new password set through the e-mailed link proves the mailbox is theirs: forget the failed
    log-ins that locked the account, so they can log in with it straight away."""
    from axes.utils import reset

    reset(username=user.get_username())
