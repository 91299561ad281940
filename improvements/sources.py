"""What feeds the register: after-commit subscribers to other apps' events, each raising one item
per source record (improvements.services.raise_from_source is idempotent).

Every subscriber has a predicate asked at publish time, so only the events that raise an item
get an outbox delivery:

| event                     | raises when                                              | source type      |
|---------------------------|----------------------------------------------------------|------------------|
| sla.breached              | a resolution target of a P1/P2 ticket (conf)             | sla_breach       |
| change.closed             | failed or backed out; or its PIR lists follow-up actions | change_review    |
| incident.resolved         | a major incident (its post-incident review)              | incident_review  |
| problem.transitioned/created | the problem becomes a known error (permanent fix due) | problem          |
| voc.created               | kind complaint                                           | complaint        |
| survey.low_score          | always (score ≤ 2)                                       | low_satisfaction |

VOC and surveys are read by event name only (no import): the record comes back from the outbox.
"""

from django.apps import apps
from django.utils.translation import gettext as _

from changes.choices import PIR_OUTCOMES, ChangeType
from core.tickets import Lifecycle
from improvements import conf, services
from improvements.choices import SourceType


def _manager_of(group_id):
    if not group_id:
        return None
    team = apps.get_model("accounts", "Team").objects.select_related("manager").filter(pk=group_id).first()
    return team.manager if team is not None else None


def _lookup(app_model, pk):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return apps.get_model(app_model).objects.filter(pk=pk).first()


def _organisation_of(ticket):
    requester = getattr(type(ticket), "REQUESTER_FIELD", None)
    person = getattr(ticket, requester, None) if requester else None
    return getattr(person, "organisation", None)


def _owner_of(ticket):
    return getattr(ticket, "assigned_to", None) if not ticket.assignment_group_id else \
        (_manager_of(ticket.assignment_group_id) or getattr(ticket, "assigned_to", None))


def _raise(source_type, record, *, title, description="", label="", organisation=None, service=None, owner=None):
    return services.raise_from_source(source_type, record, title=title, description=description, label=label,
                                      organisation=organisation, service=service, owner=owner,
                                      due_days=conf.due_days())


def _data(event, *names):
    for name in names:
        value = event.data.get(name)
        if value not in (None, ""):
            return value
    return None


# --- SLA breaches ------------------------------------------------------------------------------

def is_serious_breach(event):
    # The sweep publishes the clock itself when its ticket is gone: clocks have a priority too.
    return (event.data.get("kind") == "resolution" and _is_ticket(event.record)
            and getattr(event.record, "priority", None) in conf.sla_breach_priorities())


def _is_ticket(record):
    return isinstance(getattr(type(record), "lifecycle", None), Lifecycle)


def on_sla_breached(event):
    ticket = event.record
    if ticket is None or not is_serious_breach(event):
        return
    definition = event.data.get("definition") or ""
    _raise(SourceType.SLA_BREACH, ticket, label=_("%(number)s resolution breach") % {"number": ticket.number},
           title=_("Prevent a repeat of the resolution breach of %(number)s: %(title)s")
           % {"number": ticket.number, "title": ticket.title},
           description=_("%(definition)s: the resolution target of P%(priority)s %(number)s was breached.")
           % {"definition": definition, "priority": ticket.priority, "number": ticket.number},
           organisation=_organisation_of(ticket), service=getattr(ticket, "service", None), owner=_owner_of(ticket))


# --- post-implementation reviews (changes) ---------------------------------------------------

def is_reviewed_change(event):
    change = event.record
    return getattr(change, "outcome", "") in PIR_OUTCOMES or getattr(change, "type", "") == ChangeType.EMERGENCY


def on_change_closed(event):
    change = event.record
    if change is None:
        return
    pir = getattr(change, "pir", None) if hasattr(change, "pir") else None
    follow_up = (getattr(pir, "follow_up_actions", "") or "").strip()
    if change.outcome not in PIR_OUTCOMES and not follow_up:
        return
    parts = [change.get_outcome_display() if change.outcome else ""]
    if pir is not None:
        parts += [pir.summary, pir.lessons_learned, follow_up]
    _raise(SourceType.CHANGE_REVIEW, change, label=_("%(number)s review") % {"number": change.number},
           title=_("Lessons from the review of %(number)s: %(title)s") % {"number": change.number, "title": change.title},
           description="\n\n".join(p for p in parts if p), owner=_owner_of(change))


