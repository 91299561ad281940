"""Use cases every ticket type shares. The only writers of ticket rows.

Each takes the actor and the channel, runs atomically, checks `version` under a row lock,
writes the audit trail, and publishes what happened (`<type>.created`, `<type>.updated` with the
diff, `<type>.commented`) in the same transaction: the SLA engine subscribes in sla.apps.
Ticket-type services (incidents.services, changes.services, ...) build on these.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core import audit, events, rows, search
from core.attachments import validate_upload
from core.choices import AuditAction
from core.exceptions import DomainError, PermissionRefused, StaleVersion
from core.models import Attachment, Comment, NumberSequence
from core.tickets import lifecycle_of, type_name


def _validate(ticket, fields=None):
    exclude = [f.name for f in ticket._meta.concrete_fields if fields is not None and f.name not in fields]
    # A relation given as a row read from the database exists (and its foreign key is checked
    # again at commit): its validation would be one `SELECT 1` per relation. Relations with
    # `limit_choices_to` (a category must be a top-level one) are still checked.
    exclude += [f.name for f in ticket._meta.concrete_fields
                if f.is_relation and not f.remote_field.limit_choices_to and f.name not in exclude
                and f.is_cached(ticket) and getattr(f.get_cached_value(ticket), "pk", None) is not None]
    ticket.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


@transaction.atomic
def create_ticket(model, *, actor, channel, **kwargs):
    """Create a ticket with the next number of its type, audited, with its SLA clocks started.

    Keywords as insert_ticket's, which does the work in this function's transaction."""
    return insert_ticket(model, actor=actor, channel=channel, **kwargs)


def insert_ticket(model, *, actor, channel, m2m=None, now=None, audit_context=None, values=None, event_data=None,
                  **fields):
    """create_ticket for a service that is already in its own atomic block: the same writes, without
    a savepoint of their own (a failure rolls the caller's block back, which a service raising it
    does anyway). Issue 12: the SAVEPOINT and its RELEASE were two of an incident create's statements.

    `values` carries fields whose names collide with this function's keywords (an incident's
    own `channel`, the way it was reported). `event_data` goes into the `<type>.created` event
    (what subscribers filter on without reloading the record: a VOC's kind).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("insert_ticket() runs inside the caller's transaction.atomic block.")
    now = now or timezone.now()
    fields = {**fields, **(values or {})}
    ticket = rows.new(model, created_by=actor if getattr(actor, "pk", None) else None, created_at=now, updated_at=now,
                      **fields)
    ticket.number = "pending"
    _validate(ticket)
    events.prepare(f"{type_name(ticket)}.creating", ticket, actor=actor, channel=channel, at=now)
    searchable = isinstance(getattr(model, "SEARCH_FIELDS", None), search.SearchFields)
    plain = type(ticket).save is Model.save
    if plain and (not searchable or search.fields_of(model).row_index):
        # Nothing written before the row needs its number (a row-index type stores no document
        # on creation): the number is allocated inside the INSERT (one statement fewer).
        if searchable:
            ticket.search_vector = None
        rows.insert([ticket], numbered=("number", NumberSequence.next_number_sql(model.NUMBER_PREFIX)))
    else:
        ticket.number = NumberSequence.format(model.NUMBER_PREFIX,
                                              NumberSequence.allocate(model.NUMBER_PREFIX))
        if searchable:
            ticket.search_vector = search.new_document(ticket)
        if plain:
            rows.insert([ticket])  # the INSERT bulk_create would write, its SQL not compiled (core.rows)
        else:
            ticket.save()
    if searchable:
        del ticket.search_vector  # deferred: the expression is not the value (read it back if needed)
    for name, values in (m2m or {}).items():
        getattr(ticket, name).set(values)
    audited = [f.name for f in model._meta.concrete_fields if f.name not in model.AUDIT_EXCLUDE | {"id"}]
    # The audit row rides in the next INSERT core.rows writes (the SLA clocks the event starts),
    # or is written at the block's end: one statement fewer per create (issue 12).
    with rows.together():
        audit.record_creation(ticket, actor=actor, channel=channel, fields=audited, context=audit_context,
                              at=now, later=True)
        events.publish(f"{type_name(ticket)}.created", ticket, actor=actor, channel=channel, at=now,
                       data=event_data)
    return ticket


def lock_for_update(ticket, expected_version=None):
    """Re-read the row under a lock; refuse if the caller's copy is stale. Any record with a
    `version` (tickets, and the registers' non-ticket records) is locked this way."""
    locked = type(ticket).objects.select_for_update().get(pk=ticket.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleVersion(locked.version)
    return locked


def apply_changes(locked, changes, *, validate, now):
    """Set `changes` on a row read by lock_for_update. When anything differs: validate, bump the
    version and save only the changed fields. Returns the diff, field → (old, new); {} for none.

    Shared by every versioned record (tickets, CIs); the caller audits and publishes the diff."""
    before = audit.snapshot(locked, changes.keys())
    for name, value in changes.items():
        setattr(locked, name, value)
    after = audit.snapshot(locked, changes.keys())
    diff = {name: (before[name], after[name]) for name in changes if before[name] != after[name]}
    if diff:
        validate(locked)
        locked.version += 1
        locked.updated_at = now
        locked.save(update_fields=[*diff.keys(), "version", "updated_at"])
    return diff


@transaction.atomic
def delete_record(record, *, actor, channel, event, state, data=None):
    """Delete a configuration record (freeze, calendar, definition, rule) as one audited act: the
    trail keeps `state`, its last values, and `event` is published before the row goes.

    Returns the record with its id kept, so the caller can still name what was removed. A
    protected row (ProtectedError) rolls all of it back."""
    audit.record(record, actor=actor, channel=channel, action=AuditAction.DELETED, old=state)
    events.publish(event, record, actor=actor, channel=channel,
                   data={"id": record.pk, **(data if data is not None else {"name": str(record)})})
    pk = record.pk
    record.delete()
    record.pk = pk
    return record


@transaction.atomic
def update_ticket(ticket, *, actor, channel, changes, expected_version=None, action=AuditAction.UPDATED,
                  audit_context=None, now=None):
    """Apply field changes to a ticket. Returns (ticket, diff) where diff maps field → (old, new).

    A stale `expected_version` raises StaleVersion and nothing is written. A change that
    alters nothing writes nothing and keeps the version.
    """
    now = now or timezone.now()
    locked = lock_for_update(ticket, expected_version)
    diff = apply_changes(locked, changes, validate=lambda row: _validate(row, fields=set(changes)), now=now)
    if not diff:
        return locked, {}
    audited = {k: v for k, v in diff.items() if k not in locked.AUDIT_EXCLUDE}
    audit.record_changes(locked, actor=actor, channel=channel, changes=audited, action=action,
                         context=audit_context, at=now)
    events.publish(f"{type_name(locked)}.updated", locked, actor=actor, channel=channel, at=now,
                   data={"diff": diff, "action": str(action)})
    return locked, diff


def touch(ticket, *, now=None):
    """Bump the version and updated_at after a change to related rows (links, comments)."""
    now = now or timezone.now()
    type(ticket).objects.filter(pk=ticket.pk).update(version=ticket.version + 1, updated_at=now)
    ticket.version += 1
    ticket.updated_at = now


@transaction.atomic
def set_links(ticket, *, field, targets, actor, channel, expected_version=None):
    """Replace a many-to-many link set (incidents of a problem, CIs of a change), audited."""
    locked = lock_for_update(ticket, expected_version)
    manager = getattr(locked, field)
    old_ids = set(manager.values_list("pk", flat=True))
    new_ids = {getattr(t, "pk", t) for t in targets}
    if old_ids == new_ids:
        return locked
    manager.set(new_ids)
    audit.record(locked, actor=actor, channel=channel, action=AuditAction.LINKED, field=field,
                 old=sorted(old_ids), new=sorted(new_ids))
    touch(locked)
    return locked


@transaction.atomic
def add_comment(ticket, *, actor, channel, body, internal=False, files=(), now=None, notify=True,
                by_process=False):
    """Add a public comment or an internal work note (desk staff only) with optional files.

    `notify=False` marks the `<type>.commented` event as one that people need not hear of (a
    reopen reason already told by the reopen notice). `by_process=True`: a work note another
    record's service writes for the desk (a cancelled request telling its change), in the
    name of whoever acted there, desk staff or not."""
    body = (body or "").strip()
    if not body and not files:
        raise DomainError(_("Write a comment or attach a file."), field="body", code="required")
    if internal and not by_process and not roles.is_agent(actor):
        raise PermissionRefused(_("Only service desk staff can write work notes."))
    now = now or timezone.now()
    comment = None
    if body:
        comment = Comment.objects.create(
            content_type=ContentType.objects.get_for_model(ticket), object_id=ticket.pk,
            author=actor, body=body, internal=internal, channel=channel, created_at=now,
        )
    for upload in files:
        add_attachment(ticket, actor=actor, channel=channel, upload=upload, internal=internal, now=now)
    # The ticket's row is written (and so locked) before the subscribers run: the SLA engine then
    # locks the ticket's clocks, and every service takes the two in that order, ticket first. A
    # comment locking the clocks first could deadlock with a change of the same ticket.
    touch(ticket, now=now)
    if comment is not None:
        audit.record(ticket, actor=actor, channel=channel, action=AuditAction.COMMENTED,
                     field="work_note" if internal else "comment", new=comment.pk, at=now)
        events.publish(f"{type_name(ticket)}.commented", ticket, actor=actor, channel=channel, at=now,
                       data={"comment": comment.pk, "internal": internal, "by_desk": roles.is_agent(actor),
                             "notify": notify})
    return comment


@transaction.atomic
def add_attachment(ticket, *, actor, channel, upload, internal=False, now=None):
    if internal and not roles.is_agent(actor):
        raise PermissionRefused(_("Only service desk staff can add internal files."))
    filename, mime_type = validate_upload(upload)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(ticket), object_id=ticket.pk,
        filename=filename, size=upload.size, mime_type=mime_type, internal=internal,
        uploaded_by=actor, created_at=now or timezone.now(),
    )
    attachment.file.save(filename, upload, save=False)
    attachment.save()
    audit.record(ticket, actor=actor, channel=channel, action=AuditAction.ATTACHED, field="attachment",
                 new=filename, context={"attachment_id": attachment.pk, "internal": internal})
    return attachment


def assignment_changes(*, group, person):
    """Validate an assignment pair before handing it to update_ticket."""
    if person is not None and group is not None and not group.members.filter(pk=person.pk).exists():
        raise DomainError(
            _("%(person)s is not a member of %(group)s.") % {"person": person, "group": group},
            field="assigned_to", code="not_member",
        )
    if person is not None and not roles.is_agent(person):
        raise DomainError(_("Only service desk staff can be assigned tickets."), field="assigned_to")
    return {"assignment_group": group, "assigned_to": person}


# --- the ticket contract: editable fields and state moves, for every type -------------------

def check_editable(model, changes, actor, *, creating=False, is_agent=None):
    """Refuse fields the model does not declare in EDITABLE_FIELDS (400) and, for end users, the
    lifecycle's desk-only fields (403). The one editable-field check of every ticket type."""
    unknown = set(changes) - set(model.EDITABLE_FIELDS)
    if unknown:
        message = (_("These fields cannot be set: %(fields)s.") if creating
                   else _("These fields cannot be changed here: %(fields)s."))
        raise DomainError(message % {"fields": ", ".join(sorted(unknown))}, code="not_editable")
    check_desk_only(model, changes, actor, is_agent=is_agent)


def check_desk_only(model, fields, actor, *, is_agent=None):
    """Refuse (403) an end user's change to the lifecycle's desk-only fields. The API runs it before
    validating any value, so that a field that is not theirs tells them nothing about the ids sent."""
    if is_agent is None:
        is_agent = roles.is_agent(actor)
    lifecycle = getattr(model, "lifecycle", None)
    desk_only = set(fields) & set(lifecycle.desk_only_fields if lifecycle is not None else ())
    if desk_only and not is_agent:
        raise PermissionRefused(_("Only the service desk can change these fields: %(fields)s.")
                                % {"fields": ", ".join(sorted(desk_only))})


def check_creatable(model, fields, actor, *, is_agent=None):
    """On creation, refuse (403, naming them) the fields an end user may not set: all but the
    lifecycle's `reporter_fields`. The creation counterpart of check_editable's desk-only rule."""
    lifecycle = getattr(model, "lifecycle", None)
    allowed = getattr(lifecycle, "reporter_fields", None)
    if allowed is None:
        return
    if is_agent is None:
        is_agent = roles.is_agent(actor)
    refused = set(fields) - set(allowed)
    if refused and not is_agent:
        raise PermissionRefused(_("Only the service desk can set these fields: %(fields)s.")
                                % {"fields": ", ".join(sorted(refused))})


def transition_verb(lifecycle, old, new):
    """The event verb of a move, from the state groups: cancelled, closed, resolved, reopened."""
    if lifecycle.is_cancelled(new):
        return "cancelled"
    if lifecycle.is_terminal(new):
        return "closed"
    if lifecycle.is_resolved(new):
        return "resolved"
    if (lifecycle.is_resolved(old) or lifecycle.is_terminal(old)) and lifecycle.is_open(new):
        return "reopened"
    return "transitioned"


@transaction.atomic
def transition(ticket, target, *, actor, channel, changes=None, expected_version=None, is_agent=None,
               facts=None, prepare=None, audit_context=None, now=None, event_data=None):
    """Move a ticket to `target` through its type's workflow, as one audited TRANSITIONED write.

    `changes` are the caller's fields that go with the move (a resolution, an on-hold reason):
    checked by check_editable, and the workflow's guards see the ticket with them applied
    (`facts` overrides the type's `facts_for` when the service knows more). `prepare(locked,
    facts)`, run once the move is allowed, returns the fields the type derives itself (cleared
    values, counters). The state's timestamp (lifecycle.timestamps) is stamped unless set.
    Publishes "<type>.<verb>" (core.events), its data {"from", "to"} plus `event_data`.
    Returns (ticket, diff) like update_ticket.
    """
    model = type(ticket)
    lifecycle = lifecycle_of(model)
    workflow = lifecycle.workflow
    changes = dict(changes or {})
    changes.pop("state", None)
    now = now or timezone.now()
    if is_agent is None:
        is_agent = roles.is_agent(actor)
    check_editable(model, changes, actor, is_agent=is_agent)
    locked = lock_for_update(ticket, expected_version)
    old = locked.state
    facts = facts if facts is not None else workflow.facts_for(locked, changes)
    workflow.check_transition(facts, target, is_agent=is_agent)
    values = {**changes, **(prepare(locked, facts) if prepare else {}), "state": target}
    stamp = lifecycle.timestamps.get(target)
    if stamp and stamp not in values and getattr(locked, stamp) is None:
        values[stamp] = now
    locked, diff = update_ticket(locked, actor=actor, channel=channel, changes=values,
                                 action=AuditAction.TRANSITIONED, audit_context=audit_context, now=now)
    if "state" in diff:
        events.publish(f"{type_name(locked)}.{transition_verb(lifecycle, old, target)}", locked, actor=actor,
                       channel=channel, data={"from": str(old), "to": str(target), **(event_data or {})}, at=now)
    return locked, diff
