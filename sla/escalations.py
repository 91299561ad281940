"""Executing escalation runs: the side effects of a warning or a breach.

The sweep only creates EscalationRun rows (unique per rule, clock and threshold) inside its
transaction and publishes sla.warning / sla.breached; the outbox then calls `run_for_events`
after commit. Each run is claimed under a row lock and marked done in the same transaction as
its database effects, so a redelivery finds it done and does nothing. Each executed run
publishes `sla.escalated`; its mail and webhook are outbox deliveries of their own (`send_mail`,
`call_webhook`), retried with backoff and dead-lettered, never sent inside a transaction that
holds clock locks.
"""

from __future__ import annotations

import json
import logging
import urllib.request

from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, events
from core.choices import AuditAction, Channel
from sla import fastsql
from sla.choices import BREACH_PERCENT, EscalationAction
from sla.history import business_minutes
from sla.models import EscalationRun

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = 5  # seconds; a slow receiver must not hold the dispatcher


def run_pending(clock_ids, *, now=None):
    """Execute every pending run of these clocks in one transaction; returns how many it executed.

    Runs already claimed by another worker (row locked) are skipped, runs already done are
    not selected: a redelivered or duplicated task does nothing twice.
    """
    return _process({"clock_id__in": list(clock_ids)}, now=now)


def run_for_events(batch):
    """Outbox handler (batched) of sla.warning / sla.breached: execute those clocks' pending runs
    together, as a breach storm needs."""
    run_pending(sorted({event.data["clock"] for event in batch}))


def execute(run_id, *, now=None):
    """Claim one run and apply its action; 1 if this call did it, 0 if done or claimed elsewhere."""
    return _process({"pk": run_id}, now=now)


def _describe(run, ticket):
    clock = run.clock
    what = _("breached") if run.threshold == BREACH_PERCENT else _("reached %(p)s%% of") % {"p": run.threshold}
    return _("%(ticket)s: %(kind)s target of %(definition)s %(what)s its %(minutes)s at %(at)s.") % {
        "ticket": ticket, "kind": clock.get_kind_display(), "definition": clock.definition.name, "what": what,
        "minutes": business_minutes(clock.target_minutes), "at": timezone.localtime(run.due_at).strftime("%Y-%m-%d %H:%M %Z"),
    }


def _recipients(action, ticket):
    people = []
    if action == EscalationAction.NOTIFY_ASSIGNEE:
        people = [getattr(ticket, "assigned_to", None)]
        if people[0] is None and getattr(ticket, "assignment_group_id", None):
            group = ticket.assignment_group
            return [group.email] if group.email else [m.email for m in group.members.all() if m.email]
    elif action == EscalationAction.NOTIFY_GROUP_MANAGER:
        group = getattr(ticket, "assignment_group", None)
        people = [group.manager if group is not None else None]
    elif action == EscalationAction.NOTIFY_CALLER:
        field = getattr(type(ticket), "REQUESTER_FIELD", None)
        people = [getattr(ticket, field, None) if field else None]
    return [p.email for p in people if p is not None and p.email]


def _tickets(runs):
    """The tickets of these runs, one query per ticket type, with what the actions read."""
    from django.contrib.contenttypes.models import ContentType

    by_type = {}
    for run in runs:
        by_type.setdefault(run.clock.content_type_id, set()).add(run.clock.object_id)
    result = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        names = {f.name for f in model._meta.get_fields()}
        related = [n for n in ("assignment_group", "assigned_to") if n in names]
        if "assignment_group" in names:
            related.append("assignment_group__manager")
        requester = getattr(model, "REQUESTER_FIELD", None)
        if requester:
            related.append(requester)
        for pk, ticket in model._default_manager.select_related(*related).in_bulk(list(ids)).items():
            result[(content_type_id, pk)] = ticket
    return result


