"""Use cases of continuity: the only writers of plans, tests and invocations.

A major change (emergency, or high risk) implemented or closed on a plan's service, or on a CI
the service needs, demands a re-test (continuity.wiring subscribes to the change events); a
passing test dated on or after that day clears it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cmdb.graph import impact_distances
from continuity import rules
from continuity.models import ContinuityPlan, ContinuityTest, Invocation
from core import audit, events
from core.exceptions import DomainError
from documents.choices import DocumentKind

PLAN_FIELDS = ("document", "services", "invocation_criteria", "rto_minutes", "rpo_minutes", "contacts", "steps",
               "test_interval_days")
TEST_FIELDS = ("plan", "date", "kind", "result", "findings", "rto_achieved_minutes")
INVOCATION_FIELDS = ("plan", "started", "ended", "reason", "incident")
CONTINUITY_KINDS = (DocumentKind.BCP, DocumentKind.DRP)


def _check_contacts(contacts):
    if not isinstance(contacts, list) or not all(isinstance(c, dict) and isinstance(c.get("name"), str)
                                                 and c["name"].strip() for c in contacts):
        raise DomainError(_("Each contact is an object with at least a name."), field="contacts")
    for contact in contacts:
        if any(not isinstance(v, str) or len(v) > 200 for v in contact.values()):
            raise DomainError(_("Contact details are texts of at most 200 characters."), field="contacts")


def _check_steps(steps):
    if not isinstance(steps, list) or not all(isinstance(s, str) and s.strip() and len(s) <= 2000 for s in steps):
        raise DomainError(_("Steps are a list of non-empty texts, in order."), field="steps")


def _apply_plan(plan, fields):
    services = fields.pop("services", None)
    for name, value in fields.items():
        if name in PLAN_FIELDS:
            setattr(plan, name, value)
    _check_contacts(plan.contacts)
    _check_steps(plan.steps)
    if plan.document_id and plan.document.kind not in CONTINUITY_KINDS:
        raise DomainError(_("A continuity plan is a document of kind BCP or DRP."), field="document")
    plan.full_clean(exclude=["services", "document"])
    return services


@transaction.atomic
def create_plan(*, actor, channel, **fields) -> ContinuityPlan:
    document = fields.get("document")
    if document is not None and ContinuityPlan.objects.filter(document=document).exists():
        raise DomainError(_("This document already has a continuity plan."), field="document")
    plan = ContinuityPlan()
    services = _apply_plan(plan, dict(fields))
    plan.save()
    if services is not None:
        plan.services.set(services)
    audit.record_creation(plan, actor=actor, channel=channel, fields=PLAN_FIELDS)
    events.publish("continuity_plan.created", plan, actor=actor, channel=channel)
    return plan


@transaction.atomic
def update_plan(plan, *, actor, channel, changes: dict) -> ContinuityPlan:
    locked = ContinuityPlan.objects.select_for_update().select_related("document").get(pk=plan.pk)
    before = audit.snapshot(locked, PLAN_FIELDS)
    changes = {k: v for k, v in changes.items() if k != "document"}
    services = _apply_plan(locked, dict(changes))
    locked.save()
    if services is not None:
        locked.services.set(services)
    diff = audit.changes_between(before, audit.snapshot(locked, PLAN_FIELDS))
    if diff:
        audit.record_changes(locked, actor=actor, channel=channel, changes=diff)
        events.publish("continuity_plan.changed", locked, actor=actor, channel=channel, data={"fields": sorted(diff)})
    return locked


@transaction.atomic
def record_test(plan, *, actor, channel, now=None, **fields) -> ContinuityTest:
    """Record a test; a passing one dated on or after a demanded re-test clears it."""
    now = now or timezone.now()
    locked = ContinuityPlan.objects.select_for_update().get(pk=plan.pk)
    test = ContinuityTest(plan=locked, recorded_by=actor if getattr(actor, "pk", None) else None,
                          **{k: v for k, v in fields.items() if k in TEST_FIELDS and k != "plan"})
    if test.date and test.date > timezone.localdate(now):
        raise DomainError(_("A test cannot be recorded before it takes place."), field="date")
    test.full_clean(exclude=["plan", "recorded_by"])
    test.save()
    audit.record_creation(test, actor=actor, channel=channel, fields=TEST_FIELDS)
    events.publish("continuity_test.recorded", test, actor=actor, channel=channel,
                   data={"plan": locked.pk, "result": test.result})
    if locked.retest_required and rules.clears_retest(
            result=test.result, test_date=test.date,
            since=timezone.localdate(locked.retest_since) if locked.retest_since else None):
        _set_retest(locked, required=False, reason="", since=None, change=None, actor=actor, channel=channel)
    return test


def _set_retest(plan, *, required, reason, since, change, actor, channel):
    before = audit.snapshot(plan, ("retest_required", "retest_reason", "retest_since", "retest_change"))
    plan.retest_required, plan.retest_reason, plan.retest_since, plan.retest_change = required, reason, since, change
    plan.save(update_fields=["retest_required", "retest_reason", "retest_since", "retest_change", "updated_at"])
    after = audit.snapshot(plan, ("retest_required", "retest_reason", "retest_since", "retest_change"))
    audit.record_changes(plan, actor=actor, channel=channel, changes=audit.changes_between(before, after))
    events.publish("continuity_plan.retest_required" if required else "continuity_plan.retest_cleared", plan,
                   actor=actor, channel=channel, data={"change": getattr(change, "pk", None)})


def plans_affected_by(ci_ids) -> list[ContinuityPlan]:
    """Plans whose services are among `ci_ids` or need one of them (downstream in the CMDB)."""
    ids = set(ci_ids)
    if not ids:
        return []
    ids |= set(impact_distances(ids))
    return list(ContinuityPlan.objects.filter(services__in=ids).distinct().select_related("document"))


@transaction.atomic
def demand_retest_after_change(change, *, actor, channel) -> list[ContinuityPlan]:
    """A major change to a covered service: each plan covering it needs a re-test."""
    if not rules.is_major_change(change_type=change.type, risk=change.risk or ""):
        return []
    affected = set(change.affected_cis.values_list("pk", flat=True)) | set(change.impacted_services or [])
    demanded = []
    for plan in plans_affected_by(affected):
        locked = ContinuityPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.retest_required and locked.retest_change_id == change.pk:
            continue  # the same change seen again (implemented, then closed)
        reason = _("Major change %(number)s: %(title)s") % {"number": change.number, "title": change.title}
        _set_retest(locked, required=True, reason=reason[:300], since=timezone.now(), change=change, actor=actor,
                    channel=channel)
        demanded.append(locked)
    return demanded


@transaction.atomic
def record_invocation(plan, *, actor, channel, **fields) -> Invocation:
    invocation = Invocation(plan=plan, recorded_by=actor if getattr(actor, "pk", None) else None,
                            **{k: v for k, v in fields.items() if k in INVOCATION_FIELDS and k != "plan"})
    if invocation.ended and invocation.started and invocation.ended < invocation.started:
        raise DomainError(_("An invocation cannot end before it started."), field="ended")
    invocation.full_clean(exclude=["plan", "recorded_by", "incident"])
    invocation.save()
    audit.record_creation(invocation, actor=actor, channel=channel, fields=INVOCATION_FIELDS)
    events.publish("continuity_invocation.recorded", invocation, actor=actor, channel=channel,
                   data={"plan": plan.pk})
    return invocation


@transaction.atomic
def update_invocation(invocation, *, actor, channel, changes: dict) -> Invocation:
    locked = Invocation.objects.select_for_update().get(pk=invocation.pk)
    before = audit.snapshot(locked, INVOCATION_FIELDS)
    for name in ("started", "ended", "reason", "incident"):
        if name in changes:
            setattr(locked, name, changes[name])
    if locked.ended and locked.ended < locked.started:
        raise DomainError(_("An invocation cannot end before it started."), field="ended")
    locked.full_clean(exclude=["plan", "recorded_by", "incident"])
    locked.save()
    diff = audit.changes_between(before, audit.snapshot(locked, INVOCATION_FIELDS))
    if diff:
        audit.record_changes(locked, actor=actor, channel=channel, changes=diff)
        events.publish("continuity_invocation.changed", locked, actor=actor, channel=channel,
                       data={"fields": sorted(diff)})
    return locked
