"""Event ingest: the hot path from a normalised event to its alert, and to an incident when needed.

Firing event, alert already open (the common case): one UPDATE … WHERE fingerprint AND
state='open' RETURNING, then the event INSERT. Nothing else unless the alert has no incident yet.

First event of a fingerprint (the slow path): a transaction-scoped advisory lock on the
fingerprint serialises concurrent first events, the UPDATE is tried again (someone may have
opened it meanwhile), a recently closed alert is reopened (flapping), else the CI is mapped, the
alert INSERTed … ON CONFLICT (the partial unique index) DO UPDATE, and the incident rules decide.
Incident creation per business service is serialised by a second advisory lock, so a storm
over many CIs of one service opens one incident (monitoring.escalation).

Resolved event: the open alert is closed and its incident's resolve is due after the hold-down
(immediately with a hold-down of 0); monitoring.escalation.settle does it.
"""

from dataclasses import dataclass, field

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from core import events
from core.choices import Channel
from monitoring import conf, escalation, mapping, rules
from monitoring.choices import EventStatus
from monitoring.models import Alert, Event


@dataclass
class IncomingEvent:
    """One event after validation (monitoring.api.serializers), before storage."""

    severity: str
    status: str
    fingerprint: str = ""
    source: str = ""
    node: str = ""
    ci: str = ""
    check: str = ""
    message: str = ""
    labels: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    fingerprint_derived: bool = False

    def __post_init__(self):
        if not self.fingerprint:
            self.fingerprint = rules.derive_fingerprint(source=self.source, node=self.node, ci=self.ci,
                                                        check=self.check)
            self.fingerprint_derived = True


@dataclass
class Outcome:
    event_id: int
    alert_id: int | None
    incident_id: int | None


DEADLOCK = "40P01"

_TOUCH_OPEN = (
    f"UPDATE {Alert._meta.db_table} SET count = count + 1, last_seen = %s, severity = %s, message = %s"
    " WHERE fingerprint = %s AND state = 'open' RETURNING id, ci_id, incident_id, service_id"
)
_CLOSE_OPEN = (
    f"UPDATE {Alert._meta.db_table} SET state = 'closed', closed_at = %s, last_seen = %s, count = count + 1,"
    " resolve_due_at = CASE WHEN incident_id IS NULL THEN NULL ELSE %s END"
    " WHERE fingerprint = %s AND state = 'open' RETURNING id, ci_id, incident_id"
)


def _lock(kind: str, key) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"monitoring:{kind}:{key}"])


def ingest_many(events, *, actor) -> list[Outcome]:
    """The API's entry: the events of one request in one transaction (one commit per request).

    Events are applied in fingerprint order (a fingerprint's own events keep their order), so two
    concurrent batches lock the same alerts in the same order; a deadlock PostgreSQL still
    detects (through the service and incident locks) is retried, up to three times.

    With MONITORING_ASYNC_COMMIT (default on) that commit does not wait for the WAL flush: under
    load the flush was most of a request's time. The database stays consistent; what a crash of
    PostgreSQL could lose is the last fraction of a second of acknowledged events, which monitoring
    tools send again (a firing alert repeats; Alertmanager every repeat_interval)."""
    order = sorted(range(len(events)), key=lambda index: events[index].fingerprint)
    for attempt in range(3):
        try:
            with transaction.atomic():
                if conf.async_commit():
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                results = {index: ingest(events[index], actor=actor) for index in order}
            return [results[index] for index in range(len(events))]
        except OperationalError as error:
            if getattr(error.__cause__, "pgcode", None) != DEADLOCK or attempt == 2 \
                    or connection.in_atomic_block:
                raise
    raise AssertionError("unreachable")


