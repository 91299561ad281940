"""Writers of SLA configuration: calendars (with hours and custom dates), definitions (with
targets) and escalation rules. Shared by the API and the admin; each takes the actor and the
channel, runs in one transaction and writes the audit trail, since a changed target or calendar
changes every deadline computed from then on."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core import audit, events
from core import services as core_services
from core.choices import AuditAction
from sla import rowstate
from sla.models import (
    BusinessCalendar,
    CalendarException,
    EscalationRule,
    SLADefinition,
    SLATarget,
    WorkingInterval,
    interval_overlaps,
)

CALENDAR_FIELDS = ("name", "description", "time_zone", "always_open", "holiday_country", "holiday_subdivision",
                   "holiday_language")
DEFINITION_FIELDS = ("name", "agreement", "active", "ticket_type", "applies_to", "calendar", "pause_states",
                     "warning_thresholds", "on_reopen", "on_priority_change", "stop_at")


def check_hours(always_open, intervals):
    """A calendar needs hours (or 24×7) and no two intervals of a weekday may overlap."""
    if not always_open and not intervals:
        raise ValidationError({"working_hours": [_("Give working hours, or make the calendar 24×7.")]})
    clash = interval_overlaps([(i.weekday, i.start, i.end) for i in intervals])
    if clash:
        first, second = clash
        raise ValidationError({"working_hours": [_("%(day)s: %(a)s–%(b)s overlaps %(c)s–%(d)s.") % {
            "day": WorkingInterval(weekday=first[0]).get_weekday_display(), "a": f"{first[3]:%H:%M}",
            "b": f"{first[4]:%H:%M}", "c": f"{second[3]:%H:%M}", "d": f"{second[4]:%H:%M}"}]})


def _full_clean_all(objects, key):
    errors = []
    for index, obj in enumerate(objects):
        try:
            obj.full_clean(exclude=["calendar", "definition"])
        except ValidationError as exc:
            errors.append({"index": index, **{k: [str(m) for m in v] for k, v in exc.message_dict.items()}})
    if errors:
        raise ValidationError({key: [str(e) for e in errors]})


def _hours_value(intervals):
    return [{"weekday": i.weekday, "start": f"{i.start:%H:%M}", "end": f"{i.end:%H:%M}"}
            for i in sorted(intervals, key=lambda i: (i.weekday, i.start))]


def _dates_value(exceptions):
    return [{"date": e.date.isoformat(), "kind": e.kind, "start": f"{e.start:%H:%M}" if e.start else None,
             "end": f"{e.end:%H:%M}" if e.end else None, "reason": e.reason}
            for e in sorted(exceptions, key=lambda e: (e.date, e.start or e.end or e.date))]


def _calendar_state(calendar):
    state = audit.snapshot(calendar, CALENDAR_FIELDS)
    if calendar.pk:
        state["working_hours"] = _hours_value(calendar.intervals.all())
        state["custom_dates"] = _dates_value(calendar.exceptions.all())
    else:
        state["working_hours"], state["custom_dates"] = [], []
    return state


def _bump_version(obj):
    type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
    obj.version += 1


def _audit_saved(obj, *, before, after, created, actor, channel, event):
    """Created: one row with the values; updated: one row per changed field (and the version
    moves, so a form read before this write is refused). Returns the diff."""
    diff = audit.changes_between(before, after)
    if diff and not created:
        _bump_version(obj)
    if created:
        audit.record(obj, actor=actor, channel=channel, action=AuditAction.CREATED,
                     new={name: value for name, value in after.items() if value not in (None, "", [])})
    elif diff:
        audit.record_changes(obj, actor=actor, channel=channel, changes=diff)
    if diff or created:
        events.publish(event, obj, actor=actor, channel=channel, data={"fields": sorted(diff), "created": created})
    return diff


@transaction.atomic
def save_calendar(calendar: BusinessCalendar | None, *, actor, channel, fields: dict, working_hours=None,
                  custom_dates=None, expected_version=None):
    """Create or update a calendar; `working_hours` / `custom_dates` (lists of dicts) replace the old ones.
    A stale `expected_version` raises StaleVersion."""
    created = calendar is None or calendar.pk is None
    calendar = BusinessCalendar() if created else core_services.lock_for_update(calendar, expected_version)
    before = _calendar_state(calendar)
    for name, value in fields.items():
        if name in CALENDAR_FIELDS:
            setattr(calendar, name, value)
    calendar.full_clean()
    intervals = None
    if working_hours is not None:
        intervals = [WorkingInterval(weekday=h["weekday"], start=h["start"], end=h["end"]) for h in working_hours]
        _full_clean_all(intervals, "working_hours")
    current = intervals if intervals is not None else (list(calendar.intervals.all()) if calendar.pk else [])
    check_hours(calendar.always_open, current)
    exceptions = None
    if custom_dates is not None:
        exceptions = [CalendarException(date=d["date"], kind=d["kind"], start=d.get("start"), end=d.get("end"),
                                        reason=d.get("reason", "")) for d in custom_dates]
        _full_clean_all(exceptions, "custom_dates")
    calendar.save()
    if intervals is not None:
        calendar.intervals.all().delete()
        for interval in intervals:
            interval.calendar = calendar
        WorkingInterval.objects.bulk_create(intervals)
    if exceptions is not None:
        calendar.exceptions.all().delete()
        for exception in exceptions:
            exception.calendar = calendar
        CalendarException.objects.bulk_create(exceptions)
    calendar.save(update_fields=["updated_at"])  # hours are part of the calendar's version
    _audit_saved(calendar, before=before, after=_calendar_state(calendar), created=created, actor=actor,
                 channel=channel, event="sla.calendar_changed")
    return calendar


@transaction.atomic
def delete_calendar(calendar: BusinessCalendar, *, actor, channel):
    """Delete a calendar no definition uses (else ProtectedError, and nothing is written)."""
    return core_services.delete_record(calendar, actor=actor, channel=channel, event="sla.calendar_deleted",
                                       state=_calendar_state(calendar), data={"name": calendar.name})


def ticket_type_from_label(label):
    """'incidents.incident' → its ContentType; a clear error for anything else."""
    try:
        app_label, model = str(label).lower().split(".", 1)
        content_type = ContentType.objects.get(app_label=app_label, model=model)
    except (ValueError, ContentType.DoesNotExist):
        raise ValidationError({"ticket_type": [_("Unknown ticket type %(value)s; use e.g. incidents.incident.")
                                               % {"value": label}]})
    return content_type


def _targets_value(targets):
    return [{"priority": t.priority, "response_minutes": t.response_minutes,
             "resolution_minutes": t.resolution_minutes} for t in sorted(targets, key=lambda t: t.priority or 0)]


def _definition_state(definition):
    state = audit.snapshot(definition, DEFINITION_FIELDS)
    state["targets"] = _targets_value(definition.targets.all()) if definition.pk else []
    return state


@transaction.atomic
def save_definition(definition: SLADefinition | None, *, actor, channel, fields: dict, targets=None,
                    expected_version=None):
    """Create or update a definition; `targets` (list of {priority, response_minutes,
    resolution_minutes}) replaces the old ones. Running clocks keep the target they have.
    A stale `expected_version` raises StaleVersion."""
    created = definition is None or definition.pk is None
    definition = SLADefinition() if created else core_services.lock_for_update(definition, expected_version)
    before = _definition_state(definition)
    calendar_before = definition.calendar_id
    for name, value in fields.items():
        if name in DEFINITION_FIELDS:
            setattr(definition, name, value)
    definition.full_clean()
    rows = None
    if targets is not None:
        rows = [SLATarget(priority=t.get("priority"), response_minutes=t.get("response_minutes"),
                          resolution_minutes=t.get("resolution_minutes")) for t in targets]
        _full_clean_all(rows, "targets")
        priorities = [r.priority for r in rows]
        if len(priorities) != len(set(priorities)):
            raise ValidationError({"targets": [_("Each priority may appear once.")]})
        if not rows:
            raise ValidationError({"targets": [_("Give at least one target.")]})
    elif definition.pk is None:
        raise ValidationError({"targets": [_("Give at least one target.")]})
    definition.save()
    if rows is not None:
        definition.targets.all().delete()
        for row in rows:
            row.definition = definition
        SLATarget.objects.bulk_create(rows)
    if not created and definition.calendar_id != calendar_before:
        rowstate.refresh_definition(definition)  # its tickets' standing names the calendar their clocks count on
    _audit_saved(definition, before=before, after=_definition_state(definition), created=created, actor=actor,
                 channel=channel, event="sla.definition_changed")
    return definition


@transaction.atomic
def delete_definition(definition: SLADefinition, *, actor, channel):
    """Delete a definition no clock ran under (else ProtectedError, and nothing is written)."""
    return core_services.delete_record(definition, actor=actor, channel=channel, event="sla.definition_deleted",
                                       state=_definition_state(definition), data={"name": definition.name})


RULE_FIELDS = ("definition", "kind", "threshold", "action", "target_group", "webhook_url", "message", "active")


@transaction.atomic
def save_escalation_rule(rule: EscalationRule | None, *, actor, channel, fields: dict,
                         expected_version=None) -> EscalationRule:
    """Create or update an escalation rule (what happens when a clock reaches a threshold).
    A stale `expected_version` raises StaleVersion."""
    created = rule is None or rule.pk is None
    rule = EscalationRule() if created else core_services.lock_for_update(rule, expected_version)
    before = {} if created else audit.snapshot(rule, RULE_FIELDS)
    for name, value in fields.items():
        if name in RULE_FIELDS:
            setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    _audit_saved(rule, before=before, after=audit.snapshot(rule, RULE_FIELDS), created=created, actor=actor,
                 channel=channel, event="sla.escalation_rule_changed")
    return rule


@transaction.atomic
def delete_escalation_rule(rule: EscalationRule, *, actor, channel):
    return core_services.delete_record(rule, actor=actor, channel=channel, event="sla.escalation_rule_deleted",
                                       state=audit.last_state(rule, RULE_FIELDS),
                                       data={"definition": rule.definition_id})
