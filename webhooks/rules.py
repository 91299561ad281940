"""The domain rules of webhooks out, as plain Python (no ORM, no request): which events a
subscription wants, when to retry, when to give up, when to disable, how a body is signed
(Standard Webhooks, https://www.standardwebhooks.com/)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets as _secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SECRET_PREFIX = "whsec_"
# Types never sent out: account events carry tokens and passwords' metadata, and webhook events
# about webhooks would feed themselves.
PRIVATE_TYPES = frozenset({"accounts", "webhook"})


# --- event names ----------------------------------------------------------------------------------
def pattern_matches(pattern: str, name: str) -> bool:
    """`incident.*`, `*.resolved`, `*` or an exact name, as core.events registers handlers."""
    if pattern in ("*", name):
        return True
    kind, _, verb = name.partition(".")
    return pattern in (f"{kind}.*", f"*.{verb}")


def wants(patterns, name: str) -> bool:
    if name.partition(".")[0] in PRIVATE_TYPES:
        return False
    return any(pattern_matches(p, name) for p in patterns)


def check_patterns(patterns, catalog) -> list[str]:
    """The reasons `patterns` are refused (empty when fine): `*`, a name in the catalog, a name or
    `<type>.*` of a type in the catalog, or `*.<verb>` of a verb in it."""
    if not isinstance(patterns, list) or not patterns:
        return [_("Choose at least one event.")]
    types = {n.partition(".")[0] for n in catalog}
    verbs = {n.partition(".")[2] for n in catalog}
    problems = []
    for pattern in patterns:
        if not isinstance(pattern, str) or not pattern.strip():
            problems.append(_("%(pattern)r is not an event name.") % {"pattern": pattern})
            continue
        kind, dot, verb = pattern.partition(".")
        if pattern == "*" or pattern in catalog:
            continue
        if kind in PRIVATE_TYPES:
            problems.append(_("%(pattern)s: %(kind)s events are never sent to webhooks.") % {"pattern": pattern, "kind": kind})
        elif not dot or not verb:
            problems.append(_("%(pattern)s: an event is named <type>.<verb> (incident.created, incident.*).") % {"pattern": pattern})
        elif kind == "*" and verb in verbs:
            continue
        elif kind in types and (verb == "*" or "*" not in verb):
            continue  # a known type's verbs grow with its workflow (article.submitted-for-review)
        else:
            problems.append(_("%(pattern)s: no such event.") % {"pattern": pattern})
    return problems


# --- filters --------------------------------------------------------------------------------------
FILTER_KEYS = {"service": "service_id", "priority": "priority", "group": "assignment_group_id"}


def normalise_filters(filters) -> dict[str, list[int]]:
    """{"service": 3} or {"service": [3, 4]} → {"service": [3, 4]}; raises ValueError naming the key."""
    if filters in (None, ""):
        return {}
    if not isinstance(filters, dict):
        raise ValueError("filters", _("Filters are an object: {\"service\": [ids], \"priority\": [1..5], \"group\": [ids]}."))
    clean = {}
    for key, value in filters.items():
        if key not in FILTER_KEYS:
            raise ValueError(key, _("Unknown filter %(key)r: use service, priority or group.") % {"key": key})
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in values):
            raise ValueError(key, _("The %(key)s filter takes positive integer ids.") % {"key": key})
        if key == "priority" and any(v > 5 for v in values):
            raise ValueError(key, _("A priority is 1 to 5."))
        if values:
            clean[key] = sorted(set(values))
    return clean


def record_matches(filters: dict, facts: dict) -> bool:
    """Every filter given must hold; a record without the field (an article) does not match it."""
    for key, allowed in (filters or {}).items():
        if facts.get(FILTER_KEYS.get(key, key)) not in allowed:
            return False
    return True


# --- retries --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RetryPolicy:
    base: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(hours=1)
    window: timedelta = timedelta(hours=24)


def backoff(attempts: int, policy: RetryPolicy, jitter: float) -> timedelta:
    """Wait after the `attempts`-th failure: base × 2^(n-1) capped, scaled by 0.5..1.0 (`jitter`
    in [0, 1)), so receivers coming back are not hit by every sender at once."""
    exponential = min(policy.cap.total_seconds(), policy.base.total_seconds() * 2 ** max(0, min(attempts - 1, 30)))
    return timedelta(seconds=exponential * (0.5 + jitter / 2))


def after_failure(*, attempts: int, first_at: datetime, now: datetime, policy: RetryPolicy,
                  jitter: float) -> datetime | None:
    """When to try again, or None to give up (the retry window since the first attempt is spent)."""
    following = now + backoff(attempts, policy, jitter)
    if following - first_at > policy.window:
        return None
    return following


@dataclass(frozen=True)
class DisablePolicy:
    failing_for: timedelta = timedelta(hours=24)
    dead_in_a_row: int = 10


def disable_reason(*, failing_since: datetime | None, dead_streak: int, now: datetime, policy: DisablePolicy,
                   gone: bool = False) -> str:
    """Why a subscription must be switched off now ("" if it may go on)."""
    if gone:
        return _("The receiver answered 410 Gone.")
    if failing_since is not None and now - failing_since >= policy.failing_for:
        hours = int(policy.failing_for.total_seconds() // 3600)
        return ngettext("Every delivery failed for %(hours)s hour.", "Every delivery failed for %(hours)s hours.",
                        hours) % {"hours": hours}
    if dead_streak >= policy.dead_in_a_row:
        return ngettext("%(count)s delivery in a row was given up.", "%(count)s deliveries in a row were given up.",
                        dead_streak) % {"count": dead_streak}
    return ""


def is_success(status: int | None) -> bool:
    return status is not None and 200 <= status < 300


# --- signatures -----------------------------------------------------------------------------------
def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(_secrets.token_bytes(32)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_<base64>` secret (24 to 64 bytes); ValueError otherwise."""
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise ValueError(_("A secret has the form whsec_<base64 of 24 to 64 random bytes>."))
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(_("The part after whsec_ is not base64.")) from None
    if not 24 <= len(key) <= 64:
        raise ValueError(_("A secret has 24 to 64 bytes after decoding."))
    return key


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: `v1,<base64 HMAC-SHA256 of id.timestamp.body>`."""
    content = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, webhook_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {"webhook-id": webhook_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret, webhook_id, timestamp, body),
            "content-type": "application/json"}
