"""Incident use cases: the only writers of incident rows.

Each takes the actor and the channel (core.choices.Channel) as keyword arguments, runs in
one transaction on top of core.services (numbering, version check under a row lock, audit
rows, ticket events), calls the pure rules in workflow.py and priority.py, and publishes
incident events whose e-mail notifications the outbox sends after commit (incidents.notifications).
"""

import copy

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from cmdb import graph
from cmdb.models import ConfigurationItem
from core import events, memo, services as core
from core.choices import AuditAction, Channel
from core.exceptions import DomainError, PermissionRefused
from incidents import conf, priority, search, workflow
from incidents.choices import Impact, IncidentChannel, IncidentState, OnHoldReason, ResolutionCode
from incidents.models import AssignmentRule, Incident

SOURCE_BY_CHANNEL = {
    Channel.WEB: IncidentChannel.AGENT,
    Channel.PORTAL: IncidentChannel.PORTAL,
    Channel.API: IncidentChannel.API,
    Channel.EMAIL: IncidentChannel.EMAIL,
    Channel.MONITORING: IncidentChannel.MONITORING,
    Channel.SYSTEM: IncidentChannel.AGENT,
}

CLASSIFICATION_FIELDS = (
    "title", "description", "caller", "category", "subcategory", "service", "configuration_item",
    "impact", "urgency", "priority", "priority_override", "priority_override_reason", "is_major", "parent",
)
ASSIGNMENT_FIELDS = ("assignment_group", "assigned_to")
STATE_FIELDS = ("state", "on_hold_reason", "resolution_code", "resolution_notes")


# --- classification and routing ------------------------------------------------------------

def suggest_service(configuration_item):
    """The business service a CI supports: itself if it is one, else the nearest the CMDB graph finds."""
    if configuration_item is None:
        return None
    if configuration_item.is_business_service:
        return configuration_item
    found = graph.business_services_impacted([configuration_item.pk])
    return found[0] if found else None


def active_rules():
    """The active routing rules in order with their groups, kept in the process until a rule or
    a team changes (core.memo, watched in IncidentsConfig.ready): a query of every create."""
    return memo.memoised("incidents.assignment_rules", lambda: list(
        AssignmentRule.objects.filter(active=True).select_related("assignment_group")))


def route(*, category=None, subcategory=None, service=None, configuration_item=None):
    """The assignment group of the first active AssignmentRule that matches, or None."""
    category_ids = {c.pk for c in (category, subcategory) if c is not None}
    for rule in active_rules():
        if rule.category_id and rule.category_id not in category_ids:
            continue
        if rule.service_id and rule.service_id != getattr(service, "pk", None):
            continue
        if rule.use_ci_owner_group:
            if configuration_item is not None and configuration_item.owner_group_id:
                return configuration_item.owner_group
            continue
        # a copy: the kept rule's row is shared by every request of the process
        return copy.copy(rule.assignment_group)
    return None


def _check_parent(parent, *, child_pk=None):
    if parent is None:
        return
    if child_pk is not None and parent.pk == child_pk:
        raise DomainError(_("An incident cannot be its own major incident."), field="parent")
    if not parent.is_major:
        raise DomainError(_("%(number)s is not a major incident.") % {"number": parent.number}, field="parent")


# --- notifications -------------------------------------------------------------------------

def _notify(incident, kind, *, actor, channel):
    """Publish `incident.<kind>`; its e-mail leaves from the outbox after commit (incidents.apps).

    `incident.created`, `incident.commented` and the state moves (`incident.resolved`,
    `incident.reopened`) are published by core.services itself."""
    events.publish(f"incident.{kind}", incident, actor=actor, channel=channel)


# --- use cases -----------------------------------------------------------------------------

