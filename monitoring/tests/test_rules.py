"""The pure rules of event management, without a database."""

from datetime import datetime, timedelta, timezone

import pytest

from monitoring import alertmanager, rules
from monitoring.rules import CIFacts, RuleView

NOW = datetime(2026, 12, 3, 6, 0, tzinfo=timezone.utc)


def rule(pk, min_severity="major", environment="", max_criticality=None, open_incident=True):
    return RuleView(pk, min_severity, environment, max_criticality, open_incident, 2, 2)


def test_derived_fingerprint_is_stable_and_case_insensitive():
    one = rules.derive_fingerprint(source="nagios", node="Web-01", ci="", check="HTTP")
    two = rules.derive_fingerprint(source="nagios", node="web-01 ", ci="", check="http")
    assert one == two and one.startswith("derived:")
    assert one != rules.derive_fingerprint(source="nagios", node="web-02", ci="", check="http")


@pytest.mark.parametrize("severity, ci, expected", [
    ("critical", CIFacts("production", 1), 1),
    ("major", CIFacts("production", 3), 2),
    ("minor", CIFacts("production", 1), None),
    ("critical", None, 2),  # no CI: rule 1 (production only) cannot match; rule 2 (any) does
    ("major", CIFacts("staging", 1), 3),
])
def test_first_matching_rule_wins(severity, ci, expected):
    ordered = [rule(1, "critical", "production", 2), rule(3, "info", "staging", open_incident=False), rule(2)]
    found = rules.matching_incident_rule(ordered, severity=severity, ci=ci)
    assert (found.pk if found else None) == expected


@pytest.mark.parametrize("match_on, label, pattern, expected", [
    ("label", "instance", r"^([^:]+)", "web-01"),
    ("label", "instance", "", "web-01:9100"),
    ("label", "missing", "", None),
    ("node", "", r"^db", "db"),
    ("ci", "", "", None),
    ("label", "instance", r"^nomatch", None),
])
def test_map_value(match_on, label, pattern, expected):
    value = rules.map_value(match_on=match_on, label=label, pattern=pattern, ci="", node="db-01",
                            labels={"instance": "web-01:9100"})
    assert value == expected


def test_flapping_within_the_window_only():
    assert rules.flap_decision(closed_at=NOW - timedelta(minutes=9), now=NOW, flap_window_minutes=10)
    assert not rules.flap_decision(closed_at=NOW - timedelta(minutes=11), now=NOW, flap_window_minutes=10)
    assert not rules.flap_decision(closed_at=NOW, now=NOW, flap_window_minutes=0)
    assert rules.hold_down_until(now=NOW, hold_down_minutes=3) == NOW + timedelta(minutes=3)


def test_alertmanager_payload_is_read_into_events():
    payload = {"version": "4", "status": "firing", "alerts": [
        {"status": "firing", "labels": {"alertname": "HostDown", "instance": "web-01:9100", "severity": "page"},
         "annotations": {"summary": "web-01 down"}, "fingerprint": "abc"},
        {"status": "resolved", "labels": {"alertname": "Disk", "severity": "bogus"}, "annotations": {}},
    ]}
    first, second = alertmanager.parse(payload, max_alerts=10)
    assert (first["fingerprint"], first["severity"], first["check"], first["node"], first["message"]) == \
        ("am:abc", "critical", "HostDown", "web-01:9100", "web-01 down")
    assert (second["status"], second["severity"], second["fingerprint"]) == ("resolved", "warning", "")


@pytest.mark.parametrize("payload, field", [
    ([], "non_field_errors"),
    ({"version": "3", "alerts": []}, "version"),
    ({"alerts": "x"}, "alerts"),
    ({"alerts": [1]}, "alerts[0]"),
    ({"alerts": [{"status": "firing", "labels": {"a": 1}}]}, "alerts[0].labels"),
    ({"alerts": [{"status": "odd", "labels": {}}]}, "alerts[0].status"),
])
def test_malformed_alertmanager_payload_names_the_field(payload, field):
    with pytest.raises(alertmanager.PayloadError) as raised:
        alertmanager.parse(payload, max_alerts=10)
    assert raised.value.field == field
