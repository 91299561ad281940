"""The clock engine: starts, pauses, resumes, re-targets, settles and stops SLA clocks.

Generic over ticket models: it reads `state` with the type's declared Lifecycle (core.tickets),
the declared pause reason, `priority` and the condition fields of whatever ticket it is given.
Called by sla.hooks (subscribers to the ticket events) inside the ticket service's transaction
(the ticket row is locked), and by the sweep (clock rows locked, SKIP LOCKED).

Every change is a ClockEvent carrying the true instant, the calendar and the target in
force, so a clock can be replayed and its breach explained (`explain`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, events, memo, rows
from core.choices import AuditAction, Channel
from core.tickets import Lifecycle, pause_reason
from sla import fastsql, rowstate
from sla.calendars import calendar_for_definition
from sla.choices import (
    BREACH_PERCENT,
    ClockKind,
    ClockState,
    EventKind,
    PriorityChangePolicy,
    ReopenPolicy,
    StopAt,
)
from sla.clock import (NoWorkingTime, add_business_seconds, add_business_seconds_each,
                       business_seconds_between)
from sla.conditions import MATCH_FIELDS, matches, pause_matches
from sla.history import business_minutes, minutes as wall_minutes
from sla.models import ClockEvent, EscalationRule, EscalationRun, SLAClock, SLADefinition

log = logging.getLogger(__name__)

# A ticket type without a declared lifecycle (core.tickets) has no state groups: its clocks start,
# run and stop only by their definitions' rules, never by a guessed state name.
_NO_GROUPS = SimpleNamespace(initial=frozenset(), resolved=frozenset(), terminal=frozenset(),
                             cancelled=frozenset())


def _groups(ticket):
    lifecycle = getattr(type(ticket), "lifecycle", None)
    return lifecycle if isinstance(lifecycle, Lifecycle) else _NO_GROUPS


# --- definitions and targets -----------------------------------------------------------------
def active_definitions(content_type):
    """The active definitions of a ticket type with their calendars and targets, kept in the
    process between requests until a definition, target or calendar changes (core.memo,
    watched in SLAConfig.ready): two queries of every ticket creation (issue 12)."""
    def load():
        return list(SLADefinition.objects.filter(active=True, ticket_type=content_type)
                    .select_related("calendar").prefetch_related("targets"))

    return memo.memoised(f"sla.definitions:{content_type.pk}", load)


def matching_definitions(ticket):
    """Active definitions for this ticket type whose conditions the ticket meets."""
    definitions = active_definitions(ContentType.objects.get_for_model(ticket))
    return [d for d in definitions if matches(d.applies_to, ticket)]


def target_minutes(definition, priority, kind):
    """The definition's target for a priority and clock kind, or None if it sets none."""
    targets = list(definition.targets.all())
    chosen = next((t for t in targets if t.priority == priority), None)
    if chosen is None and priority is None and targets:
        # Ticket types without a priority use the middle (P3) row, else the first.
        chosen = next((t for t in targets if t.priority == 3), targets[0])
    return chosen.minutes_for(kind) if chosen is not None else None


def ticket_target_minutes(definition, ticket, priority, kind):
    """The definition's target for the ticket, unless the ticket sets its own for this kind of
    clock (`sla_target_minutes(kind, default)`: a service request whose catalog items make their
    delivery time the resolution target, fulfilment.models.Request)."""
    minutes = target_minutes(definition, priority, kind)
    own = getattr(ticket, "sla_target_minutes", None)
    return own(kind, minutes) if callable(own) else minutes


def stop_states(definition, ticket):
    """The states that stop a resolution clock: terminal ones, and resolved ones unless the
    definition waits for closure."""
    groups = _groups(ticket)
    return groups.terminal if definition.stop_at == StopAt.CLOSED else groups.resolved | groups.terminal


def _ticket_state(ticket):
    return getattr(ticket, "state", None)


# --- clock arithmetic on rows ----------------------------------------------------------------
@dataclass
class Settled:
    """What settling a clock recorded: (threshold, true instant) pairs, breach included (100)."""

    clock: SLAClock
    crossed: list


