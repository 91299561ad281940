"""Writing the audit trail. Works with or without a request: Celery escalations are audited too."""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEntry


def raw_value(value):
    """The JSON-storable raw value of a field: ids for relations, ISO text for instants."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.QuerySet) or isinstance(value, (set, frozenset)):
        return sorted(raw_value(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [raw_value(v) for v in value]
    return value


def field_value(obj, field_name):
    field = obj._meta.get_field(field_name)
    if field.many_to_one or field.one_to_one:
        return getattr(obj, field.attname)
    return getattr(obj, field_name)


def snapshot(obj, fields):
    return {name: raw_value(field_value(obj, name)) for name in fields}


def record(obj, *, actor, channel, action, field="", old=None, new=None, context=None, at=None):
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=action,
        field=field,
        old_value=raw_value(old),
        new_value=raw_value(new),
        actor=actor if getattr(actor, "pk", None) else None,
        channel=channel,
        context=context or {},
        created_at=at or timezone.now(),
    )


def record_changes(obj, *, actor, channel, changes, action=AuditAction.UPDATED, context=None, at=None):
    """One row per changed field; `changes` maps field name to (old, new) raw values."""
    at = at or timezone.now()
    content_type = ContentType.objects.get_for_model(obj)
    rows = [
        AuditEntry(
            content_type=content_type, object_id=obj.pk, object_repr=str(obj)[:200], action=action,
            field=name, old_value=raw_value(old), new_value=raw_value(new),
            actor=actor if getattr(actor, "pk", None) else None, channel=channel,
            context=context or {}, created_at=at,
        )
        for name, (old, new) in changes.items()
    ]
    return AuditEntry.objects.bulk_create(rows)


def record_creation(obj, *, actor, channel, fields, context=None, at=None):
    values = {name: value for name, value in snapshot(obj, fields).items() if value not in (None, "", [])}
    return record(obj, actor=actor, channel=channel, action=AuditAction.CREATED, new=values, context=context,
                  at=at)
