"""Writers of SLA configuration: calendars (with hours and custom dates) and definitions
(with targets). Shared by the API; the admin uses the same model validation."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sla.models import (
    BusinessCalendar,
    CalendarException,
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


@transaction.atomic
def save_calendar(calendar: BusinessCalendar | None, *, fields: dict, working_hours=None, custom_dates=None):
    """Create or update a calendar; `working_hours` / `custom_dates` (lists of dicts) replace the old ones."""
    calendar = calendar or BusinessCalendar()
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
    return calendar


def ticket_type_from_label(label):
    """'incidents.incident' → its ContentType; a clear error for anything else."""
    try:
        app_label, model = str(label).lower().split(".", 1)
        content_type = ContentType.objects.get(app_label=app_label, model=model)
    except (ValueError, ContentType.DoesNotExist):
        raise ValidationError({"ticket_type": [_("Unknown ticket type %(value)s; use e.g. incidents.incident.")
                                               % {"value": label}]})
    return content_type


@transaction.atomic
def save_definition(definition: SLADefinition | None, *, fields: dict, targets=None):
    """Create or update a definition; `targets` (list of {priority, response_minutes,
    resolution_minutes}) replaces the old ones. Running clocks keep the target they have."""
    definition = definition or SLADefinition()
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
    return definition
