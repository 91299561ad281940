"""Use cases of the audit programme, management reviews and certification: the only writers of
assurance's records. Each takes the actor and channel, runs atomically, writes the audit trail
(core.audit) and publishes events through the outbox (core.events).

Managers and administrators write (internal auditors are desk staff); agents read. `actor=None`
is the system (the demo data).
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from assurance import rules
from assurance.choices import (
    ActionState, AuditState, CertificationKind, FindingKind, FindingState,
)
from assurance.models import (
    Audit, AuditProgramme, CertificationEvent, Finding, ManagementReview, ReviewAction,
)
from core import audit as trail
from core import events
from core.choices import AuditAction
from core.exceptions import DomainError, PermissionRefused
from core.services import lock_for_update

PROGRAMME_FIELDS = ("name", "start_year", "description")
AUDIT_FIELDS = ("programme", "number", "title", "scope", "processes", "audited_teams", "planned_date",
                "performed_date", "lead_auditor", "auditor_team", "independence_conflict", "independence_note",
                "state", "summary")
FINDING_FIELDS = ("audit", "sequence", "kind", "clauses", "description", "evidence", "evidence_records", "state",
                  "corrective_action", "closure_note", "closed_at")
REVIEW_FIELDS = ("title", "held_on", "period_start", "period_end", "attendees", "chair", "minutes", "risks",
                 "pack_generated_at")
ACTION_FIELDS = ("review", "title", "owner", "due_date", "state", "note", "closed_at")
EVENT_FIELDS = ("kind", "date", "body", "result", "findings", "findings_closed_on", "notes")


def _require_writer(actor):
    if actor is not None and not roles.is_manager(actor):
        raise PermissionRefused(_("Only managers and administrators keep the audit programme, reviews and "
                                  "certification records."))


def _check_staff(person, field):
    if person is not None and not roles.is_agent(person):
        raise DomainError(_("Choose a member of the service desk staff."), field=field, code="not_staff")


def _create(model, *, actor, channel, fields, audited, event, m2m=None, now=None):
    now = now or timezone.now()
    record = model(**fields, created_at=now, updated_at=now)
    record.save()
    for name, values in (m2m or {}).items():
        getattr(record, name).set(values)
    trail.record_creation(record, actor=actor, channel=channel, fields=audited, at=now)
    events.publish(event, record, actor=actor, channel=channel, at=now)
    return record


def _update(record, *, actor, channel, changes, audited, event, expected_version=None, m2m=None, now=None,
            action=AuditAction.UPDATED):
    """Lock the row, check the version (409 when stale), apply `changes`, audit the difference,
    bump the version and publish `event` with the changed field names. Nothing sent, nothing changes."""
    now = now or timezone.now()
    locked = lock_for_update(record, expected_version)
    before = trail.snapshot(locked, audited)
    for name, value in changes.items():
        setattr(locked, name, value)
    for name, values in (m2m or {}).items():
        getattr(locked, name).set(values)
    diff = trail.changes_between(before, trail.snapshot(locked, audited))
    if not diff:
        return locked, {}
    locked.version += 1
    locked.updated_at = now
    locked.save()
    trail.record_changes(locked, actor=actor, channel=channel, changes=diff, action=action, at=now)
    events.publish(event, locked, actor=actor, channel=channel, data={"fields": sorted(diff)}, at=now)
    return locked, diff


def _delete(record, *, actor, channel, audited, event):
    trail.record_deletion(record, actor=actor, channel=channel, fields=audited)
    events.publish(event, record, actor=actor, channel=channel)
    pk = record.pk
    record.delete()
    record.pk = pk
    return record


# --- programme --------------------------------------------------------------------------------
@transaction.atomic
def create_programme(*, actor, channel, name, start_year, description="", now=None):
    _require_writer(actor)
    if AuditProgramme.objects.filter(start_year=start_year).exists():
        raise DomainError(_("A programme already covers the cycle starting in %(year)s.") % {"year": start_year},
                          field="start_year", code="unique")
    return _create(AuditProgramme, actor=actor, channel=channel, audited=PROGRAMME_FIELDS,
                   event="audit_programme.created", now=now,
                   fields={"name": name, "start_year": start_year, "description": description})


@transaction.atomic
def update_programme(programme, *, actor, channel, changes, expected_version=None, now=None):
    _require_writer(actor)
    changes = {k: v for k, v in changes.items() if k in ("name", "description")}
    return _update(programme, actor=actor, channel=channel, changes=changes, audited=PROGRAMME_FIELDS,
                   event="audit_programme.updated", expected_version=expected_version, now=now)


def programme_for(day):
    """The programme whose three-year cycle holds `day`'s year, or a 400 on the planned date."""
    year = day.year
    programme = (AuditProgramme.objects.filter(start_year__lte=year, start_year__gt=year - rules.CYCLE_YEARS)
                 .order_by("-start_year").first())
    if programme is None:
        raise DomainError(_("No audit programme covers %(year)s: create the programme of that cycle first.")
                          % {"year": year}, field="planned_date", code="no_programme")
    return programme


