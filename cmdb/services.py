"""Use cases of configuration management: the only writers of CIs and relationships.

Each takes the actor and the channel as keyword arguments, runs atomically, validates with the
model's `clean()` (attribute schema, relationship rules), and writes the audit trail. A change
made under a change record names it with `authorised_by` (a change number such as
"CHG0001001", or the change itself); it is stored in the audit rows' context as `change`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cmdb.models import ConfigurationItem, ImportJob, Relationship
from core import audit, events
from core import services as core_services
from core.choices import AuditAction


def audit_context(authorised_by=None, **extra) -> dict:
    context = {key: value for key, value in extra.items() if value not in (None, "")}
    if authorised_by not in (None, ""):
        context["change"] = str(getattr(authorised_by, "number", authorised_by)).strip()[:50]
    return context


def _audited_fields():
    return [f for f in ConfigurationItem.EDITABLE_FIELDS if f not in ConfigurationItem.AUDIT_EXCLUDE]


def _check_natural_key(ci):
    """A friendlier error than the constraint's for the (class, name, environment) key."""
    if not (ci.ci_class_id and ci.name and ci.environment):
        return
    clash = ConfigurationItem.objects.filter(
        ci_class_id=ci.ci_class_id, name=ci.name, environment=ci.environment
    ).exclude(pk=ci.pk)
    if clash.exists():
        raise ValidationError({"name": _("A %(cls)s named “%(name)s” already exists in %(env)s.") % {
            "cls": ci.ci_class, "name": ci.name, "env": ci.get_environment_display()}})


