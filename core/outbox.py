"""The transactional outbox: events written with the change, delivered after commit with retries.

`write` stores published events (core.events installs it) in the caller's transaction: one
OutboxEvent row each and a pending Delivery per after-commit handler that wants it, then asks for
a dispatcher run once the transaction commits. `deliver_due` is that dispatcher (core.tasks runs
it from Celery, on commit and from beat every few seconds): it claims due deliveries with
`SELECT … FOR UPDATE SKIP LOCKED`, so concurrent dispatchers split the work and none is handed
out twice, calls each handler in a savepoint of the claiming transaction (its database effects
commit together with "delivered"), and on failure retries with exponential backoff until
OUTBOX_MAX_ATTEMPTS, then marks the delivery dead for an administrator to replay.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import enum
import functools
import logging
import threading
import time
import traceback
import uuid
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.functional import Promise

from core import audit, events, prepared
from core.choices import AuditAction, Channel, DeliveryState
from core.models import Delivery, OutboxEvent
from core.rows import deferred_clauses, new as new_row, read_back, readback_sql

log = logging.getLogger(__name__)

BATCH_SIZE = 100


def max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", 8)


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt after `attempts` failures: base × 2^(n-1), capped."""
    base = getattr(settings, "OUTBOX_BACKOFF_SECONDS", 10)
    cap = getattr(settings, "OUTBOX_BACKOFF_MAX_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def json_safe(value):
    """What the outbox can store: model instances become their ids, instants ISO text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (set, frozenset, models.QuerySet)):
        return sorted(json_safe(v) for v in value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID, Promise)):
        return str(value)
    return value


# --- writing ----------------------------------------------------------------------------------
_waker = None
_local = threading.local()


def use_waker(func) -> None:
    """Install what asks for a dispatcher run after commit (core.tasks.deliver_soon)."""
    global _waker
    _waker = func


def _wake():
    if _waker is not None:
        _waker()


def write(published) -> list[Delivery]:
    """Store events and their pending deliveries in the current transaction (see module doc)."""
    now = timezone.now()
    quiet = events.is_quiet()
    rows, wanted = [], []
    for event in published:
        record = event.record
        is_model = isinstance(record, models.Model) and record.pk is not None
        actor = event.actor if getattr(event.actor, "pk", None) else None
        rows.append(new_row(
            OutboxEvent,
            name=event.name, content_type=ContentType.objects.get_for_model(record) if is_model else None,
            object_id=record.pk if is_model else None, object_repr=str(record)[:200] if is_model else "",
            actor=actor, channel=str(event.channel or ""),
            data={**json_safe(event.data), events.QUIET_MARK: True} if quiet else json_safe(event.data),
            occurred_at=event.at or now, created_at=now,
        ))
        wanted.append(events.handlers_for(event))
    if len(rows) == 1 and wanted[0]:
        deliveries = _write_one(rows[0], wanted[0], now)
    else:
        if len(rows) == 1:
            rows[0].save()
        else:
            OutboxEvent.objects.bulk_create(rows, batch_size=1000)
        deliveries = [Delivery(event=row, handler=key, next_attempt_at=now)
                      for row, keys in zip(rows, wanted) for key in keys]
        if deliveries:
            Delivery.objects.bulk_create(deliveries, batch_size=1000)
    if deliveries:
        _wake_after_commit()
    return deliveries


_EVENT_FIELDS = ("name", "content_type", "object_id", "object_repr", "actor", "channel", "data", "occurred_at",
                 "created_at")
_ONE_EVENT_SQL = None


def _one_event_sql():
    """One event and its deliveries in one statement (a data-modifying CTE), SQL written once."""
    global _ONE_EVENT_SQL
    if _ONE_EVENT_SQL is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(OutboxEvent._meta.get_field(name).column) for name in _EVENT_FIELDS)
        _ONE_EVENT_SQL = (
            f"WITH e AS (INSERT INTO {quote(OutboxEvent._meta.db_table)} ({columns}) "
            f"VALUES ({', '.join(['%s'] * len(_EVENT_FIELDS))}) RETURNING {quote('id')}) "
            f"INSERT INTO {quote(Delivery._meta.db_table)} (event_id, handler, state, attempts, next_attempt_at, "
            f"last_error) SELECT e.id, h.handler, %s, 0, %s, '' FROM e, unnest(%s::varchar[]) AS h(handler) "
            f"RETURNING {quote('id')}, event_id, handler"
        )
    return _ONE_EVENT_SQL


@functools.cache
def _event_fields():
    return [OutboxEvent._meta.get_field(name) for name in _EVENT_FIELDS]


def _write_one(row, handlers, now):
    """Write one event with its (at least one) deliveries: what every single publish does, so its
    SQL is written once instead of compiled twice by the ORM (issue 12, third round: the two
    INSERTs were ~8 % of an API create's CPU and a round trip). The rows core.rows holds back
    (a create's audit row, its SLA clocks and their events) ride in it: one statement fewer
    (issue 12, sixth round)."""
    # The connection itself, not django.db.connection: that proxy looks the thread's connection
    # up again on every attribute read (~30 per create here and in the fields' value preparation).
    db = transaction.get_connection()
    params, families = [], []
    clauses = deferred_clauses(db, params, families)
    sql = _one_event_sql()
    if clauses:
        sql = f"WITH {', '.join(clauses)}, {sql.removeprefix('WITH ')}"
    readback = readback_sql(families)
    if readback:
        sql = f"{sql}, {', '.join(readback)}"
    params += [field.get_db_prep_save(getattr(row, field.attname), db) for field in _event_fields()]
    with db.cursor() as cursor:  # prepared once per connection (core.prepared)
        prepared.execute(db, cursor, sql, [*params, DeliveryState.PENDING.value, now, list(handlers)])
        written = cursor.fetchall()
    if families:
        read_back(families, written[0][3:], db)
    row.pk = written[0][1]
    row._state.adding, row._state.db = False, db.alias
    by_handler = {handler: pk for pk, _event, handler, *_ids in written}
    deliveries = [new_row(Delivery, id=by_handler[key], event=row, handler=key, next_attempt_at=now)
                  for key in handlers]
    for delivery in deliveries:
        delivery._state.adding, delivery._state.db = False, db.alias
    return deliveries


def _wake_after_commit():
    if getattr(_local, "dispatching", False):
        return  # the running dispatcher's next batch picks the new deliveries up
    if connection.in_atomic_block:
        # One wake-up per atomic block, however many events it published (a wake-up registered
        # in an enclosing block is not relied on: tests capture callbacks per block).
        current = set(connection.savepoint_ids)
        if any(callback is _wake and set(sids) == current
               for sids, callback, *_rest in connection.run_on_commit):
            return
    transaction.on_commit(_wake)


# --- delivering -------------------------------------------------------------------------------
def deliver_due(*, batch_size=BATCH_SIZE, time_budget=60.0, handlers=None) -> int:
    """Deliver pending deliveries that are due, batch after batch, until none is left or the
    time budget is spent. Returns how many deliveries were attempted."""
    deadline = time.monotonic() + time_budget
    attempted = 0
    outer, _local.dispatching = getattr(_local, "dispatching", False), True
    try:
        while time.monotonic() < deadline:
            done = _deliver_batch(batch_size, handlers)
            attempted += done
            if not done:  # (a short batch is not the end: its handlers may have published more)
                break
    finally:
        _local.dispatching = outer
    return attempted


def _deliver_batch(batch_size, handlers=None) -> int:
    with transaction.atomic():
        now = timezone.now()
        claimed = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            .select_related("event", "event__actor").order_by("next_attempt_at", "id")[:batch_size]
        )
        if not claimed:
            return 0
        records = _records(d.event for d in claimed)
        batches = defaultdict(list)
        for delivery in claimed:
            if events.is_batched(delivery.handler):
                batches[delivery.handler].append(delivery)
            else:
                _attempt([delivery], records, handlers)
        for group in batches.values():
            _attempt(group, records, handlers, batched=True)
        delivered = [d.pk for d in claimed if d.state == DeliveryState.DELIVERED]
        if delivered:  # the common case, in one statement
            Delivery.objects.filter(pk__in=delivered).update(
                state=DeliveryState.DELIVERED, attempts=models.F("attempts") + 1, delivered_at=timezone.now(),
                last_error="")
        for delivery in claimed:
            if delivery.state != DeliveryState.DELIVERED:
                delivery.save(update_fields=["state", "attempts", "next_attempt_at", "last_error"])
    return len(claimed)


def _records(rows):
    """The events' records, one query per record type, keyed by (content type id, object id)."""
    wanted = defaultdict(set)
    for row in rows:
        if row.content_type_id is not None:
            wanted[row.content_type_id].add(row.object_id)
    found = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for pk, record in model._default_manager.in_bulk(list(ids)).items():
            found[(content_type_id, pk)] = record
    return found


def as_event(delivery, records=None) -> events.Event:
    row = delivery.event
    record = (records or {}).get((row.content_type_id, row.object_id))
    return events.Event(name=row.name, record=record, actor=row.actor, channel=row.channel, data=row.data,
                        at=row.occurred_at, id=row.pk, delivery_id=delivery.pk)


def _attempt(group, records, handlers=None, *, batched=False):
    """Call the handler for one delivery, or once for a group of a batched handler's deliveries."""
    key = group[0].handler
    func = (handlers or {}).get(key) or events.handler(key)
    for delivery in group:
        delivery.attempts += 1
    try:
        if func is None:
            raise LookupError(f"No after-commit handler is registered as {key!r}.")
        # What a handler of quietly published events publishes is quiet too (events.quiet).
        quiet = all(d.event.data.get(events.QUIET_MARK) for d in group)
        with transaction.atomic(), (events.quiet() if quiet else contextlib.nullcontext()):
            if batched:
                func([as_event(d, records) for d in group])
            else:
                func(as_event(group[0], records))
    except Exception as error:  # noqa: BLE001 - whatever a handler raises, the outbox retries it
        message = "".join(traceback.format_exception_only(error)).strip()[:2000]
        for delivery in group:
            _failed(delivery, message)
        return
    for delivery in group:
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""


def _failed(delivery, message):
    delivery.last_error = message
    if delivery.attempts >= max_attempts():
        delivery.state = DeliveryState.DEAD
        log.error("outbox delivery %s (%s of %s) is dead after %s attempts: %s", delivery.pk,
                  delivery.handler, delivery.event.name, delivery.attempts, message)
    else:
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        log.warning("outbox delivery %s (%s) failed, attempt %s: %s", delivery.pk, delivery.handler,
                    delivery.attempts, message)


# --- administration ---------------------------------------------------------------------------
@transaction.atomic
def replay(deliveries, *, actor, channel=Channel.WEB) -> int:
    """Send dead (or any) deliveries again from scratch: pending, no attempts, due now; audited."""
    now = timezone.now()
    rows = list(Delivery.objects.select_for_update().filter(pk__in=[getattr(d, "pk", d) for d in deliveries])
                .exclude(state=DeliveryState.PENDING, attempts=0).select_related("event"))
    for delivery in rows:
        audit.record(delivery, actor=actor, channel=channel, action=AuditAction.UPDATED, field="state",
                     old=delivery.state, new=DeliveryState.PENDING, at=now,
                     context={"replayed": True, "event": delivery.event.name, "handler": delivery.handler,
                              "attempts": delivery.attempts, "last_error": delivery.last_error[:500]})
        delivery.state, delivery.attempts, delivery.next_attempt_at = DeliveryState.PENDING, 0, now
        delivery.delivered_at = None
    Delivery.objects.bulk_update(rows, ["state", "attempts", "next_attempt_at", "delivered_at"])
    if rows:
        _wake_after_commit()
    return len(rows)


def prune(*, older_than: timedelta, now=None) -> int:
    """Delete events older than `older_than` whose every delivery was delivered (or that had
    none); pending and dead ones stay. Returns how many events were deleted."""
    cutoff = (now or timezone.now()) - older_than
    unfinished = Delivery.objects.filter(event=models.OuterRef("pk")).exclude(state=DeliveryState.DELIVERED)
    deleted, _by_model = (OutboxEvent.objects.filter(created_at__lt=cutoff)
                          .exclude(models.Exists(unfinished)).delete())
    return deleted