def _running(clock):
    return clock.stopped_at is None and clock.paused_at is None and clock.state != ClockState.CANCELLED


def elapsed_at(clock, now, calendar=None):
    """Business seconds counted by the clock up to `now`."""
    if not _running(clock) or clock.segment_started_at is None:
        return clock.elapsed_business_seconds
    calendar = calendar or calendar_for_definition(clock.definition)
    return clock.elapsed_business_seconds + business_seconds_between(calendar, clock.segment_started_at, now)


def _pauses_from_events(clock):
    """(from, to) stretches the clock did not count: pauses, and stops followed by a reopen."""
    pauses, opened = [], None
    for event in clock.events.order_by("at", "id"):
        if event.kind in (EventKind.PAUSE, EventKind.STOP) and opened is None:
            opened = event.at
        elif event.kind in (EventKind.RESUME, EventKind.REOPEN) and opened is not None:
            pauses.append((opened, event.at))
            opened = None
    if opened is not None:
        pauses.append((opened, None))
    return pauses


def instant_at(clock, calendar, seconds):
    """When the clock's count reaches `seconds` (past or future), or None if it never will."""
    if _running(clock) and clock.segment_started_at is not None and seconds > clock.elapsed_business_seconds:
        return add_business_seconds(calendar, clock.segment_started_at, seconds - clock.elapsed_business_seconds)
    # Already counted past it (a lowered target): replay from the start with the pauses.
    return add_business_seconds(calendar, clock.started_at, seconds, _pauses_from_events(clock))