# --- audits -----------------------------------------------------------------------------------
def _independence(auditor, auditor_team, audited_teams):
    """(conflict, the auditor's team): the auditor's own teams (and the team recorded for them)
    against the teams whose processes are audited."""
    own = set(auditor.teams.values_list("pk", flat=True)) if auditor is not None else set()
    if auditor_team is not None:
        own.add(auditor_team.pk)
    elif auditor is not None:
        auditor_team = auditor.teams.order_by("name").first()
    conflicts = rules.independence_conflicts(own, {t.pk for t in audited_teams})
    return bool(conflicts), auditor_team


@transaction.atomic
def create_audit(*, actor, channel, title, scope, planned_date, lead_auditor, audited_teams=(), processes="",
                 auditor_team=None, independence_note="", summary="", now=None):
    """Plan an audit in the programme of its year, numbered AUD-<year>-<nn>. The independence flag
    is derived, never typed: it is on when the lead auditor belongs to an audited team."""
    _require_writer(actor)
    scope = rules.check_clauses(scope, "scope")
    if not scope:
        raise DomainError(_("Name at least one clause in scope."), field="scope", code="required")
    if not title or not str(title).strip():
        raise DomainError(_("Give the audit a title."), field="title", code="required")
    _check_staff(lead_auditor, "lead_auditor")
    programme = programme_for(planned_date)
    AuditProgramme.objects.select_for_update().get(pk=programme.pk)  # serialises the numbering
    prefix = f"AUD-{planned_date.year}-"
    taken = Audit.objects.filter(number__startswith=prefix).count()
    number = f"{prefix}{taken + 1:02d}"
    while Audit.objects.filter(number=number).exists():
        taken += 1
        number = f"{prefix}{taken + 1:02d}"
    audited_teams = list(audited_teams)
    conflict, auditor_team = _independence(lead_auditor, auditor_team, audited_teams)
    return _create(Audit, actor=actor, channel=channel, audited=AUDIT_FIELDS, event="audit.created", now=now,
                   m2m={"audited_teams": audited_teams},
                   fields={"programme": programme, "number": number, "title": title, "scope": scope,
                           "processes": processes, "planned_date": planned_date, "lead_auditor": lead_auditor,
                           "auditor_team": auditor_team, "independence_conflict": conflict,
                           "independence_note": independence_note, "summary": summary})


AUDIT_EDITABLE = frozenset({"title", "scope", "processes", "audited_teams", "planned_date", "performed_date",
                            "lead_auditor", "auditor_team", "independence_note", "summary", "state"})


