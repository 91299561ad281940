"""Document register use cases: the only writers of documents, their versions and their
distribution. Atomic, audited, actor and channel explicit; built on core.services (numbering,
version lock, audit rows, events).

`document.created`, `document.updated` and `document.<verb>` come from core; this module adds
`document.version-added`, `document.approved` (with the version put in force),
`document.distributed` and `document.acknowledged`.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core import audit, clauses, events, search
from core import services as core_services
from core.choices import AuditAction
from core.exceptions import DomainError, PermissionRefused
from documents import workflow
from documents.choices import DocumentKind, DocumentState
from documents.models import Distribution, Document, DocumentVersion

S = DocumentState
M2M_FIELDS = ("services", "configuration_items", "changes", "releases")
SEARCHED = frozenset({"title", "description", "number"})


def _require_desk(actor):
    if actor is not None and not roles.is_agent(actor):
        raise PermissionRefused(_("Only service desk staff work on the document register."))


def _check_fields(fields, kind):
    if "clauses" in fields:
        given = fields["clauses"] or []
        if not isinstance(given, (list, tuple)):
            raise DomainError(_("Give a list of clause ids."), field="clauses")
        wrong = clauses.unknown(given)
        if wrong:
            raise DomainError(_("Unknown ISO/IEC 20000-1 clauses: %(ids)s.") % {"ids": ", ".join(map(str, wrong))},
                              field="clauses", code="unknown_clause")
        fields["clauses"] = sorted({str(c).strip() for c in given}, key=_clause_key)
    owner = fields.get("owner")
    if owner is not None and not roles.is_agent(owner):
        raise DomainError(_("Choose a member of the service desk staff."), field="owner", code="not_staff")
    if "kind" in fields and fields["kind"] not in DocumentKind.values:
        raise DomainError(_("Unknown kind."), field="kind")


def _clause_key(clause_id):
    return tuple(int(part) if part.isdigit() else 0 for part in clause_id.split("."))


def _split(fields):
    links = {name: list(fields.pop(name)) for name in M2M_FIELDS if name in fields and fields[name] is not None}
    for name in M2M_FIELDS:
        fields.pop(name, None)
    return links


@transaction.atomic
def create_document(*, actor, channel, body="", change_summary="", now=None, **fields):
    """Register a document (draft). With `body`, its first version text is written too."""
    _require_desk(actor)
    now = now or timezone.now()
    fields.pop("state", None)
    links = _split(fields)
    core_services.check_editable(Document, fields, actor, creating=True, is_agent=True)
    if not fields.get("kind"):
        raise DomainError(_("Choose the kind of document."), field="kind", code="required")
    _check_fields(fields, fields["kind"])
    workflow.check_traced(fields["kind"], links.get("changes"), links.get("releases"))
    document = core_services.create_ticket(Document, actor=actor, channel=channel, now=now, m2m=links,
                                           state=S.DRAFT, **fields)
    if body:
        _write_version(document, actor=actor, channel=channel, body=body, change_summary=change_summary, now=now)
    search.refresh(Document, [document.pk])
    return document


@transaction.atomic
def update_document(document, *, actor, channel, changes, expected_version=None, now=None):
    """Edit a document's fields and links; a `state` among them moves it (transition_document)."""
    _require_desk(actor)
    changes = dict(changes)
    if "state" in changes and changes["state"] != document.state:
        target = changes.pop("state")
        locked = transition_document(document, target, actor=actor, channel=channel,
                                     expected_version=expected_version, now=now)
        if changes:
            return update_document(locked, actor=actor, channel=channel, changes=changes, now=now)
        return locked
    changes.pop("state", None)
    now = now or timezone.now()
    links = _split(changes)
    core_services.check_editable(Document, changes, actor, is_agent=True)
    _check_fields(changes, changes.get("kind", document.kind))
    locked = core_services.lock_for_update(document, expected_version)
    if locked.state == S.RETIRED:
        raise DomainError(_("A retired document is kept as it was."), field="state", code="retired")
    kind = changes.get("kind", locked.kind)
    workflow.check_traced(kind, links.get("changes", _ids(locked.changes)), links.get("releases", _ids(locked.releases)))
    locked, diff = core_services.update_ticket(locked, actor=actor, channel=channel, changes=changes, now=now)
    for name, targets in links.items():
        locked = core_services.set_links(locked, field=name, targets=targets, actor=actor, channel=channel)
    if SEARCHED & set(diff):
        search.refresh(Document, [locked.pk])
    return locked


def _ids(manager):
    return list(manager.values_list("pk", flat=True))


def _latest(document):
    return document.versions.order_by("-number").first()