def _pending(clock, definition):
    """(percent, seconds) checks still to record, in order; the breach is 100 %."""
    target = clock.target_minutes * 60
    items = [(p, target * p // 100) for p in definition.warning_thresholds or () if p not in clock.warnings_sent]
    if clock.breached_at is None:
        items.append((BREACH_PERCENT, target))
    return sorted(items, key=lambda item: (item[1], item[0]))


def schedule(clock, calendar, definition):
    """Recompute due_at and next_check_at from the clock's count (no writes)."""
    if not _running(clock):
        if clock.breached_at is None:
            clock.due_at = None if clock.paused_at is not None else clock.due_at
        clock.next_check_at = None
        return
    try:
        pending = _pending(clock, definition)
        check = pending[0][1] if pending else None
        target, done = clock.target_minutes * 60, clock.elapsed_business_seconds
        if (clock.breached_at is None and pending and done < check < target
                and clock.segment_started_at is not None):
            # The next check (a warning) and the due instant, both from the running segment: one walk.
            clock.next_check_at, clock.due_at = add_business_seconds_each(
                calendar, clock.segment_started_at, (check - done, target - done))
        else:
            if clock.breached_at is None:
                clock.due_at = instant_at(clock, calendar, target)
            clock.next_check_at = instant_at(clock, calendar, check) if pending else None
    except NoWorkingTime:
        log.warning("SLA clock %s: its calendar has no working time ahead", clock.pk)
        clock.due_at = clock.due_at if clock.breached_at else None
        clock.next_check_at = None
    if clock.state == ClockState.BREACHED:
        clock.next_check_at = None


def settle(clock, calendar, definition, now):
    """Record every warning and the breach whose true instant is ≤ now; returns them in order."""
    crossed = []
    if not _running(clock) or clock.state != ClockState.RUNNING:
        return crossed
    for percent, seconds in _pending(clock, definition):
        try:
            instant = instant_at(clock, calendar, seconds)
        except NoWorkingTime:
            break
        if instant is None or instant > now:
            break
        crossed.append((percent, instant))
        if percent == BREACH_PERCENT:
            clock.breached_at = instant
            clock.due_at = instant
            clock.state = ClockState.BREACHED
        else:
            clock.warnings_sent = sorted({*clock.warnings_sent, percent})
    schedule(clock, calendar, definition)
    return crossed


def _fold(clock, calendar, now):
    """Bank the business time of the running segment and start a new one at `now`."""
    if _running(clock) and clock.segment_started_at is not None and now > clock.segment_started_at:
        clock.elapsed_business_seconds += business_seconds_between(calendar, clock.segment_started_at, now)
        clock.segment_started_at = now


def _event(clock, kind, at, calendar, definition=None, *, actor=None, threshold=None, **data):
    definition = definition or clock.definition
    return rows.new(
        ClockEvent,
        clock=clock, kind=kind, at=at, recorded_at=timezone.now(), actor=actor if getattr(actor, "pk", None) else None,
        calendar_id=definition.calendar_id, calendar_fingerprint=calendar.fingerprint,
        target_minutes=clock.target_minutes,
        # At a threshold the count is, by definition, that share of the target.
        elapsed_business_seconds=(clock.target_minutes * 60 * threshold // 100 if threshold is not None
                                  else clock.elapsed_business_seconds),
        due_at=clock.due_at, threshold=threshold, data={k: v for k, v in data.items() if v is not None},
    )


CLOCK_FIELDS = ["state", "priority", "target_minutes", "segment_started_at", "due_at", "next_check_at", "paused_at",
                "elapsed_business_seconds", "breached_at", "stopped_at", "warnings_sent"]


# --- the ticket-facing engine ----------------------------------------------------------------
class _Session:
    """One hook call: collects events, audit rows and escalation runs, and writes them once."""

    def __init__(self, ticket, *, actor, now, clocks=None):
        self.ticket, self.actor, self.now = ticket, actor, now
        self.events, self.dirty, self.crossed, self.audits = [], {}, [], []
        # All the ticket's clocks (the list grows with the ones the session starts): what its
        # SLA standing is worked out from at the flush (sla.rowstate).
        self.clocks = list(clocks or ())

    def audit(self, **kwargs):
        """An audit row of the ticket; kept for the flush while the ticket has no row yet (a new
        ticket's clocks are planned before its INSERT, plan_start)."""
        if self.ticket.pk is None:
            self.audits.append(kwargs)
        else:
            audit.record(self.ticket, **kwargs)

    def calendar(self, definition):
        return calendar_for_definition(definition)

    def event(self, clock, kind, at=None, **data):
        self.events.append(_event(clock, kind, at or self.now, self.calendar(clock.definition), actor=self.actor,
                                  **data))

    def touch(self, clock):
        self.dirty[id(clock)] = clock

    def settle(self, clock):
        calendar = self.calendar(clock.definition)
        for percent, instant in settle(clock, calendar, clock.definition, self.now):
            kind = EventKind.BREACH if percent == BREACH_PERCENT else EventKind.WARNING
            self.events.append(_event(clock, kind, instant, calendar, threshold=percent))
            self.crossed.append((clock, percent, instant))
        self.touch(clock)

    def flush(self):
        # New clocks (a ticket's response and resolution clocks) and the events go in one INSERT
        # statement, written by core.rows (the ORM's compilation of the two was ~10 % of a
        # create, and they were two statements).
        for kwargs in self.audits:
            audit.record(self.ticket, **kwargs)
        new = {key: clock for key, clock in self.dirty.items() if clock.pk is None}
        for key, clock in self.dirty.items():
            if key not in new:
                clock.save(update_fields=CLOCK_FIELDS)
        # One statement: the events of a new clock get its id inside it (core.rows). Inside
        # core.rows.together() (a ticket's creation) it rides in the creation's outbox statement,
        # unless a threshold crossed now needs the clocks' ids at once (its audit row, runs).
        rows.insert_with_children(new.values(), self.events, "clock", later=not self.crossed)
        for clock, percent, instant in self.crossed:
            record_threshold_audit(self.ticket, clock, percent, instant)
        if self.crossed:
            runs = create_escalation_runs(self.crossed)
            publish_thresholds(self.crossed, lambda clock: self.ticket, runs)
        rowstate.keep(self.ticket, self.clocks)


def plan_start(ticket, *, now, actor=None):
    """Work out a new ticket's clocks before its row is written, and put the SLA standing they
    give on it, so the INSERT carries it (sla.rowstate). start_clocks writes them once the row
    has its id. Not for a ticket that sets its own targets (`sla_target_minutes`: a request's
    come from its items, written after it)."""
    if callable(getattr(ticket, "sla_target_minutes", None)):
        return
    session = _Session(ticket, actor=actor, now=now)
    started = _start(session, ticket, matching_definitions(ticket), reason="created")
    rowstate.set_on(ticket, started)
    ticket._planned_clocks = (session, started)


def start_clocks(ticket, *, now, actor=None):
    """Start a response and a resolution clock for every applicable definition of a new ticket
    (the ones plan_start worked out before its INSERT, if it did)."""
    planned = ticket.__dict__.pop("_planned_clocks", None)
    if planned is not None:
        session, started = planned
        for clock in started:
            clock.object_id = ticket.pk
    else:
        session = _Session(ticket, actor=actor, now=now)
        started = _start(session, ticket, matching_definitions(ticket), reason="created")
    session.flush()
    return started


def _start(session, ticket, definitions, *, reason, kinds=(ClockKind.RESPONSE, ClockKind.RESOLUTION)):
    now, started = session.now, []
    priority = getattr(ticket, "priority", None)
    content_type = ContentType.objects.get_for_model(ticket)
    for definition in definitions:
        calendar = session.calendar(definition)
        for kind in kinds:
            minutes = ticket_target_minutes(definition, ticket, priority, kind)
            if not minutes:
                continue
            state = _ticket_state(ticket)
            if kind == ClockKind.RESPONSE and state is not None and state not in _groups(ticket).initial:
                continue  # already answered (opened straight into work)
            clock = rows.new(SLAClock, content_type=content_type, object_id=ticket.pk, definition=definition,
                             kind=kind, state=ClockState.RUNNING, priority=priority, target_minutes=minutes,
                             started_at=now, segment_started_at=now, created_at=now)
            schedule(clock, calendar, definition)
            session.touch(clock)
            session.event(clock, EventKind.START, reason=reason, priority=priority)
            started.append(clock)
            session.clocks.append(clock)
            _sync_state(session, clock, ticket)
    return started


def _pause(session, clock, reason):
    calendar = session.calendar(clock.definition)
    session.settle(clock)
    _fold(clock, calendar, session.now)
    clock.paused_at = session.now
    if clock.state == ClockState.RUNNING:
        clock.state = ClockState.PAUSED
    schedule(clock, calendar, clock.definition)
    session.touch(clock)
    session.event(clock, EventKind.PAUSE, reason=reason)


def _resume(session, clock, kind=EventKind.RESUME, reason=None):
    calendar = session.calendar(clock.definition)
    clock.paused_at = None
    clock.stopped_at = None
    clock.segment_started_at = session.now
    clock.state = ClockState.BREACHED if clock.breached_at else ClockState.RUNNING
    schedule(clock, calendar, clock.definition)
    session.touch(clock)
    session.event(clock, kind, reason=reason)
    session.settle(clock)


def _stop(session, clock, reason):
    calendar = session.calendar(clock.definition)
    session.settle(clock)
    _fold(clock, calendar, session.now)
    clock.stopped_at = session.now
    clock.paused_at = None
    clock.state = ClockState.BREACHED if clock.breached_at else ClockState.MET
    clock.next_check_at = None
    session.touch(clock)
    session.event(clock, EventKind.STOP, reason=reason)


def _cancel(session, clock, reason):
    calendar = session.calendar(clock.definition)
    session.settle(clock)
    _fold(clock, calendar, session.now)
    clock.stopped_at = session.now
    clock.state = ClockState.CANCELLED
    clock.next_check_at = None
    session.touch(clock)
    session.event(clock, EventKind.CANCEL, reason=reason)
    session.audit(actor=session.actor, channel=Channel.SYSTEM, action=AuditAction.SLA, field="sla",
                  new="cancelled", at=session.now,
                  context={"clock": clock.pk, "definition": clock.definition.name, "kind": clock.kind,
                           "reason": reason})


def _sync_state(session, clock, ticket):
    """Bring one live clock in line with the ticket's state: stop, cancel, pause or resume."""
    if not clock.is_live:
        return
    state = _ticket_state(ticket)
    definition = clock.definition
    if state in _groups(ticket).cancelled:
        _cancel(session, clock, reason=f"ticket {state}")
    elif state in stop_states(definition, ticket):
        _stop(session, clock, reason=f"ticket {state}")
    elif clock.kind == ClockKind.RESPONSE and state is not None and state not in _groups(ticket).initial:
        _stop(session, clock, reason=f"ticket {state}")
    elif pause_matches(definition.pause_states, ticket):
        if clock.paused_at is None:
            hold = pause_reason(ticket)
            _pause(session, clock, reason=f"{state}:{hold}" if hold else state)
    elif clock.paused_at is not None:
        _resume(session, clock, reason=f"ticket {state}")


def _locked_clocks(ticket):
    return list(
        SLAClock.objects.for_object(ticket).select_for_update(of=("self",))
        .select_related("definition", "definition__calendar").order_by("id")
    )


def _prefetch_targets(clocks):
    definitions = {c.definition_id: c.definition for c in clocks}
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(list(definitions.values()), "targets")
    for clock in clocks:
        clock.definition = definitions[clock.definition_id]


def on_ticket_changed(ticket, *, diff, actor, now):
    """Apply a ticket change to its clocks: reopen, re-target, re-match, then pause/resume/stop."""
    clocks = _locked_clocks(ticket)
    _prefetch_targets(clocks)
    session = _Session(ticket, actor=actor, now=now, clocks=clocks)
    state = _ticket_state(ticket)

    if "state" in diff:
        old_state, new_state = diff["state"]
        _reopen(session, ticket, clocks, old_state, new_state)

    if "priority" in diff:
        _retarget(session, ticket, clocks, *diff["priority"])

    if MATCH_FIELDS & set(diff) and state not in _groups(ticket).cancelled:
        wanted = {d.pk: d for d in matching_definitions(ticket)}
        for clock in clocks:
            if clock.is_live and clock.definition_id not in wanted:
                _cancel(session, clock, reason="no longer applies: " + ", ".join(sorted(MATCH_FIELDS & set(diff))))
        have = {c.definition_id for c in clocks if c.state != ClockState.CANCELLED}
        fresh = [d for pk, d in wanted.items() if pk not in have]
        if fresh and state not in set().union(*(stop_states(d, ticket) for d in fresh)):
            reason = "now applies: " + ", ".join(sorted(MATCH_FIELDS & set(diff)))
            started = _start(session, ticket, fresh, reason=reason)
            clocks += started
            for definition in {c.definition_id: c.definition for c in started}.values():
                audit.record(ticket, actor=actor, channel=Channel.SYSTEM, action=AuditAction.SLA, field="sla",
                             new="started", at=now,
                             context={"definition": definition.name, "agreement": definition.agreement,
                                      "reason": reason})

    for clock in clocks:
        _sync_state(session, clock, ticket)
    session.flush()


def _reopen(session, ticket, clocks, old_state, new_state):
    for clock in clocks:
        definition = clock.definition
        stops = stop_states(definition, ticket)
        if not (old_state in stops and new_state not in stops and new_state not in _groups(ticket).cancelled):
            continue
        if clock.kind != ClockKind.RESOLUTION or clock.stopped_at is None or clock.state == ClockState.CANCELLED:
            continue
        latest = max((c for c in clocks if c.definition_id == clock.definition_id and c.kind == clock.kind
                      and c.state != ClockState.CANCELLED), key=lambda c: c.id or 0)
        if latest is not clock:
            continue
        if definition.on_reopen == ReopenPolicy.RESTART:
            clocks += _start(session, ticket, [definition], reason="reopened (restart)", kinds=(ClockKind.RESOLUTION,))
        else:
            _resume(session, clock, kind=EventKind.REOPEN, reason=f"{old_state} → {new_state}")


def _retarget(session, ticket, clocks, old_priority, new_priority):
    for clock in list(clocks):
        if not clock.is_live:
            continue
        definition = clock.definition
        minutes = target_minutes(definition, new_priority, clock.kind)
        if definition.on_priority_change == PriorityChangePolicy.RESTART and minutes:
            _cancel(session, clock, reason=f"priority {old_priority} → {new_priority} (restart)")
            clocks += _start(session, ticket, [definition], reason="priority change (restart)", kinds=(clock.kind,))
            continue
        if not minutes:
            _cancel(session, clock, reason=f"no target for priority {new_priority}")
            continue
        calendar = session.calendar(definition)
        session.settle(clock)
        _fold(clock, calendar, session.now)
        old_minutes = clock.target_minutes
        clock.target_minutes = minutes
        clock.priority = new_priority
        schedule(clock, calendar, definition)
        session.touch(clock)
        session.event(clock, EventKind.RETARGET, old_priority=old_priority, new_priority=new_priority,
                      old_target=old_minutes, new_target=minutes)
        audit.record(ticket, actor=session.actor, channel=Channel.SYSTEM, action=AuditAction.SLA, field="sla_target",
                     old=old_minutes, new=minutes, at=session.now,
                     context={"clock": clock.pk, "definition": definition.name, "kind": clock.kind,
                              "old_priority": old_priority, "new_priority": new_priority})
        session.settle(clock)
    # Clocks started by restart already appear in `clocks` for the state sync.


def mark_responded(ticket, *, actor, now):
    """The desk answered publicly: live response clocks stop (met unless already breached)."""
    every = _locked_clocks(ticket)
    clocks = [c for c in every if c.kind == ClockKind.RESPONSE and c.is_live]
    if not clocks:
        return
    session = _Session(ticket, actor=actor, now=now, clocks=every)
    for clock in clocks:
        _stop(session, clock, reason="responded")
    session.flush()


def resync(ticket, *, actor, now):
    """Re-apply pause/resume/stop from the ticket's current state (e.g. after a requester reply)."""
    clocks = _locked_clocks(ticket)
    if not any(c.is_live for c in clocks):
        return
    session = _Session(ticket, actor=actor, now=now, clocks=clocks)
    for clock in clocks:
        _sync_state(session, clock, ticket)
    session.flush()


# --- thresholds: audit and escalation runs ---------------------------------------------------
def record_threshold_audit(ticket, clock, percent, instant, *, recorded_at=None):
    kind = "breach" if percent == BREACH_PERCENT else "warning"
    return audit.record(
        ticket, actor=None, channel=Channel.SYSTEM, action=AuditAction.SLA, field=f"sla_{clock.kind}_{kind}",
        new=percent, at=instant,
        context={"clock": clock.pk, "definition": clock.definition.name, "kind": clock.kind,
                 "threshold": percent, "at": instant.isoformat(), "due_at": clock.due_at.isoformat()
                 if clock.due_at else None, "recorded_at": (recorded_at or timezone.now()).isoformat()},
    )


def create_escalation_runs(crossed, rules_by_definition=None):
    """Runs for the rules of each crossed threshold; unique per (rule, clock, threshold).

    When a catch-up records a warning and the breach together, only the breach escalates:
    warning someone about a deadline already missed is noise.
    """
    rules_by_definition = rules_by_definition if rules_by_definition is not None else {}
    breached_now = {clock.pk for clock, percent, _at in crossed if percent == BREACH_PERCENT}
    runs, clock_ids = [], set()
    for clock, percent, instant in crossed:
        if percent != BREACH_PERCENT and clock.pk in breached_now:
            continue
        rules = rules_by_definition.get(clock.definition_id)
        if rules is None:
            rules = list(EscalationRule.objects.filter(definition_id=clock.definition_id, active=True))
            rules_by_definition[clock.definition_id] = rules
        for rule in rules:
            if rule.threshold == percent and (not rule.kind or rule.kind == clock.kind):
                runs.append({"rule_id": rule.pk, "clock_id": clock.pk, "threshold": percent, "due_at": instant,
                             "created_at": timezone.now(), "done_at": None, "attempts": 0, "result": {}})
                clock_ids.add(clock.pk)
    if runs:
        fastsql.insert_dicts(EscalationRun, runs, ignore_conflicts=True)
    return runs


def publish_thresholds(crossed, ticket_of, runs=()):
    """Publish `sla.warning` / `sla.breached` for each crossed threshold, at its true instant.

    `escalations` counts the runs created for it: only those events get an outbox delivery to
    the escalation handler (sla.apps), which executes the runs after commit.
    """
    escalating = {}
    for run in runs:
        key = (run["clock_id"], run["threshold"])
        escalating[key] = escalating.get(key, 0) + 1
    by_name = {"sla.warning": [], "sla.breached": []}
    for clock, percent, instant in crossed:
        ticket = ticket_of(clock)
        data = {"clock": clock.pk, "kind": clock.kind, "definition": clock.definition.name, "threshold": percent,
                "target_minutes": clock.target_minutes, "due_at": clock.due_at,
                "ticket": {"type": ContentType.objects.get_for_id(clock.content_type_id).model,
                           "id": clock.object_id, "number": getattr(ticket, "number", None)},
                "escalations": escalating.get((clock.pk, percent), 0)}
        name = "sla.breached" if percent == BREACH_PERCENT else "sla.warning"
        by_name[name].append((ticket if ticket is not None else clock, data, instant))
    for name, items in by_name.items():
        if items:
            events.publish_many(name, items, channel=Channel.SYSTEM)


# --- explanation -----------------------------------------------------------------------------
def explain(clock, *, now=None):
    """A 'why this breached (or not)' timeline: each event with the business time counted so
    far, the target and the calendar in force, and a summary line."""
    now = now or timezone.now()
    events = list(clock.events.select_related("actor", "calendar").order_by("at", "id"))
    steps = []
    for event in events:
        detail = dict(event.data)
        if event.threshold is not None:
            detail["threshold"] = event.threshold
        steps.append({
            "kind": event.kind,
            "label": str(EventKind(event.kind).label),
            "at": event.at,
            "recorded_at": event.recorded_at,
            "actor": str(event.actor) if event.actor_id else None,
            "elapsed_business_seconds": event.elapsed_business_seconds,
            "elapsed_business_minutes": round(event.elapsed_business_seconds / 60, 1),
            "target_minutes": event.target_minutes,
            "due_at": event.due_at,
            "calendar": event.calendar.name if event.calendar_id else _("24×7"),
            "calendar_fingerprint": event.calendar_fingerprint[:12],
            "detail": detail,
        })
    calendar = calendar_for_definition(clock.definition)
    elapsed = elapsed_at(clock, now, calendar)
    paused_seconds = sum(
        int(((end or now) - start).total_seconds()) for start, end in _pauses_from_events(clock)
    )
    if clock.breached_at:
        summary = _("Breached at %(at)s: the target of %(target)s was used up (paused or stopped for "
                    "%(paused)s of wall time, not counted).") % {
            "at": timezone.localtime(clock.breached_at).strftime("%Y-%m-%d %H:%M %Z"),
            "target": business_minutes(clock.target_minutes), "paused": wall_minutes(paused_seconds // 60)}
    elif clock.state == ClockState.MET:
        summary = _("Met: %(used)s of %(target)s used.") % {
            "used": round(elapsed / 60, 1), "target": business_minutes(clock.target_minutes)}
    elif clock.state == ClockState.CANCELLED:
        summary = _("Cancelled; it no longer counts.")
    else:
        summary = _("%(used)s of %(target)s used so far.") % {
            "used": round(elapsed / 60, 1), "target": business_minutes(clock.target_minutes)}
    return {"clock": clock.pk, "summary": summary, "elapsed_business_seconds": elapsed,
            "target_minutes": clock.target_minutes, "breached_at": clock.breached_at, "events": steps}
