"""Reading a record's activity: comments, files and audit rows merged into one timeline."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from core import history
from core.choices import AuditAction
from core.models import Attachment, AuditEntry, Comment

# Audit rows an end user may see in the portal timeline.
PUBLIC_AUDIT_FIELDS = frozenset({"state", "priority", "resolution_code", "resolution_notes"})
_TIE_ORDER = {"created": 0, "comment": 1, "work_note": 1, "attachment": 2}


@dataclass
class TimelineItem:
    kind: str  # comment | work_note | attachment | change | created | event
    at: datetime
    actor: object
    channel: str
    body: str = ""
    changes: list = field(default_factory=list)  # [(label, old_display or "", new_display)]
    obj: object = None


def _related_names(model, entries):
    """Look up the display names of related ids in one query per related model."""
    wanted = {}
    for entry in entries:
        model_field = history.related_field(model, entry.field)
        if model_field is None:
            continue
        for raw in (entry.old_value, entry.new_value):
            values = raw if isinstance(raw, list) else [raw]
            wanted.setdefault(model_field.related_model, set()).update(
                v for v in values if isinstance(v, int) and not isinstance(v, bool))
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
            item.body = history.context_text(model, entry)
            items.append(item)
        new = history.display(model, entry, entry.new_value, related)
        # A declared one-line row ("Approved (stage Change manager)") or a first value has no "old →".
        old = "" if history.is_sentence(model, entry.field) or (entry.old_value in (None, "", []) and \
            entry.action != AuditAction.UPDATED) else history.display(model, entry, entry.old_value, related)
        item.changes.append((history.label(model, entry.field), old, new))
    # One save writes its rows at one instant (a report and its files share `now`): on a tie the
    # record's creation comes first, then what was said, the files sent with it, and the changes it
    # caused; rows of one kind keep the order they were written in.
    items.sort(key=lambda item: (item.at, _TIE_ORDER.get(item.kind, len(_TIE_ORDER)), item.obj.pk))
    return items
