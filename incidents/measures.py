"""Incident measures the dashboards and reports count, as Q expressions the desk list filters
by too, so that a figure and the list it links to are one definition.

**First-contact resolution (FCR).** An incident is resolved at first contact when

- it is resolved or closed (`resolved_at` set: the resolution is what is measured),
- it was never reopened (`reopen_count` is 0), and
- it was never reassigned: the audit trail holds no change of `assignment_group` or
  `assigned_to` away from a value that was already set (its first assignment, from nobody to a
  group or person, is not a reassignment; handing it on afterwards is).

So "resolved by the first assignment, with no reassignment and no reopen". The incident
records no contact channel per touch, so a call closed while the caller waits cannot be told
apart from one solved the same day by the first group; the audit trail is the evidence we have.
Incidents loaded without an audit trail (bulk benchmark seeds) count as never reassigned.

**Backlog at an instant.** Created before it and not resolved before it; cancelled incidents
never count (they record no cancellation time, so they leave every backlog, past ones too).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q

from core.models import AuditEntry
from incidents.choices import IncidentState

REASSIGNMENT_FIELDS = ("assignment_group", "assigned_to")


def reassigned_q():
    """Q over Incident: the audit trail records a reassignment (a group or person replaced)."""
    from incidents.models import Incident

    return Q(Exists(AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Incident), object_id=OuterRef("pk"),
        field__in=REASSIGNMENT_FIELDS, old_value__isnull=False,
    )))


def resolved_q():
    return Q(resolved_at__isnull=False)


def first_contact_q():
    """Q over Incident: resolved at first contact (the module docstring defines it)."""
    return resolved_q() & Q(reopen_count=0) & ~reassigned_q()


def not_first_contact_q():
    """Resolved, but reopened or reassigned on the way."""
    return resolved_q() & ~(Q(reopen_count=0) & ~reassigned_q())


def backlog_at_q(instant):
    """Q over Incident: in the backlog at `instant` (created before, not yet resolved then)."""
    return (Q(created_at__lt=instant) & ~Q(state=IncidentState.CANCELLED)
            & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=instant)))
