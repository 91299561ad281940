"""Reading a record's activity: comments, files and audit rows merged into one timeline."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from core import history
from core.choices import AuditAction
from core.models import Attachment, AuditEntry, Comment
from core.selects import Columns, fetch, rows_by_id

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
        for obj in _rows_by_id(related_model, ids):
            names[(related_model, obj.pk)] = str(obj)
    return names


# _related_names reads a model's rows by id with a statement written once per process (the ORM
# compiled one per related model on every record page, issue 12, seventh round): every column, as
# `_default_manager.filter(pk__in=ids)` reads them, so a model's __str__ finds what it reads. A
# model whose default manager narrows its rows (a filter of its own) keeps the ORM's query.
_NARROWED = {}


def _rows_by_id(model, ids):
    narrowed = _NARROWED.get(model)
    if narrowed is None:
        narrowed = _NARROWED[model] = model._default_manager.all().query.has_filters()
    return model._default_manager.filter(pk__in=ids) if narrowed else rows_by_id(model, ids)


# The rows of a record's generic relations (the timeline's comments with their authors, files
# with their uploaders, audit rows with their actors; an incident page's SLA clocks with their
# definitions), each read by a statement written once per process: compiling them through the ORM
# on every record page was half of the timeline's CPU time (issue 12, sixth round). The instances
# are those `filter(content_type=…, object_id=…).select_related(person)` built, in the model's order.
_READS = {}


def _read(model, person, include_internal):
    key = (model, include_internal)
    read = _READS.get(key)
    if read is None:
        quote = connection.ops.quote_name
        meta = model._meta
        records = Columns(model, "r")
        field = meta.get_field(person)
        people = Columns(field.related_model, "u")
        people_meta = field.related_model._meta

        def column(name):
            return f"r.{quote(meta.get_field(name).column)}"

        where = [f"{column('content_type')} = %s", f"{column('object_id')} = %s"]
        params = ()
        if not include_internal:
            # The requester sees that the record was opened and how its state moved, not the desk's
            # edits; and no internal comment or file.
            if model is AuditEntry:
                where.append(f"({column('field')} = ANY(%s) OR {column('action')} = %s)")
                params = (sorted(PUBLIC_AUDIT_FIELDS), AuditAction.CREATED.value)
            else:
                where.append(f"NOT {column('internal')}")
        sql = (f"SELECT {records.sql}, {people.sql} FROM {quote(meta.db_table)} r "
               f"LEFT JOIN {quote(people_meta.db_table)} u ON u.{quote(people_meta.pk.column)} = {column(person)} "
               f"WHERE {' AND '.join(where)} ORDER BY {', '.join(column(name) for name in meta.ordering)}")
        read = _READS[key] = (sql, params, records, people, people.attnames.index(people_meta.pk.attname), field)
    return read


def generic_rows(model, person, content_type, obj, *, include_internal=True):
    """The rows of `model` about `obj` (of `content_type`), each with the row its foreign key
    `person` names (or None) in place. include_internal=False: what an end user may read, the
    comments and files not internal and the audit rows of PUBLIC_AUDIT_FIELDS and the creation."""
    sql, params, records, people, person_pk, field = _read(model, person, include_internal)
    split = len(records)
    found = []
    for values in fetch(sql, (content_type.pk, obj.pk, *params)):
        record = records.load(values[:split])
        field.set_cached_value(record, None if values[split + person_pk] is None else people.load(values[split:]))
        found.append(record)
    return found


def timeline(obj, *, include_internal):
    """The record's history, oldest first. End users get public comments, files and state changes."""
    model = type(obj)
    content_type = ContentType.objects.get_for_model(obj)
    comments = generic_rows(Comment, "author", content_type, obj, include_internal=include_internal)
    files = generic_rows(Attachment, "uploaded_by", content_type, obj, include_internal=include_internal)
    entries = generic_rows(AuditEntry, "actor", content_type, obj, include_internal=include_internal)
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