# --- post-incident reviews (major incidents) --------------------------------------------------

def is_major_incident(event):
    return bool(getattr(event.record, "is_major", False))


def on_major_incident_resolved(event):
    incident = event.record
    if incident is None or not incident.is_major:
        return
    _raise(SourceType.INCIDENT_REVIEW, incident, label=_("%(number)s post-incident review") % {"number": incident.number},
           title=_("Post-incident review of major incident %(number)s: %(title)s")
           % {"number": incident.number, "title": incident.title},
           description=incident.resolution_notes or "", organisation=_organisation_of(incident),
           service=incident.service, owner=_owner_of(incident))


# --- problems --------------------------------------------------------------------------------

def is_new_known_error(event):
    if event.verb == "created":
        return getattr(event.record, "state", "") == "known_error"
    return event.data.get("to") == "known_error"


def on_known_error(event):
    problem = event.record
    if problem is None:
        return
    _raise(SourceType.PROBLEM, problem, label=problem.number,
           title=_("Permanent fix for known error %(number)s: %(title)s")
           % {"number": problem.number, "title": problem.title},
           description="\n\n".join(p for p in (problem.root_cause, problem.workaround) if p),
           owner=_owner_of(problem))


# --- complaints (VOC) and low satisfaction (surveys), by event name only ---------------------

def is_complaint(event):
    return event.data.get("kind") == "complaint"


def on_complaint(event):
    record = event.record
    if record is None:
        return
    number = getattr(record, "number", "") or str(record)
    service = _lookup("cmdb.ConfigurationItem", _data(event, "service", "service_id"))
    _raise(SourceType.COMPLAINT, record, label=number,
           title=_("Complaint %(number)s: %(title)s") % {"number": number, "title": getattr(record, "title", "")},
           description=getattr(record, "description", "") or "",
           organisation=_lookup("accounts.Organisation", _data(event, "organisation", "organisation_id")),
           service=service, owner=_accountable(event, record, service))


def _accountable(event, record, service):
    """Who owns the item: the manager of the group the event names, else of the record's own group,
    else of the group that owns the service (a complaint filed in the portal has no group yet)."""
    for group_id in (_data(event, "assignment_group", "assignment_group_id"),
                     getattr(record, "assignment_group_id", None),
                     getattr(service, "owner_group_id", None)):
        manager = _manager_of(group_id)
        if manager is not None:
            return manager
    return None


def on_low_score(event):
    record = event.record
    if record is None:
        return
    ticket = event.data.get("ticket")
    number = ticket if isinstance(ticket, str) else (event.data.get("ticket_number") or "")
    if isinstance(ticket, dict):
        number = ticket.get("number") or number
    score = event.data.get("score")
    service = _lookup("cmdb.ConfigurationItem", _data(event, "service", "service_id"))
    label = _("Score %(score)s on %(number)s") % {"score": score, "number": number} if number else \
        _("Score %(score)s") % {"score": score}
    _raise(SourceType.LOW_SATISFACTION, record, label=label[:200],
           title=_("Low satisfaction (%(score)s/5) on %(number)s") % {"score": score, "number": number or "—"},
           description=event.data.get("comment") or "",
           organisation=_lookup("accounts.Organisation", _data(event, "organisation", "organisation_id")),
           service=service, owner=_accountable(event, record, service))


def register():
    from core import events

    events.after_commit("sla.breached", key="improvements.raise.sla_breach", when=is_serious_breach)(on_sla_breached)
    events.after_commit("change.closed", key="improvements.raise.change_review",
                        when=is_reviewed_change)(on_change_closed)
    events.after_commit("incident.resolved", key="improvements.raise.incident_review",
                        when=is_major_incident)(on_major_incident_resolved)
    for name in ("problem.transitioned", "problem.created"):
        events.after_commit(name, key=f"improvements.raise.{name}", when=is_new_known_error)(on_known_error)
    events.after_commit("voc.created", key="improvements.raise.complaint", when=is_complaint)(on_complaint)
    events.after_commit("survey.low_score", key="improvements.raise.low_satisfaction")(on_low_score)