@transaction.atomic
def update_audit(audit, *, actor, channel, changes, expected_version=None, now=None):
    """Edit an audit; a `state` among the changes moves it (rules.check_audit_transition)."""
    _require_writer(actor)
    changes = {k: v for k, v in changes.items() if k in AUDIT_EDITABLE}
    if "scope" in changes:
        changes["scope"] = rules.check_clauses(changes["scope"], "scope")
        if not changes["scope"]:
            raise DomainError(_("Name at least one clause in scope."), field="scope", code="required")
    if "lead_auditor" in changes:
        if changes["lead_auditor"] is None:
            raise DomainError(_("An audit has a lead auditor."), field="lead_auditor", code="required")
        _check_staff(changes["lead_auditor"], "lead_auditor")
    if "planned_date" in changes and changes["planned_date"].year != audit.planned_date.year:
        changes["programme"] = programme_for(changes["planned_date"])
    target = changes.pop("state", audit.state)
    action = AuditAction.UPDATED
    if target != audit.state:
        open_findings = audit.findings.filter(state=FindingState.OPEN).count()
        rules.check_audit_transition(audit.state, target,
                                     performed_date=changes.get("performed_date", audit.performed_date),
                                     open_findings=open_findings)
        changes["state"] = target
        action = AuditAction.TRANSITIONED
    m2m = {}
    if "audited_teams" in changes:
        m2m["audited_teams"] = list(changes.pop("audited_teams"))
    teams = m2m.get("audited_teams", list(audit.audited_teams.all()))
    auditor = changes.get("lead_auditor", audit.lead_auditor)
    if "auditor_team" in changes or "lead_auditor" in changes:
        conflict, team = _independence(auditor, changes.get("auditor_team"), teams)
        changes["auditor_team"] = team
    else:
        conflict, _team = _independence(auditor, audit.auditor_team, teams)
    changes["independence_conflict"] = conflict
    return _update(audit, actor=actor, channel=channel, changes=changes, audited=AUDIT_FIELDS, m2m=m2m,
                   event="audit.updated", expected_version=expected_version, now=now, action=action)


# --- findings ---------------------------------------------------------------------------------
@transaction.atomic
def add_finding(audit, *, actor, channel, kind, clauses, description, evidence="", evidence_records=(),
                owner=None, due_date=None, now=None):
    """Record a finding of an audit under way or reported. A nonconformity raises its corrective
    action in the improvement register (source: audit finding) and is linked to it."""
    from improvements.choices import Kind, SourceType
    from improvements.services import create_improvement

    _require_writer(actor)
    if kind not in FindingKind.values:
        raise DomainError(_("Unknown kind of finding: %(kind)s.") % {"kind": kind}, field="kind")
    clauses = rules.check_clauses(clauses, "clauses")
    if not clauses:
        raise DomainError(_("Name the clause the finding is against."), field="clauses", code="required")
    if not (description or "").strip():
        raise DomainError(_("Describe the finding."), field="description", code="required")
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    if locked.state not in (AuditState.IN_PROGRESS, AuditState.REPORTED):
        raise DomainError(_("Findings are recorded while the audit is in progress or reported."),
                          field="audit", code="audit_state")
    now = now or timezone.now()
    sequence = (locked.findings.aggregate(m=Max("sequence"))["m"] or 0) + 1
    records = [str(r).strip()[:40] for r in evidence_records or () if str(r).strip()]
    finding = _create(Finding, actor=actor, channel=channel, audited=FINDING_FIELDS, event="audit_finding.created",
                      now=now, fields={"audit": locked, "sequence": sequence, "kind": kind, "clauses": clauses,
                                       "description": description, "evidence": evidence,
                                       "evidence_records": records})
    if rules.needs_corrective_action(kind):
        label = f"{finding.number} {FindingKind(kind).label}"
        action = create_improvement(
            actor=actor, channel=channel, now=now, source=finding, source_label=str(label)[:200],
            title=str(_("Corrective action for %(finding)s (clause %(clauses)s)") % {
                "finding": finding.number, "clauses": ", ".join(clauses)})[:200],
            description=description, kind=Kind.CORRECTIVE_ACTION, source_type=SourceType.AUDIT_FINDING,
            nonconformity=description, **({"owner": owner} if owner else {}),
            **({"due_date": due_date} if due_date else {}))
        Finding.objects.filter(pk=finding.pk).update(corrective_action=action)
        finding.corrective_action = action
        trail.record(finding, actor=actor, channel=channel, action=AuditAction.LINKED, field="corrective_action",
                     new=action.pk, at=now)
    return finding


FINDING_EDITABLE = frozenset({"clauses", "description", "evidence", "evidence_records", "state", "closure_note"})


