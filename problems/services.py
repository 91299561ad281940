"""Problem use cases: the only writers of problems. Atomic, audited, actor and channel explicit.

Built on core.services (numbering, version check under a row lock, audit rows, links).
Effects on other record types go through their own services where those exist.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from accounts import roles
from core import audit
from core import services as core_services
from core.choices import AuditAction
from changes import services as change_services
from core.exceptions import DomainError, PermissionRefused
from incidents import services as incident_services
from incidents.choices import ResolutionCode
from incidents.models import Incident
from problems import selectors, workflow
from problems.choices import ProblemState
from problems.models import Problem

# Link sets a problem keeps; each is audited by core.services.set_links.
LINK_FIELDS = ("incidents", "configuration_items", "changes")



def _require_desk(actor):
    if not roles.is_agent(actor):
        raise PermissionRefused(_("Only service desk staff can work on problems."))


def available_link_fields():
    """The link sets a problem keeps (incidents, CIs and changes are always installed)."""
    return LINK_FIELDS


def _facts(values):
    return workflow.ProblemFacts(root_cause=values.get("root_cause") or "", workaround=values.get("workaround") or "")


def _reopen_clears(current, target):
    # Entering resolved/closed is stamped by core.services.transition (Problem.lifecycle.timestamps).
    if current == ProblemState.RESOLVED and target == ProblemState.INVESTIGATION:
        return {"resolved_at": None}
    return {}


def _check_changes(problem, changes):
    """Run the guards over the problem as it would be after `changes` (a move's own guards run in
    core.services.transition)."""
    core_services.check_editable(Problem, changes, None, is_agent=True)
    after = {name: getattr(problem, name) for name in ("state", "root_cause", "workaround", "known_error")}
    after.update({k: v for k, v in changes.items() if k in after})
    facts = _facts(after)
    if "state" in changes:
        pass
    elif problem.state in (ProblemState.KNOWN_ERROR, ProblemState.RESOLVED, ProblemState.CLOSED):
        # Editing fields the current state's guard relies on must keep the guard satisfied.
        if problem.state == ProblemState.KNOWN_ERROR and not (facts.root_cause.strip() or facts.workaround.strip()):
            raise DomainError(_("A known error needs a root cause or a workaround."), field="workaround")
        if problem.state != ProblemState.KNOWN_ERROR and "root_cause" in changes and not facts.root_cause.strip():
            raise DomainError(_("A resolved problem keeps its root cause."), field="root_cause")
    if after["known_error"] and (changes.get("known_error") or "state" in changes or "root_cause" in changes
                                 or "workaround" in changes):
        workflow.check_publish_known_error(after["state"], facts)


def create_problem(*, actor, channel, incidents=(), configuration_items=(), changes=(), now=None, **fields):
    """Open a problem on its own or with links; a problem opened as a known error is checked as one."""
    _require_desk(actor)
    fields.setdefault("state", ProblemState.NEW)
    core_services.check_editable(Problem, fields, actor, creating=True)
    facts = _facts(fields)
    state = fields["state"]
    if state not in (ProblemState.NEW, ProblemState.INVESTIGATION, ProblemState.KNOWN_ERROR):
        raise DomainError(_("A new problem starts as new, under investigation or known error."), field="state")
    if state == ProblemState.KNOWN_ERROR:
        workflow.check_transition(ProblemState.NEW, state, facts)
    if fields.get("known_error"):
        workflow.check_publish_known_error(state, facts)
    links = {"incidents": incidents, "configuration_items": configuration_items, "changes": changes}
    m2m = {}
    for name, targets in links.items():
        ids = sorted({getattr(t, "pk", t) for t in targets or ()})
        if ids:
            if name not in available_link_fields():
                raise DomainError(_("Linking %(field)s is not available.") % {"field": name}, field=name)
            m2m[name] = ids
    with transaction.atomic():
        problem = core_services.create_ticket(Problem, actor=actor, channel=channel, m2m=m2m, now=now, **fields)
        selectors.refresh_search([problem.pk])
        for name, ids in m2m.items():
            audit.record(problem, actor=actor, channel=channel, action=AuditAction.LINKED, field=name,
                         old=[], new=ids, at=problem.created_at)
    return problem


def raise_problem_from_incidents(incidents, *, actor, channel, title=None, description=None, now=None, **fields):
    """Open one problem for one or many incidents, with their CIs linked.

    Each incident gets an audit row saying which problem now covers it.
    """
    incidents = list(incidents)
    if not incidents:
        raise DomainError(_("Choose at least one incident."), field="incidents")
    first = incidents[0]
    title = title or first.title
    if description is None:
        description = "\n".join(f"{i.number}: {i.title}" for i in incidents)
    cis = {getattr(i, "configuration_item_id", None) for i in incidents} - {None}
    cis |= set(fields.pop("configuration_items", ()) or ())
    with transaction.atomic():
        problem = create_problem(actor=actor, channel=channel, title=title, description=description,
                                 incidents=incidents, configuration_items=cis, now=now, **fields)
        for incident in incidents:
            audit.record(incident, actor=actor, channel=channel, action=AuditAction.LINKED, field="problems",
                         new=[problem.pk], context={"problem": problem.number}, at=problem.created_at)
    return problem


def update_problem(problem, *, actor, channel, changes, expected_version=None, now=None, audit_context=None):
    """Change fields and/or the state of a problem; the workflow guards run on the result.

    Returns (problem, diff). A stale `expected_version` raises StaleVersion and nothing changes.
    """
    _require_desk(actor)
    now = now or timezone.now()
    changes = dict(changes)
    with transaction.atomic():
        locked = core_services.lock_for_update(problem, expected_version)
        if changes.get("state") == ProblemState.CANCELLED and locked.known_error:
            # A cancelled problem leaves the known-error database.
            changes["known_error"] = False
        _check_changes(locked, changes)
        if "assignment_group" in changes or "assigned_to" in changes:
            core_services.assignment_changes(
                group=changes.get("assignment_group", locked.assignment_group),
                person=changes.get("assigned_to", locked.assigned_to),
            )
        target = changes.pop("state", locked.state)
        if target != locked.state:
            current = locked.state
            updated, diff = core_services.transition(
                locked, target, actor=actor, channel=channel, changes=changes, is_agent=True, now=now,
                prepare=lambda _locked, _facts: _reopen_clears(current, target), audit_context=audit_context,
            )
        else:
            updated, diff = core_services.update_ticket(
                locked, actor=actor, channel=channel, changes=changes, now=now, audit_context=audit_context,
            )
        if set(diff) & set(selectors.SEARCHED_FIELDS):
            selectors.refresh_search([updated.pk])
    return updated, diff


def transition_problem(problem, target, *, actor, channel, expected_version=None, now=None, **fields):
    """Move a problem to `target`, optionally setting fields its guard needs (root cause, workaround)."""
    return update_problem(problem, actor=actor, channel=channel, changes={**fields, "state": target},
                          expected_version=expected_version, now=now)


def set_problem_links(problem, *, field, targets, actor, channel, expected_version=None):
    """Replace one link set (incidents, configuration_items, changes), audited."""
    _require_desk(actor)
    if field not in available_link_fields():
        raise DomainError(_("Unknown link: %(field)s.") % {"field": field}, field=field)
    related = Problem._meta.get_field(field).related_model
    ids = {getattr(t, "pk", t) for t in targets}
    try:
        ids = {int(i) for i in ids}
    except (TypeError, ValueError):
        raise DomainError(_("Give record ids."), field=field) from None
    found = set(related._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        missing = ", ".join(str(i) for i in sorted(ids - found))
        raise DomainError(_("No such records: %(ids)s.") % {"ids": missing}, field=field, code="does_not_exist")
    return core_services.set_links(problem, field=field, targets=ids, actor=actor, channel=channel,
                                   expected_version=expected_version)


def link_record(problem, *, field, target, actor, channel):
    current = set(getattr(problem, field).values_list("pk", flat=True))
    return set_problem_links(problem, field=field, targets=current | {getattr(target, "pk", target)},
                             actor=actor, channel=channel)


def unlink_record(problem, *, field, target, actor, channel):
    current = set(getattr(problem, field).values_list("pk", flat=True))
    return set_problem_links(problem, field=field, targets=current - {getattr(target, "pk", target)},
                             actor=actor, channel=channel)


def apply_known_error(problem, incident, *, actor, channel):
    """Link a known error to an incident and apply its workaround there as a work note.

    The incident joins problem.incidents (audited on the problem); the work note is written on
    the incident through core.services.add_comment (audited on the incident).
    """
    _require_desk(actor)
    if not problem.known_error or problem.state == ProblemState.CANCELLED:
        raise DomainError(_("%(number)s is not a published known error.") % {"number": problem.number})
    with transaction.atomic():
        already = problem.incidents.filter(pk=incident.pk).exists()
        if not already:
            link_record(problem, field="incidents", target=incident, actor=actor, channel=channel)
        body = _("Known error %(number)s applied: %(title)s") % {"number": problem.number, "title": problem.title}
        if problem.workaround:
            body += "\n\n" + _("Workaround:") + "\n" + problem.workaround
        elif problem.root_cause:
            body += "\n\n" + _("Root cause:") + "\n" + problem.root_cause
        comment = core_services.add_comment(incident, actor=actor, channel=channel, body=body, internal=True)
    return comment


# --- resolving incidents covered by a problem ---------------------------------------------

# The incidents a problem's fix leaves unresolved: the incident type's declared open states.
INCIDENT_OPEN_STATES = Incident.lifecycle.open


def open_incidents(problem):
    return problem.incidents.filter(state__in=INCIDENT_OPEN_STATES).order_by("pk")


def resolve_incident(incident, *, actor, channel, notes):
    """Resolve one incident covered by the problem, through the incidents' own use case."""
    return incident_services.resolve(incident, actor=actor, channel=channel,
                                     code=ResolutionCode.SOLVED_PERMANENTLY, notes=notes)


