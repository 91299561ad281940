"""Outage use cases: the only writers of outages and availability settings. Atomic, audited,
actor and channel explicit; each publishes outage.created / outage.updated / outage.deleted.

Outages derived from incidents and monitoring are written by availability.derived (outbox
handlers) through the same functions, with `actor=None` and channel "system"."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import roles
from availability.models import Outage, ServiceAvailability
from core import audit, events
from core.exceptions import DomainError, PermissionRefused

OUTAGE_FIELDS = ("service", "start", "end", "planned", "incident", "source", "description")
SETTINGS_FIELDS = ("calendar", "planned_policy", "target_percent", "warning_percent", "mtrs_target_minutes")
# PostgreSQL's SQLSTATE for exclusion_violation and check_violation.
EXCLUSION_VIOLATION, CHECK_VIOLATION = "23P01", "23514"


def _require_desk(actor):
    if actor is not None and not roles.is_agent(actor):
        raise PermissionRefused(_("Only service desk staff record outages."))


def check_span(start, end):
    if start is None:
        raise DomainError(_("Give the start of the outage."), field="start", code="required")
    if end is not None and end <= start:
        raise DomainError(_("An outage ends after it starts."), field="end", code="ends_before_start")


def _save(outage, **kwargs):
    """Save inside a savepoint: the exclusion constraint is the judge of overlaps, also between
    two agents recording the same outage at once."""
    try:
        with transaction.atomic():
            outage.save(**kwargs)
    except IntegrityError as error:
        code = getattr(error.__cause__, "pgcode", None)
        if code == EXCLUSION_VIOLATION:
            raise DomainError(_("This service already has an outage recorded over this time; "
                                "change that record instead."), field="start", code="overlap") from error
        if code == CHECK_VIOLATION:
            raise DomainError(_("An outage ends after it starts."), field="end", code="ends_before_start") from error
        raise


@transaction.atomic
def record_outage(*, actor, channel, service, start, end=None, planned=False, incident=None, source="manual",
                  description=""):
    """Record an outage of a business service (400 for an end before the start or an overlap with
    another outage of the same service; nothing is saved then)."""
    _require_desk(actor)
    check_span(start, end)
    if incident is not None and incident.service_id and incident.service_id != service.pk:
        raise DomainError(_("The incident concerns another service."), field="incident")
    outage = Outage(service=service, start=start, end=end, planned=planned, incident=incident, source=source,
                    description=description or "", created_by=actor if getattr(actor, "pk", None) else None)
    _save(outage)
    audit.record_creation(outage, actor=actor, channel=channel, fields=OUTAGE_FIELDS)
    events.publish("outage.created", outage, actor=actor, channel=channel,
                   data={"service": service.pk, "planned": planned})
    return outage


@transaction.atomic
def update_outage(outage, *, actor, channel, changes):
    """Change an outage's fields (the end of an outage that lasted, its planned flag...)."""
    _require_desk(actor)
    locked = Outage.objects.select_for_update().get(pk=outage.pk)
    before = audit.snapshot(locked, OUTAGE_FIELDS)
    for name, value in changes.items():
        if name not in OUTAGE_FIELDS:
            raise DomainError(_("This field cannot be changed."), field=name)
        setattr(locked, name, value)
    check_span(locked.start, locked.end)
    if locked.incident is not None and locked.incident.service_id and locked.incident.service_id != locked.service_id:
        raise DomainError(_("The incident concerns another service."), field="incident")
    diff = audit.changes_between(before, audit.snapshot(locked, OUTAGE_FIELDS))
    if diff:
        _save(locked)
        audit.record_changes(locked, actor=actor, channel=channel, changes=diff)
        events.publish("outage.updated", locked, actor=actor, channel=channel, data={"fields": sorted(diff)})
    return locked, diff


@transaction.atomic
def delete_outage(outage, *, actor, channel):
    _require_desk(actor)
    events.publish("outage.deleted", outage, actor=actor, channel=channel, data={"service": outage.service_id})
    audit.record_deletion(outage, actor=actor, channel=channel, fields=OUTAGE_FIELDS)
    outage.delete()


@transaction.atomic
def save_settings(service, *, actor, channel, **values):
    """Create or change a service's availability settings (managers)."""
    if not roles.is_manager(actor):
        raise PermissionRefused(_("Only managers set availability targets."))
    row, created = ServiceAvailability.objects.select_for_update().get_or_create(service=service)
    before = {} if created else audit.snapshot(row, SETTINGS_FIELDS)
    for name, value in values.items():
        setattr(row, name, value)
    # Checked on the row as it will be, so that changing one line alone cannot cross the other.
    if row.warning_percent is not None and row.target_percent is not None \
            and row.warning_percent < row.target_percent:
        raise DomainError(_("The warning line is at or above the target."), field="warning_percent")
    row.save()
    after = audit.snapshot(row, SETTINGS_FIELDS)
    if created:
        audit.record_creation(row, actor=actor, channel=channel, fields=SETTINGS_FIELDS)
    else:
        audit.record_changes(row, actor=actor, channel=channel, changes=audit.changes_between(before, after))
    return row

