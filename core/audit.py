"""Writing the audit trail. Works with or without a request: Celery escalations are audited too."""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from core import rows
from core.choices import AuditAction
from core.models import AuditEntry


_AS_IS = frozenset({str, int, bool, float, type(None)})  # exactly these types: a subclass (a choice) is looked at


def raw_value(value):
    """The JSON-storable raw value of a field: ids for relations, ISO text for instants."""
    if type(value) in _AS_IS:  # most of a snapshot's values (issue 12: a create snapshots ~37)
        return value
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
    if field.many_to_many:
        # The related ids, sorted so that two snapshots compare equal when the set is the same.
        return sorted(getattr(obj, field_name).values_list("pk", flat=True)) if obj.pk else []
    return getattr(obj, field_name)


def snapshot(obj, fields):
    return {name: raw_value(field_value(obj, name)) for name in fields}


def record(obj, *, actor, channel, action, field="", old=None, new=None, context=None, at=None, later=False):
    # core.rows writes the INSERT of a new row without the ORM's compilation (AuditEntry.save
    # only refuses updates, and this is never one). `later`: inside core.rows.together(), the
    # row rides in the block's next statement (its id is then not set).
    return rows.insert([rows.new(
        AuditEntry,
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
    )], later=later)[0]


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


def record_creation(obj, *, actor, channel, fields, context=None, at=None, later=False):
    values = {name: value for name, value in snapshot(obj, fields).items() if value not in (None, "", [])}
    return record(obj, actor=actor, channel=channel, action=AuditAction.CREATED, new=values, context=context,
                  at=at, later=later)


def record_deletion(obj, *, actor, channel, fields, context=None, at=None):
    """The last state of a deleted record, so the trail still says what was removed and by whom.

    Call it before deleting: the row needs the record's id and its values."""
    return record(obj, actor=actor, channel=channel, action=AuditAction.DELETED, old=last_state(obj, fields),
                  context=context, at=at)


def last_state(obj, fields):
    """The values worth keeping of a record about to be deleted (empty ones left out)."""
    return {name: value for name, value in snapshot(obj, fields).items() if value not in (None, "", [])}


def changes_between(before: dict, after: dict) -> dict:
    """{field: (old, new)} for the fields whose raw value differs between two snapshots."""
    return {name: (before.get(name), after[name]) for name in after if before.get(name) != after[name]}


_BULK_COLUMNS = ("content_type_id", "object_id", "object_repr", "action", "field", "old_value", "new_value",
                 "actor_id", "channel", "context", "created_at")


def record_many(rows):
    """Append many audit rows in one INSERT (the SLA sweep records thousands per batch).

    Each row is a dict with the AuditEntry columns by attname (`content_type_id`, `object_id`,
    `object_repr`, `action`, `field`, `old_value`, `new_value`, `actor_id`, `channel`, `context`,
    `created_at`); values are stored raw, as `record` stores them. Skips the ORM's per-object
    compilation, which costs more than the insert itself at sweep volumes.
    """
    rows = list(rows)
    if not rows:
        return 0
    from django.db import connection
    from psycopg2.extras import Json

    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(quote(c) for c in _BULK_COLUMNS)}) "
           f"VALUES %s")

    def values(row):
        old, new = raw_value(row.get("old_value")), raw_value(row.get("new_value"))
        return (
            row["content_type_id"], row["object_id"], str(row.get("object_repr", ""))[:200], str(row["action"]),
            row.get("field", ""), None if old is None else Json(old), None if new is None else Json(new),
            row.get("actor_id"), str(row["channel"]), Json(row.get("context") or {}),
            row.get("created_at") or timezone.now(),
        )

    placeholder = "(" + ", ".join(["%s"] * len(_BULK_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        # Rows are quoted by psycopg2 and sent as one statement per 1,000 through Django's cursor,
        # so query logging and counting see them like any other write.
        for start in range(0, len(rows), 1000):
            chunk = rows[start:start + 1000]
            literal = b",".join(cursor.cursor.mogrify(placeholder, values(row)) for row in chunk).decode()
            cursor.execute(sql % literal)
    return len(rows)