@transaction.atomic
def open_incident(*, actor, channel, title, caller=None, description="", impact=3, urgency=3, priority=None,
                  priority_override_reason="", category=None, subcategory=None, service=None,
                  configuration_item=None, assignment_group=None, assigned_to=None, is_major=False, parent=None,
                  source=None, service_down=False, files=(), now=None):
    """Record a new incident: priority from the matrix, service suggested from the CI, routed by rules."""
    now = now or timezone.now()
    if not roles.is_agent(actor):
        # End users report for themselves; classification beyond the basics is the desk's job
        # (the API refuses those fields with a 403 first: core.services.check_creatable). The
        # channel is the one the report came through.
        caller, assignment_group, assigned_to, priority, is_major, parent = actor, None, None, None, False, None
        impact, category, subcategory, configuration_item, source = Impact.LOW, None, None, None, None
        if service is not None and not ConfigurationItem.objects.visible_to(actor).business_services() \
                .filter(pk=service.pk).exists():
            raise DomainError(_("Choose one of the services offered."), field="service")
    caller = caller or actor
    value, overridden = _priority(impact, urgency, priority, priority_override_reason)
    if service is None and configuration_item is not None:
        service = suggest_service(configuration_item)
    if assignment_group is None and assigned_to is None:
        assignment_group = route(category=category, subcategory=subcategory, service=service,
                                 configuration_item=configuration_item)
    if assignment_group is not None or assigned_to is not None:
        core.assignment_changes(group=assignment_group, person=assigned_to)
    _check_parent(parent)
    incident = core.insert_ticket(  # this function's atomic block is the create's (no savepoint)
        Incident, actor=actor, channel=channel, now=now,
        audit_context={"priority_override_reason": priority_override_reason} if overridden else None,
        title=(title or "").strip(), description=description or "", caller=caller,
        values={"channel": source or SOURCE_BY_CHANNEL.get(channel, IncidentChannel.AGENT)},
        category=category, subcategory=subcategory, service=service, configuration_item=configuration_item,
        impact=impact, urgency=urgency, priority=value, priority_override=overridden,
        priority_override_reason=priority_override_reason if overridden else "",
        assignment_group=assignment_group, assigned_to=assigned_to, is_major=is_major, parent=parent,
        service_down=bool(service_down) and roles.is_agent(actor), state=IncidentState.NEW,
    )
    for upload in files:
        core.add_attachment(incident, actor=actor, channel=channel, upload=upload, now=now)
    # The search document was written with the row (core.services.create_ticket).
    if assigned_to is not None:
        _notify(incident, "assigned", actor=actor, channel=channel)
    return incident


def _priority(impact, urgency, requested, reason):
    return priority.decide_priority(impact=impact, urgency=urgency, requested=requested, reason=reason,
                                    matrix=conf.priority_matrix())


@transaction.atomic
def update_incident(incident, *, actor, channel, changes, expected_version=None, now=None, system=False):
    """Apply field changes, including a state change, as one audited use case.

    `changes` maps field names to values (model instances for relations). A stale
    `expected_version` raises StaleVersion before anything is written. Returns the fresh row.
    `system=True` is for the product's own moves (auto-close, caller reply resumes work).
    """
    now = now or timezone.now()
    changes = dict(changes)
    is_agent = system or roles.is_agent(actor)
    # An end user changes the state of their own incident (withdraw, confirm, reopen), nothing else.
    core.check_editable(Incident, changes, actor, is_agent=is_agent)
    if changes and not is_agent and incident.caller_id != getattr(actor, "pk", None):
        raise PermissionRefused(_("Only the service desk can change this incident."))
    locked = core.lock_for_update(incident, expected_version)
    classification = _classification_changes(locked, changes)
    assignment = _assignment_changes(locked, changes)
    state_changes = _state_corrections(locked, changes)

    groups = [
        (classification, AuditAction.UPDATED),
        (assignment, AuditAction.ASSIGNED),
        (state_changes, AuditAction.TRANSITIONED),
    ]
    all_diff = {}
    for group_changes, action in groups:
        if not group_changes:
            continue
        context = None
        if group_changes.get("priority_override"):
            context = {"reason": group_changes.get("priority_override_reason", locked.priority_override_reason)}
        locked, diff = core.update_ticket(locked, actor=actor, channel=channel, changes=group_changes,
                                          action=action, audit_context=context, now=now)
        all_diff.update(diff)
    target = changes.get("state")
    if target is not None and target != locked.state:
        locked, diff = _move(locked, target, changes, actor=actor, channel=channel, is_agent=is_agent, now=now)
        all_diff.update(diff)
    if not all_diff:
        return locked
    if set(Incident.SEARCH_FIELDS) & set(all_diff):
        search.refresh([locked.pk])
    _after_change(locked, all_diff, actor=actor, channel=channel, now=now)
    return locked