def _normalise(fields: dict) -> dict:
    # CIs answer per field (ValidationError) so the CMDB forms and imports show it on the column;
    # the list of editable fields is the model's declaration, as for tickets.
    unknown = set(fields) - set(ConfigurationItem.EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    fields = dict(fields)
    if "external_id" in fields and fields["external_id"] is not None:
        fields["external_id"] = str(fields["external_id"]).strip() or None
    if "tags" in fields and isinstance(fields["tags"], list):
        fields["tags"] = [str(tag).strip() for tag in fields["tags"] if str(tag).strip()]
    if fields.get("attributes") is None and "attributes" in fields:
        fields["attributes"] = {}
    return fields


def validate_ci(ci):
    """Run every single-row invariant; raises ValidationError naming the fields at fault."""
    _check_natural_key(ci)
    ci.full_clean()


@transaction.atomic
def create_ci(*, actor, channel, authorised_by=None, now=None, **fields) -> ConfigurationItem:
    """Create a CI after validating its attributes against its class's schema; audited."""
    now = now or timezone.now()
    ci = ConfigurationItem(created_at=now, updated_at=now, **_normalise(fields))
    validate_ci(ci)
    ci.save()
    audit.record_creation(ci, actor=actor, channel=channel, fields=_audited_fields(),
                          context=audit_context(authorised_by))
    events.publish("cmdb.ci_created", ci, actor=actor, channel=channel, at=now)
    return ci


def _attribute_changes(before: dict, after: dict) -> dict:
    """Per-key changes of `attributes`, audited as "attributes.<key>" rows."""
    before, after = before or {}, after or {}
    return {
        f"attributes.{key}": (before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


@transaction.atomic
def update_ci(ci, *, actor, channel, changes: dict, expected_version=None, authorised_by=None, now=None):
    """Apply `changes` to a CI. Returns (ci, diff) with diff mapping field → (old, new).

    A stale `expected_version` raises StaleVersion and nothing is written; a change that alters
    nothing writes nothing and keeps the version.
    """
    now = now or timezone.now()
    changes = _normalise(changes)
    locked = core_services.lock_for_update(ci, expected_version)
    diff = core_services.apply_changes(locked, changes, validate=validate_ci, now=now)
    if not diff:
        return locked, {}
    audited = {name: values for name, values in diff.items() if name != "attributes"}
    if "attributes" in diff:
        audited.update(_attribute_changes(*diff["attributes"]))
    audit.record_changes(locked, actor=actor, channel=channel, changes=audited,
                         context=audit_context(authorised_by), at=now)
    events.publish("cmdb.ci_updated", locked, actor=actor, channel=channel, at=now,
                   data={"fields": sorted(diff)})
    return locked, diff


def _relationship_value(rel):
    return {"id": rel.pk, "source": rel.source_id, "type": rel.type, "target": rel.target_id}


@transaction.atomic
def add_relationship(*, source, target, type, actor, channel, authorised_by=None, now=None) -> Relationship:
    """Relate two CIs (`source` needs `target`); refuses self-loops, duplicates and pairs the
    class rules forbid. Audited on both CIs."""
    now = now or timezone.now()
    rel = Relationship(source=source, target=target, type=type, created_at=now)
    if Relationship.objects.filter(source=source, target=target, type=type).exists():
        raise ValidationError({"target": _("%(source)s already %(type)s %(target)s.") % {
            "source": source, "type": rel.get_type_display(), "target": target}})
    rel.full_clean()
    rel.save()
    context = audit_context(authorised_by)
    value = _relationship_value(rel)
    for ci in (source, target):
        audit.record(ci, actor=actor, channel=channel, action=AuditAction.LINKED, field="relationship",
                     new=value, context=context, at=now)
    return rel


@transaction.atomic
def remove_relationship(rel, *, actor, channel, authorised_by=None, now=None):
    """Delete a relationship, audited on both CIs."""
    now = now or timezone.now()
    value = _relationship_value(rel)
    source, target = rel.source, rel.target
    rel.delete()
    context = audit_context(authorised_by)
    for ci in (source, target):
        audit.record(ci, actor=actor, channel=channel, action=AuditAction.UNLINKED, field="relationship",
                     old=value, context=context, at=now)


@transaction.atomic
def delete_ci(ci, *, actor, channel, authorised_by=None, now=None):
    """Delete a CI (administrators only; others retire it). Its relationships go with it, each
    audited as removed on the CI at the other end, so no neighbour's history loses the link.

    A CI that tickets still name raises ProtectedError and nothing is written.
    """
    now = now or timezone.now()
    context = audit_context(authorised_by)
    locked = ConfigurationItem.objects.select_for_update().get(pk=ci.pk)
    audit.record_deletion(locked, actor=actor, channel=channel, fields=_audited_fields(), context=context, at=now)
    rels = Relationship.objects.filter(models.Q(source=locked) | models.Q(target=locked)).select_related(
        "source", "target")
    for rel in rels:
        other = rel.target if rel.source_id == locked.pk else rel.source
        audit.record(other, actor=actor, channel=channel, action=AuditAction.UNLINKED, field="relationship",
                     old=_relationship_value(rel), context=context, at=now)
    events.publish("cmdb.ci_deleted", locked, actor=actor, channel=channel,
                   data={"id": locked.pk, "name": locked.name})
    locked.delete()
    return ci


IMPORT_JOB_FIELDS = ("kind", "format", "filename", "dry_run", "skip_bad_rows", "authorised_by")


@transaction.atomic
def create_import_job(*, actor, channel, kind, format, payload, filename="", dry_run=False, skip_bad_rows=False,
                      authorised_by=""):
    """Queue an import of CIs or relationships uploaded by `actor`; the CI writes it makes later
    are audited under the same actor (see cmdb.imports.run_job)."""
    job = ImportJob.objects.create(kind=kind, format=format, filename=(filename or "")[:255], payload=payload,
                                   dry_run=dry_run, skip_bad_rows=skip_bad_rows,
                                   authorised_by=authorised_by or "", created_by=actor)
    audit.record_creation(job, actor=actor, channel=channel, fields=IMPORT_JOB_FIELDS,
                          context=audit_context(authorised_by))
    events.publish("cmdb.import_started", job, actor=actor, channel=channel,
                   data={"kind": kind, "dry_run": dry_run})
    return job
