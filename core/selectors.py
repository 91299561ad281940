"""Reading a record's activity: comments, files and audit rows merged into one timeline."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from core.choices import AuditAction
from core.models import Attachment, AuditEntry, Comment

# Audit rows an end user may see in the portal timeline.
PUBLIC_AUDIT_FIELDS = frozenset({"state", "priority", "resolution_code", "resolution_notes"})


@dataclass
class TimelineItem:
    kind: str  # comment | work_note | attachment | change | created | event
    at: datetime
    actor: object
    channel: str
    body: str = ""
    changes: list = field(default_factory=list)  # [(label, old_display, new_display)]
    obj: object = None


def _display(model, field_name, raw, related_names):
    try:
        model_field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return "" if raw is None else str(raw)
    if raw is None or raw == "":
        return "—"
    # Reverse relations (an incident's "problems") have no choices.
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(raw, raw))
    if model_field.is_relation and model_field.related_model is not None:
        if isinstance(raw, list):
            return ", ".join(related_names.get((model_field.related_model, r), str(r)) for r in raw)
        return related_names.get((model_field.related_model, raw), str(raw))
    if isinstance(raw, bool):
        return str(model_field.verbose_name) if raw else "—"
    if isinstance(model_field, models.DateTimeField) and isinstance(raw, str):
        # Stored as raw ISO text in UTC; people read it in their own time zone.
        instant = parse_datetime(raw)
        if instant is not None:
            return date_format(timezone.localtime(instant), "Y-m-d H:i")
    return str(raw)


def _label(model, field_name):
    try:
        model_field = model._meta.get_field(field_name)
        if not hasattr(model_field, "verbose_name"):  # a reverse relation: name it after its model
            related = getattr(model_field, "related_model", None)
            return str(related._meta.verbose_name_plural) if related else field_name.replace("_", " ")
        return str(model_field.verbose_name)
    except FieldDoesNotExist:
        return field_name.replace("_", " ")


def _related_names(model, entries):
    """Look up the display names of related ids in one query per related model."""
    wanted = {}
    for entry in entries:
        try:
            model_field = model._meta.get_field(entry.field)
        except FieldDoesNotExist:
            continue
        if not model_field.is_relation or model_field.related_model is None:
            continue
        for raw in (entry.old_value, entry.new_value):
            values = raw if isinstance(raw, list) else [raw]
            wanted.setdefault(model_field.related_model, set()).update(v for v in values if v is not None)
    names = {}
    for related_model, ids in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=ids):
            names[(related_model, obj.pk)] = str(obj)
    return names


def timeline(obj, *, include_internal):
    """The record's history, oldest first. End users get public comments, files and state changes."""
    model = type(obj)
    content_type = ContentType.objects.get_for_model(obj)
    comments = Comment.objects.filter(content_type=content_type, object_id=obj.pk).select_related("author")
    files = Attachment.objects.filter(content_type=content_type, object_id=obj.pk).select_related("uploaded_by")
    entries = AuditEntry.objects.filter(content_type=content_type, object_id=obj.pk).select_related("actor")
    if not include_internal:
        comments = comments.filter(internal=False)
        files = files.filter(internal=False)
        # The requester sees that the record was opened and how its state moved, not the desk's edits.
        entries = entries.filter(Q(field__in=PUBLIC_AUDIT_FIELDS) | Q(action=AuditAction.CREATED))
    entries = [e for e in entries if e.action not in (AuditAction.COMMENTED, AuditAction.ATTACHED)]
    related = _related_names(model, entries)

    items = [
        TimelineItem("work_note" if c.internal else "comment", c.created_at, c.author, c.channel, c.body, obj=c)
        for c in comments
    ]
    items += [TimelineItem("attachment", f.created_at, f.uploaded_by, "", f.filename, obj=f) for f in files]
    # Rows written by one save share actor and instant: show them as one item.
    grouped = {}
    for entry in entries:
        if entry.action == AuditAction.CREATED:
            items.append(TimelineItem("created", entry.created_at, entry.actor, entry.channel, obj=entry))
            continue
        key = (entry.created_at, entry.actor_id, entry.action)
        item = grouped.get(key)
        if item is None:
            kind = "change" if entry.action in (AuditAction.UPDATED, AuditAction.TRANSITIONED,
                                                AuditAction.ASSIGNED, AuditAction.LINKED) else "event"
            item = grouped[key] = TimelineItem(kind, entry.created_at, entry.actor, entry.channel, obj=entry)
            item.body = entry.context.get("reason", "") or entry.context.get("message", "")
            items.append(item)
        item.changes.append((
            _label(model, entry.field),
            _display(model, entry.field, entry.old_value, related),
            _display(model, entry.field, entry.new_value, related),
        ))
    items.sort(key=lambda item: item.at)
    return items