def _classification_changes(locked, changes):
    result = {k: changes[k] for k in CLASSIFICATION_FIELDS if k in changes}
    if "title" in result:
        result["title"] = (result["title"] or "").strip()
        if not result["title"]:
            raise DomainError(_("A title is required."), field="title", code="required")
    if result.get("configuration_item") is not None and "service" not in result and not locked.service_id:
        suggested = suggest_service(result["configuration_item"])
        if suggested is not None:
            result["service"] = suggested
    if "category" in result and "subcategory" not in result and locked.subcategory_id:
        new_category = result["category"]
        if new_category is None or locked.subcategory.parent_id != new_category.pk:
            result["subcategory"] = None
    if "parent" in result:
        _check_parent(result["parent"], child_pk=locked.pk)

    # Priority: the matrix decides unless someone overrides it with a reason.
    touched = {"impact", "urgency", "priority", "priority_override", "priority_override_reason"} & set(result)
    if touched:
        impact = result.get("impact", locked.impact)
        urgency = result.get("urgency", locked.urgency)
        reason = result.pop("priority_override_reason", None)
        requested = result.pop("priority", None)
        keep_override = result.pop("priority_override", None)
        if keep_override is False:
            value, overridden = _priority(impact, urgency, None, "")
            reason = ""
        elif requested is None and locked.priority_override:
            value, overridden = locked.priority, True
            reason = locked.priority_override_reason if reason is None else reason
            if not (reason or "").strip():
                raise DomainError(_("Overriding the priority needs a reason."), field="priority_override_reason")
        else:
            value, overridden = _priority(impact, urgency, requested, reason or "")
            reason = (reason or "") if overridden else ""
        result.update(priority=value, priority_override=overridden, priority_override_reason=reason)
    return result


def _assignment_changes(locked, changes):
    if not set(ASSIGNMENT_FIELDS) & set(changes):
        return {}
    group = changes.get("assignment_group", locked.assignment_group)
    person = changes.get("assigned_to", locked.assigned_to)
    if "assigned_to" not in changes and person is not None and group is not None \
            and group.pk != locked.assignment_group_id and not group.members.filter(pk=person.pk).exists():
        person = None  # handing over to another group releases the current assignee
    return core.assignment_changes(group=group, person=person)


def _state_corrections(locked, changes):
    """Without a move, the state fields may be corrected only where they apply."""
    target = changes.get("state")
    if target is not None and target != locked.state:
        return {}
    result = {}
    if "on_hold_reason" in changes and locked.state == IncidentState.ON_HOLD:
        if changes["on_hold_reason"] not in OnHoldReason.values:
            raise DomainError(_("Choose why the incident is on hold."), field="on_hold_reason")
        result["on_hold_reason"] = changes["on_hold_reason"]
    if locked.state == IncidentState.RESOLVED:
        for name in ("resolution_code", "resolution_notes"):
            if name in changes:
                result[name] = changes[name] or ""
        if "resolution_code" in result and result["resolution_code"] not in ResolutionCode.values:
            raise DomainError(_("Choose a resolution code."), field="resolution_code")
        if "resolution_notes" in result and not result["resolution_notes"].strip():
            raise DomainError(_("Describe how the incident was resolved."), field="resolution_notes")
    return result


def _move(locked, target, changes, *, actor, channel, is_agent, now):
    """The state move, through core.services.transition (guards, timestamps, audit, event)."""
    facts = workflow.facts_for(locked, changes, now=now, reopen_window_days=conf.reopen_window_days())
    current = locked.state

    def prepare(locked, facts):
        result = workflow.fields_cleared_by(current, target)
        if target == IncidentState.ON_HOLD:
            result["on_hold_reason"] = facts.on_hold_reason
        elif target == IncidentState.RESOLVED:
            result.update(resolution_code=facts.resolution_code, resolution_notes=facts.resolution_notes.strip())
        if workflow.is_reopen(current, target):
            result["reopen_count"] = locked.reopen_count + 1
        if target == IncidentState.IN_PROGRESS and locked.first_responded_at is None and is_agent:
            result["first_responded_at"] = now
        return result

    return core.transition(locked, target, actor=actor, channel=channel, is_agent=is_agent, facts=facts,
                           prepare=prepare, now=now)


def _after_change(incident, diff, *, actor, channel, now):
    if "assigned_to" in diff and incident.assigned_to_id and incident.assigned_to_id != getattr(actor, "pk", None):
        _notify(incident, "assigned", actor=actor, channel=channel)
    # incident.resolved and incident.reopened are published by core.services.transition.


def transition(incident, *, actor, channel, target, expected_version=None, now=None, **fields):
    """Move the incident to `target`; `fields` carries on_hold_reason or the resolution."""
    return update_incident(incident, actor=actor, channel=channel, changes={"state": target, **fields},
                           expected_version=expected_version, now=now)


def assign(incident, *, actor, channel, group, person=None, expected_version=None, now=None):
    return update_incident(incident, actor=actor, channel=channel,
                           changes={"assignment_group": group, "assigned_to": person},
                           expected_version=expected_version, now=now)