@transaction.atomic
def update_finding(finding, *, actor, channel, changes, expected_version=None, now=None):
    """Edit a finding; `state: closed` closes it when its corrective action is closed, or with a
    closing note saying why (rules.check_finding_close); `state: open` reopens it."""
    _require_writer(actor)
    now = now or timezone.now()
    changes = {k: v for k, v in changes.items() if k in FINDING_EDITABLE}
    if "clauses" in changes:
        changes["clauses"] = rules.check_clauses(changes["clauses"], "clauses")
        if not changes["clauses"]:
            raise DomainError(_("Name the clause the finding is against."), field="clauses", code="required")
    if "evidence_records" in changes:
        changes["evidence_records"] = [str(r).strip()[:40] for r in changes["evidence_records"] or () if str(r).strip()]
    target = changes.pop("state", finding.state)
    action = AuditAction.UPDATED
    if target not in FindingState.values:
        raise DomainError(_("Unknown state: %(state)s.") % {"state": target}, field="state")
    if target != finding.state:
        action = AuditAction.TRANSITIONED
        if target == FindingState.CLOSED:
            # Read the action's state now: the finding in hand may carry an old copy of it.
            closed = None
            if finding.corrective_action_id is not None:
                closed = _improvement_state(finding.corrective_action_id) in _closed_improvement_states()
            rules.check_finding_close(finding.kind, action_closed=closed,
                                      note=changes.get("closure_note", finding.closure_note))
            changes["closed_at"] = now
        else:
            changes["closed_at"] = None
        changes["state"] = target
    return _update(finding, actor=actor, channel=channel, changes=changes, audited=FINDING_FIELDS,
                   event="audit_finding.updated", expected_version=expected_version, now=now, action=action)


def _improvement_state(pk):
    from improvements.models import Improvement

    return Improvement.objects.filter(pk=pk).values_list("state", flat=True).first()


def _closed_improvement_states():
    from improvements.choices import CLOSED_STATES

    return CLOSED_STATES


# --- management reviews -----------------------------------------------------------------------
def _check_period(start, end):
    if start and end and end < start:
        raise DomainError(_("The period ends before it starts."), field="period_end", code="invalid")


def _check_risks(risks):
    if not isinstance(risks, list):
        raise DomainError(_("Risks are a list of {risk, rating, treatment}."), field="risks")
    cleaned = []
    for item in risks:
        if not isinstance(item, dict) or not str(item.get("risk", "")).strip():
            raise DomainError(_("Each risk names the risk."), field="risks")
        cleaned.append({"risk": str(item["risk"])[:300], "rating": str(item.get("rating", ""))[:40],
                        "treatment": str(item.get("treatment", ""))[:500]})
    return cleaned


@transaction.atomic
def create_review(*, actor, channel, title, held_on, period_start, period_end, attendees="", chair=None,
                  minutes="", risks=(), now=None):
    _require_writer(actor)
    _check_period(period_start, period_end)
    _check_staff(chair, "chair")
    return _create(ManagementReview, actor=actor, channel=channel, audited=REVIEW_FIELDS,
                   event="management_review.created", now=now,
                   fields={"title": title, "held_on": held_on, "period_start": period_start,
                           "period_end": period_end, "attendees": attendees, "chair": chair, "minutes": minutes,
                           "risks": _check_risks(list(risks))})


REVIEW_EDITABLE = frozenset({"title", "held_on", "period_start", "period_end", "attendees", "chair", "minutes", "risks"})


@transaction.atomic
def update_review(review, *, actor, channel, changes, expected_version=None, now=None):
    _require_writer(actor)
    changes = {k: v for k, v in changes.items() if k in REVIEW_EDITABLE}
    _check_period(changes.get("period_start", review.period_start), changes.get("period_end", review.period_end))
    if "chair" in changes:
        _check_staff(changes["chair"], "chair")
    if "risks" in changes:
        changes["risks"] = _check_risks(changes["risks"])
    return _update(review, actor=actor, channel=channel, changes=changes, audited=REVIEW_FIELDS,
                   event="management_review.updated", expected_version=expected_version, now=now)


