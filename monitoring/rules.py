"""The rules of event management as plain Python (no ORM, no request): tested without a database.

- `derive_fingerprint`: an event without a fingerprint is identified by source, node (or CI) and
  check, so its repeats still deduplicate.
- `matching_incident_rule`: the first active incident rule (ordered) whose conditions hold.
- `map_value`: what a CI mapping rule reads from an event.
- `flap_decision` / `hold_down_until`: flapping protection (see monitoring/README.md).
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from monitoring.choices import SEVERITY_RANK, MatchOn


def derive_fingerprint(*, source: str, node: str, ci: str, check: str) -> str:
    """A stable fingerprint from what identifies the fault (source + node or CI + check)."""
    key = "\x1f".join([(source or "").strip().lower(), (node or ci or "").strip().lower(),
                       (check or "").strip().lower()])
    return "derived:" + hashlib.sha256(key.encode()).hexdigest()[:40]


@dataclass(frozen=True)
class RuleView:
    """The conditions and outcome of one IncidentRule, as the pure matcher reads them."""

    pk: int
    min_severity: str
    environment: str
    max_criticality: int | None
    open_incident: bool
    impact: int
    urgency: int


@dataclass(frozen=True)
class CIFacts:
    environment: str | None
    criticality: int | None


def rule_matches(rule: RuleView, *, severity: str, ci: CIFacts | None) -> bool:
    if SEVERITY_RANK.get(severity, 99) > SEVERITY_RANK.get(rule.min_severity, 0):
        return False
    if rule.environment and (ci is None or ci.environment != rule.environment):
        return False
    if rule.max_criticality and (ci is None or ci.criticality is None or ci.criticality > rule.max_criticality):
        return False
    return True


def matching_incident_rule(rules, *, severity: str, ci: CIFacts | None):
    """The first rule (in the given order) that matches, or None (no incident)."""
    for rule in rules:
        if rule_matches(rule, severity=severity, ci=ci):
            return rule
    return None


def map_value(*, match_on: str, label: str, pattern: str, ci: str, node: str, labels: dict):
    """The value a mapping rule reads from an event, cut by its pattern; None when absent."""
    if match_on == MatchOn.CI:
        value = ci
    elif match_on == MatchOn.NODE:
        value = node
    else:
        value = labels.get(label) if isinstance(labels, dict) else None
    if value is None or not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if pattern:
        found = re.search(pattern, value)
        if found is None:
            return None
        value = found.group(1) if found.groups() else found.group(0)
    return value or None


def flap_decision(*, closed_at, now, flap_window_minutes: int) -> bool:
    """A fingerprint firing again within the flap window of its last close reopens that alert."""
    if closed_at is None or flap_window_minutes <= 0:
        return False
    return now - closed_at <= timedelta(minutes=flap_window_minutes)


def hold_down_until(*, now, hold_down_minutes: int):
    """When a resolved alert's incident may be resolved: now, or after the hold-down."""
    return now + timedelta(minutes=max(0, hold_down_minutes))