@transaction.atomic
def resolve(incident, *, actor, channel, code, notes, expected_version=None, resolve_children=False, now=None):
    """Resolve; for a major incident optionally resolve its open child incidents with it."""
    now = now or timezone.now()
    incident = transition(incident, actor=actor, channel=channel, target=IncidentState.RESOLVED,
                          resolution_code=code, resolution_notes=notes, expected_version=expected_version, now=now)
    if resolve_children:
        child_notes = _("Resolved with major incident %(number)s: %(notes)s") % {
            "number": incident.number, "notes": notes,
        }
        for child in incident.children.filter(state__in=[IncidentState.NEW, IncidentState.IN_PROGRESS,
                                                          IncidentState.ON_HOLD]):
            transition(child, actor=actor, channel=channel, target=IncidentState.RESOLVED,
                       resolution_code=ResolutionCode.RESOLVED_BY_PARENT, resolution_notes=child_notes, now=now)
    return incident


def reopen(incident, *, actor, channel, reason="", expected_version=None, now=None):
    """The caller (within the window) or the desk reopens a resolved incident, with a public reason."""
    now = now or timezone.now()
    with transaction.atomic():
        incident = transition(incident, actor=actor, channel=channel, target=IncidentState.IN_PROGRESS,
                              expected_version=expected_version, now=now)
        if reason.strip():
            comment(incident, actor=actor, channel=channel, body=reason, now=now, notify=False)
            incident.refresh_from_db()
    return incident


def close(incident, *, actor, channel, expected_version=None, now=None, system=False):
    return update_incident(incident, actor=actor, channel=channel, changes={"state": IncidentState.CLOSED},
                           expected_version=expected_version, now=now, system=system)


def cancel(incident, *, actor, channel, expected_version=None, now=None):
    return transition(incident, actor=actor, channel=channel, target=IncidentState.CANCELLED,
                      expected_version=expected_version, now=now)


@transaction.atomic
def comment(incident, *, actor, channel, body, internal=False, files=(), now=None, notify=True):
    """Add a comment or work note. The caller's reply resumes an incident awaiting them."""
    now = now or timezone.now()
    if not roles.is_agent(actor) and incident.caller_id != getattr(actor, "pk", None):
        raise PermissionRefused(_("You cannot comment on this incident."))
    note = core.add_comment(incident, actor=actor, channel=channel, body=body, internal=internal, files=files,
                            now=now, notify=notify)
    if note is None:
        return None
    if not internal and roles.is_agent(actor) and incident.first_responded_at is None:
        Incident.objects.filter(pk=incident.pk, first_responded_at__isnull=True).update(first_responded_at=now)
        incident.first_responded_at = now
    if not internal:
        search.refresh([incident.pk])
    if (incident.caller_id == actor.pk and incident.state == IncidentState.ON_HOLD
            and incident.on_hold_reason == OnHoldReason.AWAITING_CALLER):
        update_incident(incident, actor=actor, channel=channel, changes={"state": IncidentState.IN_PROGRESS},
                        now=now, system=True)
    return note


def bulk_update(incidents, *, actor, channel, changes, now=None):
    """Apply the same changes to many incidents, each in its own transaction.

    Returns (updated, refused) where refused maps an incident number to the reason.
    """
    if not roles.is_agent(actor):
        raise PermissionRefused(_("Only the service desk can update incidents in bulk."))
    now = now or timezone.now()
    updated, refused = [], {}
    for incident in incidents:
        try:
            updated.append(update_incident(incident, actor=actor, channel=channel, changes=changes, now=now))
        except DomainError as error:
            refused[incident.number] = str(error.message)
    return updated, refused


def auto_close_resolved(*, now=None, batch=500):
    """Close resolved incidents nobody reopened within INCIDENT_AUTO_CLOSE_DAYS. Safe to run twice."""
    now = now or timezone.now()
    from datetime import timedelta

    cutoff = now - timedelta(days=conf.auto_close_days())
    closed = 0
    ids = list(Incident.objects.filter(state=IncidentState.RESOLVED, resolved_at__lte=cutoff)
               .order_by("resolved_at").values_list("pk", flat=True)[:batch])
    for pk in ids:
        incident = Incident.objects.filter(pk=pk, state=IncidentState.RESOLVED).first()
        if incident is None:
            continue
        close(incident, actor=None, channel=Channel.SYSTEM, now=now, system=True)
        closed += 1
    return closed