def _write_version(document, *, actor, channel, body, change_summary, now):
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion.objects.create(document=document, number=number, body=body,
                                             change_summary=change_summary[:300],
                                             created_by=actor if getattr(actor, "pk", None) else None)
    audit.record(document, actor=actor, channel=channel, action=AuditAction.UPDATED,
                 field="versions", old=number - 1, new=number, at=now)
    events.publish("document.version-added", document, actor=actor, channel=channel, data={"version": number}, at=now)
    return version


@transaction.atomic
def add_version(document, *, actor, channel, body, change_summary="", expected_version=None, now=None):
    """Write a new version text. On an approved document this starts a new draft (the approved
    version stays in force until the new one is approved)."""
    _require_desk(actor)
    now = now or timezone.now()
    if not (body or "").strip():
        raise DomainError(_("Write the text of the version."), field="body", code="required")
    locked = core_services.lock_for_update(document, expected_version)
    workflow.check_new_version(locked.state)
    if locked.state == S.APPROVED:
        locked, _diff = core_services.transition(locked, S.DRAFT, actor=actor, channel=channel, is_agent=True,
                                                 now=now)
    version = _write_version(locked, actor=actor, channel=channel, body=body, change_summary=change_summary, now=now)
    core_services.touch(locked, now=now)
    return locked, version


@transaction.atomic
def transition_document(document, target, *, actor, channel, expected_version=None, review_at=None, now=None):
    """Move a document through its workflow. Approving freezes the newest version (who approved
    it, when) and puts it in force (`current_version`), with the next review date."""
    _require_desk(actor)
    if target not in S.values:
        raise DomainError(_("Unknown state: %(state)s.") % {"state": target}, field="state")
    now = now or timezone.now()
    latest = _latest(document)
    facts = workflow.facts_for(document, latest=latest, actor=actor)
    changes = {}

    def prepare(locked, facts):
        if target != S.APPROVED:
            return {}
        return {"current_version": latest.number, "approved_at": now, "approved_by": actor,
                "review_at": workflow.next_review(timezone.localdate(now), review_at or locked.review_at)}

    locked, diff = core_services.transition(document, target, actor=actor, channel=channel, changes=changes,
                                            expected_version=expected_version, is_agent=True, facts=facts,
                                            prepare=prepare, now=now)
    if target == S.APPROVED and "state" in diff:
        DocumentVersion.objects.filter(pk=latest.pk).update(approved_by=actor, approved_at=now)
        events.publish("document.approved", locked, actor=actor, channel=channel, data={"version": latest.number},
                       at=now)
    return locked


@transaction.atomic
def distribute(document, *, actor, channel, team=None, person=None, acknowledgement_required=False, now=None):
    """Distribute a document to a team or a person (once each)."""
    _require_desk(actor)
    now = now or timezone.now()
    if (team is None) == (person is None):
        raise DomainError(_("Distribute to a team or to a person."), field="team", code="required")
    locked = core_services.lock_for_update(document)
    if locked.state == S.RETIRED:
        raise DomainError(_("A retired document is no longer distributed."), field="state", code="retired")
    existing = Distribution.objects.filter(document=locked, team=team, person=person).first()
    if existing is not None:
        return existing
    entry = Distribution.objects.create(document=locked, team=team, person=person, created_at=now,
                                        acknowledgement_required=bool(acknowledgement_required))
    audit.record(locked, actor=actor, channel=channel, action=AuditAction.LINKED, field="distribution",
                 new=str(team or person), at=now)
    events.publish("document.distributed", locked, actor=actor, channel=channel,
                   data={"team": getattr(team, "pk", None), "person": getattr(person, "pk", None)}, at=now)
    core_services.touch(locked, now=now)
    return entry


@transaction.atomic
def acknowledge(document, *, actor, channel, now=None):
    """The actor acknowledges the version in force, for themselves (their own entry, or one made
    for them when the document went to one of their teams)."""
    now = now or timezone.now()
    if document.current_version == 0:
        raise DomainError(_("Nothing to acknowledge: no version is in force yet."), field="current_version")
    entry = Distribution.objects.select_for_update().filter(document=document, person=actor).first()
    if entry is None:
        team_entry = Distribution.objects.filter(document=document, team__members=actor).order_by("id").first()
        if team_entry is None:
            raise DomainError(_("This document was not distributed to you."), field="person", code="not_distributed")
        entry = Distribution.objects.create(document=document, person=actor, created_at=now,
                                            acknowledgement_required=team_entry.acknowledgement_required)
    entry.acknowledged_at = now
    entry.acknowledged_version = document.current_version
    entry.save(update_fields=["acknowledged_at", "acknowledged_version"])
    audit.record(document, actor=actor, channel=channel, action=AuditAction.UPDATED, field="acknowledged",
                 new=document.current_version, at=now)
    events.publish("document.acknowledged", document, actor=actor, channel=channel,
                   data={"version": document.current_version}, at=now)
    return entry
