"""Executing escalation runs: the side effects of a warning or a breach.

The sweep only creates EscalationRun rows (unique per rule, clock and threshold) inside its
transaction; these functions run afterwards from Celery. Each run is claimed under a row
lock and marked done in the same transaction as its database effects, so a redelivered
task (acks_late) finds it done and does nothing. Mail and webhooks leave through their
own tasks on commit, never inside a transaction that holds clock locks.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction, Channel
from sla import fastsql
from sla.choices import BREACH_PERCENT, EscalationAction
from sla.models import EscalationRun

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=2)


def run_pending(clock_ids, *, now=None):
    """Execute every pending run of these clocks in one transaction; returns how many it executed.

    Runs already claimed by another worker (row locked) are skipped, runs already done are
    not selected: a redelivered or duplicated task does nothing twice.
    """
    return _process({"clock_id__in": list(clock_ids)}, now=now)


def execute(run_id, *, now=None):
    """Claim one run and apply its action; 1 if this call did it, 0 if done or claimed elsewhere."""
    return _process({"pk": run_id}, now=now)


def requeue_stale(*, now=None):
    """Runs whose task was lost (broker flushed, worker killed before acking) are sent again."""
    now = now or timezone.now()
    clock_ids = sorted(set(EscalationRun.objects.filter(done_at__isnull=True, created_at__lt=now - STALE_AFTER)
                           .values_list("clock_id", flat=True)[:5000]))
    if clock_ids:
        from sla.engine import enqueue_escalations

        enqueue_escalations(clock_ids)
    return len(clock_ids)


def _describe(run, ticket):
    clock = run.clock
    what = _("breached") if run.threshold == BREACH_PERCENT else _("reached %(p)s%% of") % {"p": run.threshold}
    return _("%(ticket)s: %(kind)s target of %(definition)s %(what)s its %(minutes)s business minutes at %(at)s.") % {
        "ticket": ticket, "kind": clock.get_kind_display(), "definition": clock.definition.name, "what": what,
        "minutes": clock.target_minutes, "at": timezone.localtime(run.due_at).strftime("%Y-%m-%d %H:%M %Z"),
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
        audits, after_commit = [], []
        for run in runs:
            key = (run.clock.content_type_id, run.clock.object_id)
            ticket = tickets.get(key)
            run.attempts += 1
            run.done_at = now
            if ticket is None:
                run.result = {"skipped": "ticket gone"}
                continue
            ticket, result, message, context = _apply(run, ticket, now, after_commit)
            tickets[key] = ticket
            run.result = result
            audits.append(_audit_row(ticket, run, result, message, context, now))
        audit.record_many(audits)
        fastsql.update(runs, ["done_at", "attempts", "result"])
        for callback in after_commit:
            transaction.on_commit(callback)
        return len(runs)


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


def _apply(run, ticket, now, after_commit):
    """Apply one rule's action; returns (ticket, result, message, context)."""
    from core import services as core_services
    from sla import tasks

    rule, clock = run.rule, run.clock
    message = rule.message.strip() or _describe(run, ticket)
    result = {"action": rule.action}
    context = {"rule": rule.pk, "clock": clock.pk, "definition": clock.definition.name, "kind": clock.kind,
               "threshold": run.threshold, "due_at": run.due_at.isoformat(), "run": run.pk}
    if rule.action in (EscalationAction.NOTIFY_ASSIGNEE, EscalationAction.NOTIFY_GROUP_MANAGER,
                       EscalationAction.NOTIFY_CALLER):
        recipients = _recipients(rule.action, ticket)
        result["recipients"] = recipients
        if recipients:
            subject = _("[SLA] %(ticket)s") % {"ticket": ticket}
            run_id = run.pk
            after_commit.append(lambda: tasks.send_escalation_mail.delay(run_id, recipients, subject, message))
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
        run_id = run.pk
        after_commit.append(lambda: tasks.call_webhook.delay(run_id))
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
