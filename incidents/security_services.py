"""Information security incidents (ISO/IEC 20000-1 8.7.3): the only writers of the security flag,
the CIA impact ratings and the notification log. Each takes the actor and the channel, runs in
one transaction, checks the rules of incidents.security and writes the audit trail."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, events, services as core
from core.exceptions import DomainError, PermissionRefused
from incidents import security
from incidents.choices import CIAImpact, SecurityRecipient
from incidents.models import Incident, SecurityNotification

CIA_FIELDS = ("confidentiality_impact", "integrity_impact", "availability_impact")


def _refuse_unless(allowed):
    if not allowed:
        raise PermissionRefused(_("Only the information security group may do this."))


def _check_ratings(ratings):
    for name, value in ratings.items():
        if name not in CIA_FIELDS:
            raise DomainError(_("Unknown field."), field=name)
        if value not in CIAImpact.values:
            raise DomainError(_("Choose none, low, medium or high."), field=name)


@transaction.atomic
def flag(incident, *, actor, channel, ratings=None, notes=None, expected_version=None, now=None):
    """Mark an incident as an information security incident: from now on only the security group
    sees it (the flagger too, if they are not a member, loses sight of it)."""
    _refuse_unless(security.can_flag(actor))
    now = now or timezone.now()
    ratings = dict(ratings or {})
    _check_ratings(ratings)
    if (ratings or notes) and not security.can_handle(actor):
        # Someone outside the group restricts the incident; its rating is the group's.
        ratings, notes = {}, None
    changes = {"is_security": True, **ratings}
    if not incident.is_security:
        changes["security_flagged_at"] = now
    if notes is not None:
        changes["security_notes"] = notes
    locked, diff = core.update_ticket(incident, actor=actor, channel=channel, changes=changes,
                                      expected_version=expected_version, now=now,
                                      audit_context={"security": "flagged"})
    return locked


@transaction.atomic
def rate(incident, *, actor, channel, ratings, notes=None, expected_version=None, now=None):
    """The group rates the confidentiality, integrity and availability impact (and keeps notes)."""
    _refuse_unless(security.can_handle(actor))
    _check_ratings(ratings)
    if not incident.is_security:
        raise DomainError(_("This is not an information security incident."))
    changes = dict(ratings)
    if notes is not None:
        changes["security_notes"] = notes
    locked, _diff = core.update_ticket(incident, actor=actor, channel=channel, changes=changes,
                                       expected_version=expected_version, now=now)
    return locked


@transaction.atomic
def unflag(incident, *, actor, channel, reason, expected_version=None, now=None):
    """Back to an ordinary incident, seen by the whole desk: the group alone decides, with a reason."""
    _refuse_unless(security.can_handle(actor))
    if not (reason or "").strip():
        raise DomainError(_("Say why this is not a security incident."), field="reason")
    locked, _diff = core.update_ticket(incident, actor=actor, channel=channel, changes={"is_security": False},
                                       expected_version=expected_version, now=now,
                                       audit_context={"security": "unflagged", "reason": reason.strip()})
    return locked


@transaction.atomic
def record_notification(incident, *, actor, channel, recipient, notified_at=None, reference="",
                        recipient_detail="", note="", now=None):
    """Log that a regulator, the data subjects or management were told (when, by whom, reference)."""
    _refuse_unless(security.can_handle(actor))
    now = now or timezone.now()
    if not incident.is_security:
        raise DomainError(_("This is not an information security incident."))
    if recipient not in SecurityRecipient.values:
        raise DomainError(_("Choose who was notified."), field="recipient")
    notified_at = notified_at or now
    if notified_at > now + dt.timedelta(minutes=5):
        raise DomainError(_("A notification cannot be in the future."), field="notified_at")
    notification = SecurityNotification.objects.create(
        incident=incident, recipient=recipient, recipient_detail=(recipient_detail or "").strip(),
        notified_at=notified_at, notified_by=actor, reference=(reference or "").strip(), note=note or "",
    )
    audit.record_creation(notification, actor=actor, channel=channel, at=now,
                          fields=["incident", "recipient", "recipient_detail", "notified_at", "reference"])
    core.touch(Incident.objects.get(pk=incident.pk), now=now)
    # No details in the event: webhooks and mail must not carry the content of a security incident.
    events.publish("incident.security_notified", incident, actor=actor, channel=channel, at=now,
                   data={"notification": notification.pk})
    return notification