def resolve_problem(problem, *, actor, channel, root_cause=None, resolve_incidents=False, resolution_notes="",
                    expected_version=None, now=None):
    """Resolve a problem and, if asked, every open incident it covers (each audited).

    Returns (problem, resolved_incidents).
    """
    changes = {"state": ProblemState.RESOLVED}
    if root_cause is not None:
        changes["root_cause"] = root_cause
    with transaction.atomic():
        problem, _diff = update_problem(problem, actor=actor, channel=channel, changes=changes,
                                        expected_version=expected_version, now=now)
        resolved = []
        if resolve_incidents:
            resolved = resolve_open_incidents(problem, actor=actor, channel=channel, notes=resolution_notes)
    return problem, resolved


def resolve_open_incidents(problem, *, actor, channel, notes=""):
    """Resolve the open incidents of a resolved problem in one action."""
    _require_desk(actor)
    if problem.state not in (ProblemState.RESOLVED, ProblemState.CLOSED):
        raise DomainError(_("Resolve the problem before resolving its incidents."), field="state")
    notes = (notes or "").strip() or _("Resolved by the fix of problem %(number)s.\n\nRoot cause: %(cause)s") % {
        "number": problem.number, "cause": problem.root_cause,
    }
    resolved = []
    with transaction.atomic():
        for incident in open_incidents(problem):
            resolved.append(resolve_incident(incident, actor=actor, channel=channel, notes=notes))
        if resolved:
            # One row on the problem naming the incidents (each incident has its own state row).
            audit.record(problem, actor=actor, channel=channel, action=AuditAction.UPDATED,
                         field="incidents", new=[i.pk for i in resolved],
                         context={"resolved_incidents": [i.pk for i in resolved],
                                  "message": ngettext("%(count)s incident resolved with the problem.",
                                                      "%(count)s incidents resolved with the problem.",
                                                      len(resolved)) % {"count": len(resolved)}})
    return resolved


# --- raising a change from a problem ----------------------------------------------------

def can_raise_change():
    return True


def raise_change_from_problem(problem, *, actor, channel, title=None, description=None, **fields):
    """Create a change request for a problem's permanent fix and link it to the problem."""
    _require_desk(actor)
    description = description if description is not None else "\n\n".join(
        part for part in (
            _("Permanent fix for problem %(number)s: %(title)s") % {"number": problem.number, "title": problem.title},
            problem.root_cause and _("Root cause: %(cause)s") % {"cause": problem.root_cause},
        ) if part
    )
    with transaction.atomic():
        fields.setdefault("affected_cis", list(problem.configuration_items.values_list("pk", flat=True)))
        change = change_services.create_change(actor=actor, channel=channel, title=title or _("Fix: %(title)s") % {"title": problem.title},
                         description=description, **fields)
        link_record(problem, field="changes", target=change, actor=actor, channel=channel)
    return change
