"""Use cases on change freezes: the only writers of FreezeWindow rows (API and admin).

A freeze decides which changes may be scheduled, so who set, moved or lifted one is part of
the audit trail like any change to a change.
"""

from django.db import transaction

from changes.models import FreezeWindow
from core import audit, events
from core import services as core_services

FIELDS = ("name", "reason", "start", "end", "services", "active")


def _apply(freeze, fields):
    services = fields.pop("services", None)
    for name, value in fields.items():
        if name in FIELDS:
            setattr(freeze, name, value)
    return services


@transaction.atomic
def create_freeze(*, actor, channel, **fields) -> FreezeWindow:
    freeze = FreezeWindow()
    services = _apply(freeze, dict(fields))
    freeze.full_clean()
    freeze.save()
    if services is not None:
        freeze.services.set(services)
    audit.record_creation(freeze, actor=actor, channel=channel, fields=FIELDS)
    events.publish("changes.freeze_created", freeze, actor=actor, channel=channel)
    return freeze


@transaction.atomic
def update_freeze(freeze, *, actor, channel, changes: dict) -> FreezeWindow:
    """Apply `changes`; one audit row per changed field, nothing written when nothing changed."""
    locked = FreezeWindow.objects.select_for_update().get(pk=freeze.pk)
    before = audit.snapshot(locked, FIELDS)
    services = _apply(locked, dict(changes))
    locked.full_clean()
    locked.save()
    if services is not None:
        locked.services.set(services)
    diff = audit.changes_between(before, audit.snapshot(locked, FIELDS))
    if diff:
        audit.record_changes(locked, actor=actor, channel=channel, changes=diff)
        events.publish("changes.freeze_changed", locked, actor=actor, channel=channel,
                       data={"fields": sorted(diff)})
    return locked


@transaction.atomic
def delete_freeze(freeze, *, actor, channel):
    return core_services.delete_record(freeze, actor=actor, channel=channel, event="changes.freeze_deleted",
                                       state=audit.last_state(freeze, FIELDS), data={"name": freeze.name})
