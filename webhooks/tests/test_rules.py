"""The pure rules: no database, no HTTP."""

import base64
import datetime

import pytest

from webhooks import rules

NOW = datetime.datetime(2026, 12, 3, 6, 0, tzinfo=datetime.UTC)
CATALOG = {"incident.created", "incident.resolved", "change.approved", "article.published"}


@pytest.mark.parametrize(("pattern", "name", "expected"), [
    ("*", "incident.created", True),
    ("incident.*", "incident.created", True),
    ("incident.*", "change.created", False),
    ("*.resolved", "incident.resolved", True),
    ("*.resolved", "incident.created", False),
    ("incident.created", "incident.created", True),
    ("incident.created", "incident.creat", False),
])
def test_pattern_matches(pattern, name, expected):
    assert rules.pattern_matches(pattern, name) is expected


def test_private_types_are_never_wanted_even_by_star():
    assert rules.wants(["*"], "accounts.token_issued") is False
    assert rules.wants(["*"], "webhook.disabled") is False


@pytest.mark.parametrize(("patterns", "problem"), [
    ([], "Choose at least one event."),
    ("incident.*", "Choose at least one event."),
    (["accounts.*"], "accounts.*: accounts events are never sent to webhooks."),
    (["incident"], "incident: an event is named <type>.<verb> (incident.created, incident.*)."),
    (["nosuch.created"], "nosuch.created: no such event."),
    (["*.exploded"], "*.exploded: no such event."),
    ([""], "'' is not an event name."),
])
def test_check_patterns_names_what_is_wrong(patterns, problem):
    assert rules.check_patterns(patterns, CATALOG) == [problem]


@pytest.mark.parametrize("patterns", [["*"], ["incident.*"], ["*.approved"], ["incident.created"],
                                      ["article.submitted-for-review"]])
def test_check_patterns_accepts(patterns):
    assert rules.check_patterns(patterns, CATALOG) == []


def test_filters_normalise_and_match():
    filters = rules.normalise_filters({"service": 3, "priority": [2, 1, 1]})
    assert filters == {"service": [3], "priority": [1, 2]}
    assert rules.record_matches(filters, {"service_id": 3, "priority": 1}) is True
    assert rules.record_matches(filters, {"service_id": 4, "priority": 1}) is False
    assert rules.record_matches(filters, {"priority": 1}) is False  # no service field: no match
    assert rules.record_matches({}, {}) is True


@pytest.mark.parametrize(("filters", "key"), [
    ({"colour": [1]}, "colour"), ({"priority": [9]}, "priority"), ({"group": ["x"]}, "group"),
    ({"service": [True]}, "service"), ([1], "filters"),
])
def test_bad_filters_name_the_key(filters, key):
    with pytest.raises(ValueError) as refused:
        rules.normalise_filters(filters)
    assert refused.value.args[0] == key


@pytest.mark.parametrize(("attempts", "low", "high"), [(1, 2.5, 5), (2, 5, 10), (5, 40, 80), (20, 1800, 3600)])
def test_backoff_is_exponential_capped_and_jittered(attempts, low, high):
    policy = rules.RetryPolicy()
    assert rules.backoff(attempts, policy, 0.0).total_seconds() == low
    assert rules.backoff(attempts, policy, 0.999999).total_seconds() == pytest.approx(high, rel=1e-5)


def test_retries_stop_after_the_window():
    policy = rules.RetryPolicy()
    first = NOW - datetime.timedelta(hours=23, minutes=59)
    assert rules.after_failure(attempts=30, first_at=first, now=NOW, policy=policy, jitter=0.0) is None
    assert rules.after_failure(attempts=1, first_at=NOW, now=NOW, policy=policy, jitter=0.0) == \
        NOW + datetime.timedelta(seconds=2.5)


def test_disable_reasons():
    policy = rules.DisablePolicy()
    assert rules.disable_reason(failing_since=None, dead_streak=0, now=NOW, policy=policy) == ""
    assert rules.disable_reason(failing_since=NOW - datetime.timedelta(hours=23), dead_streak=9, now=NOW,
                                policy=policy) == ""
    assert rules.disable_reason(failing_since=NOW - datetime.timedelta(hours=24), dead_streak=0, now=NOW,
                                policy=policy) == "Every delivery failed for 24 hours."
    assert rules.disable_reason(failing_since=None, dead_streak=10, now=NOW,
                                policy=policy) == "10 deliveries in a row were given up."
    assert rules.disable_reason(failing_since=None, dead_streak=0, now=NOW, policy=policy,
                                gone=True) == "The receiver answered 410 Gone."


def test_signature_matches_the_specification_example():
    # The example of the Standard Webhooks specification (and its reference libraries' tests).
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert rules.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == \
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


@pytest.mark.parametrize("secret", ["nothing", "whsec_***", "whsec_" + base64.b64encode(b"short").decode()])
def test_bad_secrets_are_refused(secret):
    with pytest.raises(ValueError):
        rules.secret_key(secret)


def test_new_secrets_are_valid():
    assert len(rules.secret_key(rules.new_secret())) == 32
