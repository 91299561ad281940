"""The sweep: running clocks whose next warning or breach is due, settled in batches.

Each batch is one transaction selecting `FOR UPDATE SKIP LOCKED` over the partial index on
next_check_at, so concurrent sweeps split the work and never wait on each other; it locks the
clocks' tickets the same way, since a recorded breach writes the ticket's SLA standing
(sla.rowstate), and leaves a ticket being changed right now to the next sweep. Warnings and
breaches are recorded at their true instants with plain-row writes (sla.fastsql) and published as
sla.warning / sla.breached events; the outbox executes their escalations after the batch commits.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core import audit
from core.choices import AuditAction, Channel
from sla import fastsql, rowstate
from sla.calendars import calendar_for_definition
from sla.choices import BREACH_PERCENT, ClockState, EventKind
from sla.engine import create_escalation_runs, publish_thresholds, settle
from sla.models import ClockEvent, SLAClock


def sweep(*, now=None, batch_size=500, max_batches=None):
    """Record due warnings and breaches of running clocks, exactly once, at their true instants.

    Each batch is one transaction: `SELECT … FOR UPDATE SKIP LOCKED` over the partial index
    on next_check_at, so concurrent sweeps split the work and never wait on each other.
    Escalation work is enqueued when the batch commits. Returns the number of clocks settled.
    """
    now = now or timezone.now()
    total, batches = 0, 0
    rules_cache = {}
    # The common case is "nothing due": answer it with one index probe, outside a transaction.
    if not SLAClock.objects.filter(state=ClockState.RUNNING, next_check_at__lte=now).exists():
        return 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            clocks = list(
                SLAClock.objects.filter(state=ClockState.RUNNING, next_check_at__lte=now)
                .order_by("next_check_at")
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("definition", "definition__calendar")[:batch_size]
            )
            if not clocks:
                break
            tickets = _lock_tickets(clocks)
            settled = [clock for clock in clocks if (clock.content_type_id, clock.object_id) in tickets]
            if settled:
                _settle_batch(settled, now, rules_cache, tickets)
        total += len(settled)
        batches += 1
        # A batch whose tickets are all being changed right now settles nothing: their clocks wait
        # for the next sweep rather than being asked for again at once.
        if len(clocks) < batch_size or not settled:
            break
    return total


def _lock_tickets(clocks):
    """{(content type, id): ticket (number and title) or None} of the clocks' tickets this batch may
    settle: the ones it locked, and the ones that no longer exist (None).

    A recorded breach writes its ticket's SLA standing (sla.rowstate), so the sweep locks the
    ticket rows too. It skips those locked by a transaction in flight: that one has locked the
    ticket and waits for its clocks (every service locks in that order), which this batch holds;
    waiting for the ticket here would be a deadlock. Their clocks are settled by the next sweep."""
    result = {}
    for content_type_id, ids in _ids_by_type(clocks).items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            result.update({(content_type_id, pk): None for pk in ids})
            continue
        names = {f.attname for f in model._meta.concrete_fields}
        queryset = model._base_manager.filter(pk__in=sorted(ids)).order_by("pk")
        if {"number", "title"} <= names:
            queryset = queryset.only("pk", "number", "title")  # all the audit row's object_repr needs
        for ticket in queryset.select_for_update(skip_locked=True, of=("self",)):
            result[(content_type_id, ticket.pk)] = ticket
        unseen = ids - {pk for ct, pk in result if ct == content_type_id}
        if unseen:  # locked by someone else, or gone
            present = set(model._base_manager.filter(pk__in=sorted(unseen)).values_list("pk", flat=True))
            result.update({(content_type_id, pk): None for pk in unseen - present})
    return result


def _ids_by_type(clocks):
    """{content type id: {ticket ids}} of the clocks."""
    by_type = {}
    for clock in clocks:
        by_type.setdefault(clock.content_type_id, set()).add(clock.object_id)
    return by_type


def _settle_batch(clocks, now, rules_cache, tickets):
    recorded_at = timezone.now()
    events, crossed, audits = [], [], []
    for clock in clocks:
        calendar = calendar_for_definition(clock.definition)
        for percent, instant in settle(clock, calendar, clock.definition, now):
            kind = EventKind.BREACH if percent == BREACH_PERCENT else EventKind.WARNING
            events.append(_event_row(clock, kind, instant, calendar, percent, recorded_at))
            crossed.append((clock, percent, instant))
    _update_settled(clocks)
    _refresh_standing(clock for clock, percent, _instant in crossed if percent == BREACH_PERCENT)
    fastsql.insert_dicts(ClockEvent, events)
    for clock, percent, instant in crossed:
        ticket = tickets.get((clock.content_type_id, clock.object_id))
        audits.append(_audit_row(ticket, ContentType.objects.get_for_id(clock.content_type_id), clock, percent,
                                 instant, recorded_at))
    audit.record_many(audits)
    runs = create_escalation_runs(crossed, rules_cache)
    publish_thresholds(crossed, lambda c: tickets.get((c.content_type_id, c.object_id)), runs)


def _update_settled(clocks):
    fastsql.update(clocks, ["state", "due_at", "next_check_at", "breached_at", "warnings_sent"])


def _refresh_standing(breached_clocks):
    """A recorded breach changes its ticket's SLA standing (sla.rowstate): one UPDATE per ticket type."""
    for content_type_id, ids in _ids_by_type(breached_clocks).items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            rowstate.refresh(model, sorted(ids))


def _audit_row(ticket, content_type, clock, percent, instant, recorded_at):
    """An audit row (as a dict for core.audit.record_many) for a threshold recorded by the sweep."""
    kind = "breach" if percent == BREACH_PERCENT else "warning"
    return {
        "content_type_id": content_type.pk, "object_id": clock.object_id,
        "object_repr": str(ticket)[:200] if ticket else "", "action": AuditAction.SLA.value,
        "field": f"sla_{clock.kind}_{kind}", "old_value": None, "new_value": percent, "actor_id": None,
        "channel": Channel.SYSTEM.value,
        "context": {"clock": clock.pk, "definition": clock.definition.name, "kind": clock.kind, "threshold": percent,
                    "at": instant.isoformat(), "recorded_at": recorded_at.isoformat()},
        "created_at": instant,
    }


def _event_row(clock, kind, at, calendar, threshold, recorded_at):
    """A ClockEvent row (as a dict for fastsql) for a threshold recorded by the sweep."""
    return {
        "clock_id": clock.pk, "kind": kind.value, "at": at, "recorded_at": recorded_at, "actor_id": None,
        "calendar_id": clock.definition.calendar_id, "calendar_fingerprint": calendar.fingerprint,
        "threshold": threshold, "target_minutes": clock.target_minutes,
        "elapsed_business_seconds": clock.target_minutes * 60 * threshold // 100, "due_at": clock.due_at, "data": {},
    }
