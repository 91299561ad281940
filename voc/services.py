"""Writing VOC records: raise one (portal, e-mail, desk), edit it, link its tickets, record the
response to the person, move it, escalate a complaint. Each runs in one transaction through
core.services (number, audit, version, events) and publishes voc.created / .responded /
.escalated / .closed with the kind, service and organisation in the data."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import audit, events, search
from core import services as core
from core.choices import AuditAction, Channel
from core.exceptions import DomainError
from core.tickets import ticket_models
from voc import workflow
from voc.choices import VocChannel, VocKind, VocState
from voc.models import Voc, VocTicketLink


def due_days():
    return getattr(settings, "VOC_DUE_DAYS", {})


def escalate_after_days():
    return int(getattr(settings, "VOC_ESCALATE_AFTER_DAYS", workflow.DEFAULT_ESCALATE_AFTER_DAYS))


def event_data(voc):
    return {"kind": str(voc.kind), "service": voc.service_id, "organisation": voc.organisation_id,
            "number": voc.number}


def resolve_tickets(numbers, actor):
    """The tickets named by their numbers (INC0001001, REQ…) that the actor may see; an unknown or
    invisible number is refused naming it."""
    by_prefix = {m.NUMBER_PREFIX: m for m in ticket_models() if getattr(m, "NUMBER_PREFIX", "")}
    found = []
    for raw in numbers:
        number = str(raw).strip().upper()
        if not number:
            continue
        model = next((m for prefix, m in by_prefix.items() if number.startswith(prefix)), None)
        ticket = model.objects.visible_to(actor).filter(number=number).first() if model is not None else None
        if ticket is None or model is Voc:
            raise DomainError(_("No ticket %(number)s that you can see.") % {"number": number}, field="tickets")
        found.append(ticket)
    return found


def _link(voc, tickets):
    wanted = {(ContentType.objects.get_for_model(t).pk, t.pk): t.number for t in tickets}
    current = {(link.content_type_id, link.object_id): link for link in voc.ticket_links.all()}
    VocTicketLink.objects.filter(pk__in=[link.pk for key, link in current.items() if key not in wanted]).delete()
    VocTicketLink.objects.bulk_create([VocTicketLink(voc=voc, content_type_id=ct, object_id=pk, number=number)
                                       for (ct, pk), number in wanted.items() if (ct, pk) not in current])
    return sorted(wanted.values()) != sorted(link.number for link in current.values())


@transaction.atomic
def create_voc(*, actor, channel, kind, title, description="", reported_by=None, organisation=None, service=None,
               tickets=(), assignment_group=None, assigned_to=None, source=VocChannel.DESK, now=None):
    now = now or timezone.now()
    if kind not in VocKind.values:
        raise DomainError(_("Choose complaint, suggestion, compliment or inquiry."), field="kind")
    reported_by = reported_by or (actor if getattr(actor, "pk", None) else None)
    if organisation is None and reported_by is not None:
        organisation = reported_by.organisation
    linked = resolve_tickets(tickets, actor) if tickets else []
    voc = core.create_ticket(
        Voc, actor=actor, channel=channel, now=now, kind=kind, title=title, description=description,
        reported_by=reported_by, organisation=organisation, service=service, assignment_group=assignment_group,
        assigned_to=assigned_to, due_at=workflow.due_at(kind, now, due_days()), values={"channel": source},
        event_data={"kind": str(kind), "service": getattr(service, "pk", None),
                    "organisation": getattr(organisation, "pk", None)},
    )
    if linked:
        _link(voc, linked)
        audit.record(voc, actor=actor, channel=channel, action=AuditAction.LINKED, field="tickets",
                     new=sorted(t.number for t in linked), at=now)
    return voc


@transaction.atomic
def update_voc(voc, *, actor, channel, changes, expected_version=None, tickets=None):
    changes = dict(changes)
    core.check_editable(Voc, changes, actor)
    if "kind" in changes and changes["kind"] not in VocKind.values:
        raise DomainError(_("Choose complaint, suggestion, compliment or inquiry."), field="kind")
    locked = core.lock_for_update(voc, expected_version)
    if "kind" in changes and changes["kind"] != locked.kind and "due_at" not in changes:
        changes["due_at"] = workflow.due_at(changes["kind"], locked.created_at, due_days())
    locked, diff = core.update_ticket(locked, actor=actor, channel=channel, changes=changes)
    if set(diff) & {"title", "description", "response"}:
        search.refresh(Voc, [locked.pk])
    if tickets is not None:
        set_tickets(locked, tickets=tickets, actor=actor, channel=channel)
    return locked


@transaction.atomic
def set_tickets(voc, *, tickets, actor, channel):
    linked = resolve_tickets(tickets, actor)
    locked = core.lock_for_update(voc)
    old = sorted(locked.ticket_links.values_list("number", flat=True))
    if _link(locked, linked):
        audit.record(locked, actor=actor, channel=channel, action=AuditAction.LINKED, field="tickets", old=old,
                     new=sorted(t.number for t in linked))
        core.touch(locked)
    return locked


@transaction.atomic
def respond(voc, *, actor, channel, response, expected_version=None, now=None):
    """Record the response given to the person who raised it, and move to `responded`."""
    now = now or timezone.now()
    response = (response or "").strip()
    if not response:
        raise DomainError(_("Write the response to the person who raised it."), field="response", code="required")
    locked, _diff = core.transition(voc, VocState.RESPONDED, actor=actor, channel=channel, is_agent=True,
                                    changes={"response": response}, expected_version=expected_version, now=now,
                                    prepare=lambda row, facts: {"responded_by": actor, "responded_at": now},
                                    event_data=event_data(voc))
    events.publish("voc.responded", locked, actor=actor, channel=channel, at=now, data=event_data(locked))
    search.refresh(Voc, [locked.pk])
    return locked


@transaction.atomic
def transition_voc(voc, target, *, actor, channel, expected_version=None, is_agent=None, now=None):
    if target == VocState.RESPONDED:
        raise DomainError(_("Record the response to the person who raised it first."), field="response",
                          code="required")
    locked, _diff = core.transition(voc, target, actor=actor, channel=channel, expected_version=expected_version,
                                    is_agent=is_agent, now=now, event_data=event_data(voc))
    return locked


def escalation_team(voc):
    """Who a complaint goes up to: the service's owner group, else the configured managers' team."""
    from accounts.models import Team

    if voc.service_id and voc.service.owner_group_id:
        return voc.service.owner_group
    name = getattr(settings, "VOC_ESCALATION_TEAM", "")
    return Team.objects.filter(name=name).first() if name else None


@transaction.atomic
def escalate(voc, *, actor, channel, reason="", expected_version=None, now=None):
    """Send an open complaint up to the service owner's group (or the managers' team): the level
    goes up, the group changes, and `voc.escalated` tells that group's manager."""
    now = now or timezone.now()
    locked = core.lock_for_update(voc, expected_version)
    if locked.kind != VocKind.COMPLAINT:
        raise DomainError(_("Only complaints are escalated."), field="kind")
    if locked.state not in (VocState.NEW, VocState.IN_PROGRESS):
        raise DomainError(_("Only an open complaint can be escalated."), field="state")
    team = escalation_team(locked)
    changes = {"escalation_level": locked.escalation_level + 1, "escalated_at": now}
    if team is not None:
        changes.update(assignment_group=team, assigned_to=None)
    diff = core.apply_changes(locked, changes, validate=lambda row: None, now=now)
    audit.record_changes(locked, actor=actor, channel=channel, changes=diff, context={"reason": reason}, at=now)
    events.publish("voc.escalated", locked, actor=actor, channel=channel, at=now,
                   data={**event_data(locked), "level": locked.escalation_level,
                         "team": team.pk if team is not None else None, "reason": reason})
    return locked


def escalate_due(*, now=None):
    """The sweep (Celery beat): escalate every open complaint older than VOC_ESCALATE_AFTER_DAYS that
    has not been escalated yet. Returns how many."""
    import datetime as dt

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=escalate_after_days())
    due = Voc.objects.filter(kind=VocKind.COMPLAINT, state__in=[VocState.NEW, VocState.IN_PROGRESS],
                             escalation_level=0, created_at__lte=cutoff).select_related("service")
    count = 0
    for voc in due:
        escalate(voc, actor=None, channel=Channel.SYSTEM,
                 reason=ngettext("Open for more than %(days)s day.", "Open for more than %(days)s days.",
                                 escalate_after_days()) % {"days": escalate_after_days()}, now=now)
        count += 1
    return count
