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
from sla.choices import BREACH_PERCENT, EscalationAction
from sla.models import EscalationRun

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=2)


def run_pending(clock_ids, *, now=None):
    """Execute every pending run of these clocks; returns how many this call executed."""
    done = 0
    ids = list(EscalationRun.objects.filter(clock_id__in=clock_ids, done_at__isnull=True)
               .order_by("id").values_list("id", flat=True))
    for run_id in ids:
        done += execute(run_id, now=now)
    return done


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


def execute(run_id, *, now=None):
    """Claim one run and apply its action; 1 if this call did it, 0 if done or claimed elsewhere."""
    from core import services as core_services

    now = now or timezone.now()
    with transaction.atomic():
        run = (EscalationRun.objects.select_for_update(skip_locked=True, of=("self",))
               .select_related("rule", "rule__target_group", "clock", "clock__definition")
               .filter(pk=run_id, done_at__isnull=True).first())
        if run is None:
            return 0
        rule, clock = run.rule, run.clock
        ticket = clock.ticket
        run.attempts += 1
        if ticket is None:
            run.done_at, run.result = now, {"skipped": "ticket gone"}
            run.save(update_fields=["done_at", "attempts", "result"])
            return 1
        message = rule.message.strip() or _describe(run, ticket)
        result = {"action": rule.action}
        context = {"rule": rule.pk, "clock": clock.pk, "definition": clock.definition.name, "kind": clock.kind,
                   "threshold": run.threshold, "due_at": run.due_at.isoformat(), "run": run.pk}
        if rule.action in (EscalationAction.NOTIFY_ASSIGNEE, EscalationAction.NOTIFY_GROUP_MANAGER,
                           EscalationAction.NOTIFY_CALLER):
            recipients = _recipients(rule.action, ticket)
            result["recipients"] = recipients
            if recipients:
                from sla import tasks

                subject = _("[SLA] %(ticket)s") % {"ticket": ticket}
                transaction.on_commit(lambda: tasks.send_escalation_mail.delay(run.pk, recipients, subject, message))
        elif rule.action == EscalationAction.RAISE_PRIORITY:
            current = getattr(ticket, "priority", None)
            if current is not None and current > 1:
                changes = {"priority": current - 1}
                if hasattr(ticket, "priority_override"):
                    changes.update(priority_override=True, priority_override_reason=message[:500])
                core_services.update_ticket(ticket, actor=None, channel=Channel.SYSTEM, changes=changes,
                                            action=AuditAction.ESCALATED, audit_context=context, now=now)
                result["priority"] = [current, current - 1]
            else:
                result["skipped"] = "already highest priority"
        elif rule.action == EscalationAction.REASSIGN:
            group = rule.target_group
            if getattr(ticket, "assignment_group_id", None) != group.pk:
                core_services.update_ticket(ticket, actor=None, channel=Channel.SYSTEM,
                                            changes={"assignment_group": group, "assigned_to": None},
                                            action=AuditAction.ESCALATED, audit_context=context, now=now)
                result["assignment_group"] = group.pk
            else:
                result["skipped"] = "already with that group"
        elif rule.action == EscalationAction.WORK_NOTE:
            result["note"] = message
        elif rule.action == EscalationAction.WEBHOOK:
            from sla import tasks

            result["webhook"] = "queued"
            transaction.on_commit(lambda: tasks.call_webhook.delay(run.pk))
        audit.record(ticket, actor=None, channel=Channel.SYSTEM, action=AuditAction.ESCALATED, field=rule.action,
                     new=message if rule.action == EscalationAction.WORK_NOTE else run.threshold,
                     context={**context, "message": message, **{k: v for k, v in result.items() if k != "action"}},
                     at=now)
        run.done_at, run.result = now, result
        run.save(update_fields=["done_at", "attempts", "result"])
        return 1


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