@transaction.atomic
def generate_pack(review, *, actor, channel, now=None):
    """Freeze the review's inputs from live data (assurance.pack) into the review. Generating again
    replaces the pack; the audit trail keeps when."""
    from assurance import pack

    _require_writer(actor)
    now = now or timezone.now()
    locked = ManagementReview.objects.select_for_update().get(pk=review.pk)
    locked.pack = pack.build(locked, now=now)
    locked.pack_generated_at = now
    locked.version += 1
    locked.updated_at = now
    locked.save(update_fields=["pack", "pack_generated_at", "version", "updated_at"])
    trail.record(locked, actor=actor, channel=channel, action=AuditAction.UPDATED, field="pack",
                 new={"generated_at": now.isoformat()}, at=now)
    events.publish("management_review.pack_generated", locked, actor=actor, channel=channel, at=now)
    return locked


@transaction.atomic
def add_action(review, *, actor, channel, title, owner=None, due_date=None, note="", now=None):
    _require_writer(actor)
    if not (title or "").strip():
        raise DomainError(_("Say what was decided."), field="title", code="required")
    _check_staff(owner, "owner")
    return _create(ReviewAction, actor=actor, channel=channel, audited=ACTION_FIELDS,
                   event="management_review_action.created", now=now,
                   fields={"review": review, "title": title, "owner": owner, "due_date": due_date, "note": note})


ACTION_EDITABLE = frozenset({"title", "owner", "due_date", "state", "note"})


@transaction.atomic
def update_action(item, *, actor, channel, changes, expected_version=None, now=None):
    _require_writer(actor)
    now = now or timezone.now()
    changes = {k: v for k, v in changes.items() if k in ACTION_EDITABLE}
    if "owner" in changes:
        _check_staff(changes["owner"], "owner")
    action = AuditAction.UPDATED
    if "state" in changes and changes["state"] != item.state:
        if changes["state"] not in ActionState.values:
            raise DomainError(_("Unknown state: %(state)s.") % {"state": changes["state"]}, field="state")
        changes["closed_at"] = None if changes["state"] == ActionState.OPEN else now
        action = AuditAction.TRANSITIONED
    return _update(item, actor=actor, channel=channel, changes=changes, audited=ACTION_FIELDS,
                   event="management_review_action.updated", expected_version=expected_version, now=now,
                   action=action)


# --- certification ----------------------------------------------------------------------------
def _check_event(fields):
    if "kind" in fields and fields["kind"] not in CertificationKind.values:
        raise DomainError(_("Unknown kind of certification event: %(kind)s.") % {"kind": fields["kind"]},
                          field="kind")
    date, closed = fields.get("date"), fields.get("findings_closed_on")
    if date and closed and closed < date:
        raise DomainError(_("Findings close after the audit that raised them."), field="findings_closed_on")


@transaction.atomic
def create_certification_event(*, actor, channel, kind, date, body="", result="", findings="",
                               findings_closed_on=None, notes="", now=None):
    _require_writer(actor)
    fields = {"kind": kind, "date": date, "body": body, "result": result, "findings": findings,
              "findings_closed_on": findings_closed_on, "notes": notes}
    _check_event(fields)
    return _create(CertificationEvent, actor=actor, channel=channel, audited=EVENT_FIELDS,
                   event="certification_event.created", now=now, fields=fields)


@transaction.atomic
def update_certification_event(event, *, actor, channel, changes, expected_version=None, now=None):
    _require_writer(actor)
    changes = {k: v for k, v in changes.items() if k in EVENT_FIELDS}
    _check_event({"date": event.date, "findings_closed_on": event.findings_closed_on, **changes})
    return _update(event, actor=actor, channel=channel, changes=changes, audited=EVENT_FIELDS,
                   event="certification_event.updated", expected_version=expected_version, now=now)


@transaction.atomic
def delete_certification_event(event, *, actor, channel):
    _require_writer(actor)
    return _delete(event, actor=actor, channel=channel, audited=EVENT_FIELDS, event="certification_event.deleted")