def ingest(event: IncomingEvent, *, actor, now=None) -> Outcome:
    """Store one event and apply it to its alert (and incident) in one transaction."""
    now = now or timezone.now()
    # Inside ingest_many's transaction no savepoint is needed: an error fails the request whole.
    with transaction.atomic(savepoint=False):
        if event.status == EventStatus.RESOLVED:
            alert_id, ci_id, incident_id = _resolve(event, actor=actor, now=now)
        else:
            alert_id, ci_id, incident_id = _fire(event, actor=actor, now=now)
        stored = Event.objects.create(
            received_at=now, source=event.source, node=event.node, ci_name=event.ci, check_name=event.check,
            severity=event.severity, status=event.status, fingerprint=event.fingerprint,
            fingerprint_derived=event.fingerprint_derived, message=event.message, labels=event.labels,
            raw=event.raw, ci_id=ci_id, alert_id=alert_id, submitted_by=actor,
        )
        if "metric" in event.labels and "value" in event.labels:
            # A utilisation reading (labels metric, value, unit): capacity, a layer above, records it
            # inside this transaction, so a reading it refuses refuses the request.
            events.publish("metric.reported", stored, actor=actor, channel=Channel.MONITORING, at=now, data={
                "ci": event.ci or event.node, "ci_id": ci_id, "metric": event.labels["metric"],
                "value": event.labels["value"], "unit": event.labels.get("unit", ""), "at": now.isoformat()})
    return Outcome(stored.pk, alert_id, incident_id)


def _fire(event, *, actor, now):
    with connection.cursor() as cursor:
        cursor.execute(_TOUCH_OPEN, [now, event.severity, event.message, event.fingerprint])
        row = cursor.fetchone()
    if row is not None:
        alert_id, ci_id, incident_id, service_id = row
        if incident_id is None:
            # A repeat may have grown worse (warning → critical): the rules decide again.
            incident_id = escalation.decide(alert_id, ci_id=ci_id, service_id=service_id, severity=event.severity,
                                           event=event, actor=actor, now=now)
        return alert_id, ci_id, incident_id
    return _first_fire(event, actor=actor, now=now)


def _first_fire(event, *, actor, now):
    _lock("fp", event.fingerprint)
    with connection.cursor() as cursor:
        cursor.execute(_TOUCH_OPEN, [now, event.severity, event.message, event.fingerprint])
        row = cursor.fetchone()
    if row is not None:  # a concurrent first event opened it while we waited for the lock
        alert_id, ci_id, incident_id, service_id = row
        return alert_id, ci_id, incident_id
    reopened = _reopen_flapping(event, actor=actor, now=now)
    if reopened is not None:
        return reopened
    ci = mapping.find_ci(event)
    service = escalation.service_of(ci)
    alert = Alert.objects.create(
        fingerprint=event.fingerprint, severity=event.severity, source=event.source, node=event.node,
        check_name=event.check, message=event.message, labels=event.labels, ci=ci, service=service,
        first_seen=now, last_seen=now,
    )
    incident_id = escalation.decide(alert.pk, ci_id=getattr(ci, "pk", None), service_id=getattr(service, "pk", None),
                                   severity=event.severity, event=event, actor=actor, now=now, ci=ci, service=service,
                                   new_alert=True)
    return alert.pk, alert.ci_id, incident_id


def _reopen_flapping(event, *, actor, now):
    """A fingerprint firing again soon after its resolve reopens the same alert (and incident)."""
    last = (Alert.objects.filter(fingerprint=event.fingerprint, state="closed").order_by("-closed_at")
            .only("id", "closed_at", "incident_id", "ci_id").first())
    if last is None or not rules.flap_decision(closed_at=last.closed_at, now=now,
                                               flap_window_minutes=conf.flap_window_minutes()):
        return None
    from django.db.models import F

    Alert.objects.filter(pk=last.pk).update(state="open", closed_at=None, resolve_due_at=None, last_seen=now,
                                            count=F("count") + 1, flaps=F("flaps") + 1, severity=event.severity,
                                            message=event.message)
    incident_id = escalation.keep_open_after_flap(last.incident_id, alert_id=last.pk, actor=actor, now=now)
    return last.pk, last.ci_id, incident_id


def _resolve(event, *, actor, now):
    due = rules.hold_down_until(now=now, hold_down_minutes=conf.hold_down_minutes())
    with connection.cursor() as cursor:
        cursor.execute(_CLOSE_OPEN, [now, now, due, event.fingerprint])
        row = cursor.fetchone()
    if row is None:
        # Nothing open (a repeat of the resolve, or one we never saw firing): kept for history.
        last = (Alert.objects.filter(fingerprint=event.fingerprint).order_by("-last_seen")
                .values_list("id", "ci_id", "incident_id").first())
        return last if last else (None, None, None)
    alert_id, ci_id, incident_id = row
    if incident_id is not None and due <= now:
        escalation.settle(incident_id, actor=actor, now=now)
    return alert_id, ci_id, incident_id