def _process(lookup, *, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        runs = list(EscalationRun.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(done_at__isnull=True, **lookup)
                    .select_related("rule", "rule__target_group", "clock", "clock__definition")
                    .order_by("id"))
        if not runs:
            return 0
        tickets = _tickets(runs)
        audits, escalated = [], []
        for run in runs:
            key = (run.clock.content_type_id, run.clock.object_id)
            ticket = tickets.get(key)
            run.attempts += 1
            run.done_at = now
            if ticket is None:
                run.result = {"skipped": "ticket gone"}
                continue
            ticket, result, message, context = _apply(run, ticket, now)
            tickets[key] = ticket
            run.result = result
            audits.append(_audit_row(ticket, run, result, message, context, now))
            escalated.append((ticket, _escalated_data(run, ticket, result, message)))
        audit.record_many(audits)
        fastsql.update(runs, ["done_at", "attempts", "result"])
        events.publish_many("sla.escalated", escalated, channel=Channel.SYSTEM, at=now)
        return len(runs)


def _escalated_data(run, ticket, result, message):
    data = {"run": run.pk, "rule": run.rule_id, "action": run.rule.action, "clock": run.clock_id,
            "threshold": run.threshold, "message": message, "recipients": result.get("recipients", [])}
    if data["recipients"]:
        data["subject"] = _("[SLA] %(ticket)s") % {"ticket": ticket}
    return data


def _audit_row(ticket, run, result, message, context, now):
    """The escalation's audit row, as a dict for core.audit.record_many."""
    from django.contrib.contenttypes.models import ContentType

    action = run.rule.action
    return {
        "content_type_id": ContentType.objects.get_for_model(ticket).pk, "object_id": ticket.pk,
        "object_repr": str(ticket)[:200], "action": AuditAction.ESCALATED, "field": action,
        "new_value": message if action == EscalationAction.WORK_NOTE else run.threshold, "actor_id": None,
        "channel": Channel.SYSTEM, "created_at": now,
        "context": {**context, "message": message, **{k: v for k, v in result.items() if k != "action"}},
    }


def _apply(run, ticket, now):
    """Apply one rule's action; returns (ticket, result, message, context). Mail and webhooks
    are not sent here: the sla.escalated event carries them to their outbox handlers."""
    from core import services as core_services

    rule, clock = run.rule, run.clock
    message = rule.message.strip() or _describe(run, ticket)
    result = {"action": rule.action}
    context = {"rule": rule.pk, "clock": clock.pk, "definition": clock.definition.name, "kind": clock.kind,
               "threshold": run.threshold, "due_at": run.due_at.isoformat(), "run": run.pk}
    if rule.action in (EscalationAction.NOTIFY_ASSIGNEE, EscalationAction.NOTIFY_GROUP_MANAGER,
                       EscalationAction.NOTIFY_CALLER):
        result["recipients"] = _recipients(rule.action, ticket)
    elif rule.action == EscalationAction.RAISE_PRIORITY:
        current = getattr(ticket, "priority", None)
        if current is not None and current > 1:
            changes = {"priority": current - 1}
            if hasattr(ticket, "priority_override"):
                changes.update(priority_override=True, priority_override_reason=message[:500])
            ticket, _diff = core_services.update_ticket(ticket, actor=None, channel=Channel.SYSTEM, changes=changes,
                                                        action=AuditAction.ESCALATED, audit_context=context, now=now)
            result["priority"] = [current, current - 1]
        else:
            result["skipped"] = "already highest priority"
    elif rule.action == EscalationAction.REASSIGN:
        group = rule.target_group
        if getattr(ticket, "assignment_group_id", None) != group.pk:
            ticket, _diff = core_services.update_ticket(ticket, actor=None, channel=Channel.SYSTEM,
                                                        changes={"assignment_group": group, "assigned_to": None},
                                                        action=AuditAction.ESCALATED, audit_context=context, now=now)
            result["assignment_group"] = group.pk
        else:
            result["skipped"] = "already with that group"
    elif rule.action == EscalationAction.WORK_NOTE:
        result["note"] = message
    elif rule.action == EscalationAction.WEBHOOK:
        result["webhook"] = "queued"
    return ticket, result, message, context


def webhook_payload(run):
    clock = run.clock
    return {
        "event": "sla.breach" if run.threshold == BREACH_PERCENT else "sla.warning",
        "run": run.pk, "threshold": run.threshold, "due_at": run.due_at.isoformat(),
        "clock": {"id": clock.pk, "kind": clock.kind, "state": clock.state, "definition": clock.definition.name,
                  "target_minutes": clock.target_minutes},
        "ticket": {"type": clock.content_type.model, "id": clock.object_id,
                   "number": getattr(clock.ticket, "number", None)},
    }


# --- outbox handlers of sla.escalated -----------------------------------------------------------
def send_mail(event):
    """Mail an escalation notice. The Message-ID is the delivery's idempotency key, so a retry
    after a lost acknowledgement is recognisable as the same message."""
    data = event.data
    message = EmailMessage(data["subject"], data["message"], None, data["recipients"],
                           headers={"Message-ID": f"<{event.idempotency_key}@{DNS_NAME}>"})
    message.send(fail_silently=False)


def call_webhook(event):
    """POST the escalation to its webhook with a timeout; the run id is the idempotency key.

    A failure raises, and the outbox retries with backoff until the delivery is dead.
    """
    run = EscalationRun.objects.select_related("rule", "clock", "clock__definition", "clock__content_type") \
        .filter(pk=event.data["run"]).first()
    if run is None or (run.result or {}).get("webhook") == "delivered":
        return
    body = json.dumps(webhook_payload(run)).encode()
    request = urllib.request.Request(run.rule.webhook_url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Idempotency-Key": f"sla-escalation-{run.pk}"})
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310 (admin-set URL)
        status = response.status
    EscalationRun.objects.filter(pk=run.pk).update(result={**run.result, "webhook": "delivered", "status": status})
